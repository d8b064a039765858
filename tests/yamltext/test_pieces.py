"""yamltext/pieces.py: cutting a ResourceList into items, standing ``{}`` in for some,
and checking that the scan saw what was meant."""

from __future__ import annotations

import pytest
from guards import fails_after

from fix_kserve_probes.yamltext import pieces
from fix_kserve_probes.yamltext.scanner import scan

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
    quoted: "two
- lines"
# a comment after an item
- apiVersion: v1
  kind: Secret
functionConfig:
  apiVersion: v1
"""


def texts(text: str) -> list[str]:
    found = pieces.item_pieces(text)
    assert found is not None
    return [text[a:b] for a, b in found]


def test_items_are_cut_where_an_entry_starts_at_column_zero() -> None:
    got = texts(RESOURCE_LIST)
    assert [t.split("\n", 1)[0] for t in got] == ["- apiVersion: v1", "- # kpt writes a comment here", "- lines\"",
                                                 "- apiVersion: v1"]
    assert got[-1].endswith("kind: Secret\n")  # the items end where functionConfig starts
    assert "".join(got) in RESOURCE_LIST


def test_a_cut_inside_a_quoted_scalar_leaves_a_piece_that_does_not_parse() -> None:
    first, second, third, last = texts(RESOURCE_LIST)
    assert pieces.parses(first) and pieces.parses(last)
    assert not pieces.parses(second)  # "two ... is cut short: the cut was inside it
    assert pieces.parses(second + third)


@pytest.mark.parametrize("text", [
    "apiVersion: v1\nkind: ResourceList\nitems:\n  - a: 1\n",  # entries indented
    "apiVersion: v1\nkind: ResourceList\nitems: []\n",
    "apiVersion: v1\nkind: ResourceList\nitems:\n- a: 1\nitems:\n- b: 1\n",  # two root items keys
    "items:\n- a: 1\n",
    "apiVersion: v1\nkind: ResourceList\nitems:\nx: 1\n- a: 1\n",
    "{\"items\": [{\"a\": 1}]}",
])
def test_other_layouts_are_not_cut(text: str) -> None:
    assert pieces.item_pieces(text) is None


def test_the_masked_stream_keeps_length_and_line_breaks() -> None:
    found = pieces.item_pieces(RESOURCE_LIST)
    assert found is not None
    stood = [found[0], found[3]]
    assert pieces.maskable(RESOURCE_LIST, stood)
    stream = pieces.Masked(RESOURCE_LIST, stood)
    read = "".join(iter(lambda: stream.read(16), ""))
    assert len(read) == len(RESOURCE_LIST)  # every offset stays right
    for start, end in stood:
        assert read[start:end].startswith("- {}") and read[start:end].strip(" \n") == "- {}"
        assert read.count("\n", start, end) == RESOURCE_LIST.count("\n", start, end)  # and every line number
    assert read[: found[0][0]] == RESOURCE_LIST[: found[0][0]]
    assert read[found[0][1] : found[3][0]] == RESOURCE_LIST[found[0][1] : found[3][0]]
    assert read[found[3][1] :] == RESOURCE_LIST[found[3][1] :]


def test_a_scan_of_the_masked_text_is_aligned_and_a_wrong_one_is_not() -> None:
    text = RESOURCE_LIST.replace('    quoted: "two\n- lines"\n', "")
    found = pieces.item_pieces(text)
    assert found is not None and len(found) == 3
    scanned = scan(text, None, pieces.Masked(text, [found[0]]))
    assert pieces.aligned(scanned.docs, found, [0])
    items = scanned.docs[0].root["items"]
    assert items[0] == {} and items[1]["kind"] == "ConfigMap"
    assert not pieces.aligned(scanned.docs, found, [1])  # item 1 was read, not stood in for
    assert not pieces.aligned(scanned.docs, found[:2], [0])  # one item more than the pieces
    cut_wrong = pieces.item_pieces(RESOURCE_LIST)
    assert cut_wrong is not None
    whole = scan(RESOURCE_LIST)
    assert not pieces.aligned(whole.docs, cut_wrong, [])  # four pieces, three items


def test_pieces_too_short_or_open_ended_are_not_maskable() -> None:
    assert not pieces.maskable("- a\n", [(0, 4)])  # "- {}" and the line break do not fit
    assert not pieces.maskable("- a: 1", [(0, 6)])  # no line break at its end
    assert pieces.maskable("- a: 1\n", [(0, 7)])


@pytest.mark.parametrize(("text", "plain"), [
    ("- apiVersion: v1\n  kind: X  # comment\n  list:\n  - a\n  - b: 'c'\n  flow: [\"a\", 'b', c]\n", True),
    ("- a: {}\n  b: []\n  c: ''\n  d: \"x # y\"\n-\n  # only a comment\n\n", True),
    ("- a: |\n    block\n", False),
    ("- a: \"two\n    lines\"\n", False),
    ("- a: [x,\n    y]\n", False),
    ("- a: \"x\" # comment after quotes\n", False),
    ("- a: [x, [y]]\n", False),
    ("- a: [http://x]\n", False),
    ("- \"quoted key\": 1\n", False),
    ("- a: &x 1\n", False),
    ("- a: b\n  more words\n", False),
    ("- a:\tb\n", False),
    ("- a: gs://bucket/x:1   \n  b: a::b\n  c: x y  # note\n", True),
    ("- a: x :y\n", False),  # a blank before a colon: left to the full read
    ("- a: x#y\n", False),
    ("- a: b:\n", False),
    ("- a: [x , y ,]\n", True),
    ("- a: [x y, \"z\"]\n", True),
    ("- a: [x \"y\"]\n", False),
    ("- a: b\n    - c\n", False),  # "b - c": the plain scalar goes on (a review found it)
    ("- a: b\n\n      -\n", False),
    ("- a\n  - b\n", False),
    ("- a: b\n  c:\n    - d\n  e:\n  - f\n", True),  # block sequences, wide and compact
])
def test_plain_block_lines(text: str, plain: bool) -> None:
    assert pieces.plain_block(text) is plain


@pytest.mark.parametrize(("token", "value"), [
    ("abc", "abc"), ("abc  # note", "abc"), ("'it''s'", "it's"), ('"x # y"', "x # y"), ("12", 12),
    ("null", None), ("~", None), ("true", True), ("[a]", ...), ("'a' # c", ...),
])
def test_scalar_tokens(token: str, value: object) -> None:
    assert pieces.scalar(token) == value if value is not ... else pieces.scalar(token) is ...


def test_entries_that_open_a_block_mapping() -> None:
    assert pieces.is_mapping_entry("- apiVersion: v1\n")
    assert pieces.is_mapping_entry("- # note\n  apiVersion: v1\n")
    assert not pieces.is_mapping_entry("- just a scalar\n")
    assert not pieces.is_mapping_entry("- a:b\n")
    assert not pieces.is_mapping_entry("- [a]: b\n")


def test_parses_is_libyaml() -> None:
    assert pieces.parses("- a: 1\n")
    assert not pieces.parses("- a: [1\n")
    assert not pieces.parses("- a: 1\n b: 2\n")


@pytest.mark.parametrize("line", ["a: b   ", "- x y   ", "k: [a , b ]  ", "# note   ", "            deep: 1  "])
def test_plain_block_fails_at_once_after_many_lines_it_could_split_two_ways(line: str) -> None:
    text = "- a: 1\n" + f"  {line}\n" * 200 + "  bad: |\n"
    with fails_after(10):
        assert not pieces.plain_block(text)
