"""yamltext/masking.py: scanning a ResourceList with ``{}`` standing in for some items,
and moving what the scan saw back to its place in the text."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fix_kserve_probes.yamltext import masking, pieces
from fix_kserve_probes.yamltext.scanner import Scan, YMap, YSeq, scan

RESOURCE_LIST = """apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
# a comment before the first item
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: a
- # kpt writes a comment here
  apiVersion: v1
  kind: ConfigMap
  data:
    script: |
      - not an item
    list: [1, {b: 2}]
- apiVersion: v1
  kind: Secret
  data: {x: y}
- apiVersion: v1
  kind: Last
functionConfig:
  apiVersion: v1
  data: [a, b]
"""


def masked(stood_in: list[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]], masking.Shifts, str]:
    """RESOURCE_LIST's pieces, those of ``stood_in``, their shifts and the masked text."""
    found = pieces.item_pieces(RESOURCE_LIST)
    assert found is not None
    stood = [found[k] for k in stood_in]
    shifts = masking.Shifts.of(RESOURCE_LIST, stood)
    assert shifts is not None
    stream = masking.Masked(RESOURCE_LIST, stood, shifts)
    return found, stood, shifts, "".join(iter(lambda: stream.read(16), ""))


def masked_scan(text: str, stood_in: list[int]) -> tuple[Scan | None, list[tuple[int, int]]]:
    found = pieces.item_pieces(text)
    assert found is not None
    stood = [found[k] for k in stood_in]
    shifts = masking.Shifts.of(text, stood)
    assert shifts is not None
    return masking.unshift(scan(text, None, masking.Masked(text, stood, shifts)), shifts, stood_in, len(found)), found


def test_the_masked_stream_keeps_every_line_break() -> None:
    found, _, _, read = masked([0, 2])
    expected = (RESOURCE_LIST[: found[0][0]] + "- {}" + "\n" * 4 + RESOURCE_LIST[found[1][0] : found[2][0]]
                + "- {}" + "\n" * 3 + RESOURCE_LIST[found[3][0] :])
    assert read == expected
    assert read.count("\n") == RESOURCE_LIST.count("\n")  # every line number stays right


def test_shifts_map_each_character_outside_the_stand_ins_back_to_itself() -> None:
    _, stood, shifts, read = masked([1, 2])
    outside = [m for m in range(len(read)) if not any(shifts(m) in range(a, b) for a, b in stood)]
    assert len(outside) == len(RESOURCE_LIST) - sum(b - a for a, b in stood)
    assert all(read[m] == RESOURCE_LIST[shifts(m)] for m in outside)


def positions(node: Any) -> list[Any]:
    """Every offset the scan keeps of ``node`` and below, in order."""
    if isinstance(node, YMap):
        return [node.start, node.end, list(node.key_starts), list(node.value_ends),
                *[positions(v) for v in node.values()]]
    if isinstance(node, YSeq):
        return [node.start, node.end, list(node.value_ends), *[positions(v) for v in node]]
    return []


@given(st.sets(st.integers(0, 2)))
def test_the_unshifted_scan_has_the_offsets_of_a_full_scan(stood: set[int]) -> None:
    scanned, found = masked_scan(RESOURCE_LIST, sorted(stood))
    assert scanned is not None and masking.aligned(scanned.docs, found, sorted(stood))
    full = scan(RESOURCE_LIST)
    (doc,), (full_doc,) = scanned.docs, full.docs
    assert (doc.start, doc.end) == (full_doc.start, full_doc.end)
    items, full_items = doc.root["items"], full_doc.root["items"]
    for k in range(4):
        if k in stood:  # "{}" just after the entry's "- "
            assert (items[k].start, items.value_ends[k]) == (found[k][0] + 2, found[k][0] + 4)
        else:
            assert items.value_ends[k] == full_items.value_ends[k]
            assert items[k] == full_items[k] and positions(items[k]) == positions(full_items[k])
    assert positions(doc.root["functionConfig"]) == positions(full_doc.root["functionConfig"])
    assert doc.root.key_starts == full_doc.root.key_starts


def test_anchors_and_aliases_after_stand_ins_move_too() -> None:
    text = RESOURCE_LIST.replace("  kind: Last\n", "  kind: Last\n  a: &x {k: v}\n  b: *x\n")
    scanned, _ = masked_scan(text, [0, 1])
    full = scan(text)
    assert scanned is not None
    assert scanned.specials == full.specials and scanned.links == full.links
    assert list(scanned.by_anchor) == sorted((b, a) for a, b in full.links)


def test_an_item_that_aliases_an_earlier_one_is_not_unshifted() -> None:
    text = RESOURCE_LIST.replace("- apiVersion: v1\n  kind: Last\n", "- &x\n  apiVersion: v1\n  kind: Last\n- *x\n")
    scanned, _ = masked_scan(text, [0])
    assert scanned is None  # the alias's nodes sit with the item before it


def test_a_scan_is_aligned_only_with_the_items_it_saw() -> None:
    scanned, found = masked_scan(RESOURCE_LIST, [0])
    assert scanned is not None and masking.aligned(scanned.docs, found, [0])
    items = scanned.docs[0].root["items"]
    assert items[0] == {} and items[1]["kind"] == "ConfigMap"
    assert not masking.aligned(scanned.docs, found, [1])  # item 1 was read, not stood in for
    assert not masking.aligned(scanned.docs, found[:3], [0])  # one item more than the pieces
    text = RESOURCE_LIST.replace("    list: [1, {b: 2}]\n", '    quoted: "two\n- lines"\n')
    cut_wrong = pieces.item_pieces(text)
    assert cut_wrong is not None and len(cut_wrong) == 5
    assert not masking.aligned(scan(text).docs, cut_wrong, [])  # five pieces, four items


def test_pieces_too_short_or_open_ended_cannot_be_stood_in_for() -> None:
    assert masking.Shifts.of("- a\n", [(0, 4)]) is None  # "- {}" and the line break do not fit
    assert masking.Shifts.of("- a: 1", [(0, 6)]) is None  # no line break at its end
    shifts = masking.Shifts.of("- a: 1\n", [(0, 7)])
    assert shifts is not None and shifts(5) == 7  # past the stand-in "- {}\n": past the item
