"""The splicer: edits land in place, in the surrounding style, and nothing else moves."""

from __future__ import annotations

from typing import Any

import pytest

from fix_kserve_probes.yamltext.ops import Put, Refusal, Remove, Where, key_ops
from fix_kserve_probes.yamltext.scanner import scan
from fix_kserve_probes.yamltext.source import looks_like_json
from fix_kserve_probes.yamltext.spans import apply_spans
from fix_kserve_probes.yamltext.splice import spans_for

HTTP = {"path": "/v1/models/m", "port": 8080}


def splice(text: str, *ops: Any, newline: str = "\n") -> str:
    doc = scan(text).docs[0]
    spans = spans_for(text, doc.root, ops, newline, looks_like_json(text))
    if isinstance(spans, Refusal):
        raise Refused(spans.reason)
    out = apply_spans(text, spans)
    if isinstance(out, Refusal):
        raise Refused(out.reason)
    return out


class Refused(Exception):
    """The splicer's Refusal, raised here so a test can say pytest.raises."""


def replace_exec(path: tuple[Any, ...]) -> list[Any]:
    return [Remove(path, "exec"), Put(path, "httpGet", HTTP, Where("in-place-of", "exec"))]


def test_block_handler_swap_keeps_timings_comments_and_indent() -> None:
    text = (
        "spec:\n"
        "    probe:   # keep me\n"
        "        exec:\n"
        "            command: [cat, x]   # gone with exec\n"
        "        periodSeconds: 3  # kept\n"
        "other: 1\n"
    )
    out = splice(text, *replace_exec(("spec", "probe")))
    assert out == (
        "spec:\n"
        "    probe:   # keep me\n"
        "        httpGet:\n"
        "            path: /v1/models/m\n"
        "            port: 8080\n"
        "        periodSeconds: 3  # kept\n"
        "other: 1\n"
    )


def test_flow_mapping_in_block_document() -> None:
    text = "probe: {exec: {command: [a]}, periodSeconds: 3}  # c\n"
    assert splice(text, *replace_exec(("probe",))) == "probe: {httpGet: {path: /v1/models/m, port: 8080}, periodSeconds: 3}  # c\n"


def test_json_compact_and_pretty() -> None:
    compact = '{"probe": {"exec": {"command": ["a"]}, "periodSeconds": 3}}'
    assert splice(compact, *replace_exec(("probe",))) == (
        '{"probe": {"httpGet": {"path": "/v1/models/m", "port": 8080}, "periodSeconds": 3}}'
    )
    pretty = '{\n  "probe": {\n    "exec": {\n      "command": ["a"]\n    },\n    "periodSeconds": 3\n  }\n}\n'
    assert splice(pretty, *replace_exec(("probe",))) == (
        '{\n  "probe": {\n    "httpGet": {\n      "path": "/v1/models/m",\n      "port": 8080\n    },\n'
        '    "periodSeconds": 3\n  }\n}\n'
    )


def test_removal_of_middle_first_and_last_flow_entries() -> None:
    text = "m: {a: 1, b: 2, c: 3}\n"
    assert splice(text, Remove(("m",), "a")) == "m: {b: 2, c: 3}\n"
    assert splice(text, Remove(("m",), "b")) == "m: {a: 1, c: 3}\n"
    assert splice(text, Remove(("m",), "c")) == "m: {a: 1, b: 2}\n"
    assert splice(text, Remove(("m",), "b"), Remove(("m",), "c")) == "m: {a: 1}\n"
    assert splice("m: {a: 1}\n", Remove(("m",), "a")) == "m: {}\n"


def test_insert_after_a_key_in_block_and_flow() -> None:
    block = "c:\n  readinessProbe:\n    exec: {}\n  name: x\n"
    out = splice(block, Put(("c",), "startupProbe", {"exec": {"command": ["a"]}, "failureThreshold": 60}, Where("after", "readinessProbe")))
    assert out == "c:\n  readinessProbe:\n    exec: {}\n  startupProbe:\n    exec:\n      command: [a]\n    failureThreshold: 60\n  name: x\n"
    flow = "c: {readinessProbe: {exec: {}}, name: x}\n"
    out = splice(flow, Put(("c",), "startupProbe", {"tcpSocket": {"port": 1}}, Where("after", "readinessProbe")))
    assert out == "c: {readinessProbe: {exec: {}}, startupProbe: {tcpSocket: {port: 1}}, name: x}\n"


def test_compact_sequence_entry_whose_first_key_is_edited() -> None:
    text = "containers:\n- readinessProbe:\n    exec: {command: [a]}\n  name: x\n"
    out = splice(text, *replace_exec(("containers", 0, "readinessProbe")))
    assert out == "containers:\n- readinessProbe:\n    httpGet:\n      path: /v1/models/m\n      port: 8080\n  name: x\n"
    removed = splice(text, Remove(("containers", 0), "readinessProbe"))
    assert removed == "containers:\n- name: x\n"


def test_first_key_after_dash_replaced_inline() -> None:
    text = "- exec: {command: [a]}\n  periodSeconds: 2\n"
    out = splice(text, Remove((0,), "exec"), Put((0,), "tcpSocket", {"port": 8080}, Where("in-place-of", "exec")))
    assert out == "- tcpSocket:\n    port: 8080\n  periodSeconds: 2\n"


def test_end_of_file_without_newline_and_crlf() -> None:
    text = "probe:\n  periodSeconds: 3\n  exec:\n    command: [a]"
    assert splice(text, *replace_exec(("probe",))) == "probe:\n  periodSeconds: 3\n  httpGet:\n    path: /v1/models/m\n    port: 8080"
    crlf = "probe:\r\n  exec:\r\n    command: [a]\r\n  periodSeconds: 3\r\n"
    out = splice(crlf, *replace_exec(("probe",)), newline="\r\n")
    assert out == "probe:\r\n  httpGet:\r\n    path: /v1/models/m\r\n    port: 8080\r\n  periodSeconds: 3\r\n"
    appended = splice("a: 1", Put((), "results", [{"message": "m"}]))
    assert appended == "a: 1\nresults:\n- message: m"


def test_block_scalar_before_the_insertion_point() -> None:
    text = "c:\n  script: |\n    echo hi\n\n  readinessProbe:\n    exec: {}\n"
    out = splice(text, Put(("c",), "startupProbe", {"tcpSocket": {"port": 1}}, Where("after", "script")))
    assert out == "c:\n  script: |\n    echo hi\n\n  startupProbe:\n    tcpSocket:\n      port: 1\n  readinessProbe:\n    exec: {}\n"


def test_non_ascii_text_before_the_edit() -> None:
    text = "# 日本語のコメント 😀\nname: 模型\nprobe:\n  exec: {}\n"
    assert splice(text, *replace_exec(("probe",))).startswith("# 日本語のコメント 😀\nname: 模型\nprobe:\n  httpGet:")


def test_emptying_a_block_mapping_or_overlapping_edits_are_unsafe() -> None:
    with pytest.raises(Refused):
        splice("m:\n  a: 1\nz: 2\n", Remove(("m",), "a"))
    with pytest.raises(Refused):
        splice("a: &x {k: 1}\nm: *x\n", Remove(("m",), "k"))


def test_mapping_ops_touch_only_changed_keys() -> None:
    old = {"exec": {"command": ["a"]}, "periodSeconds": 3}
    new = {"httpGet": HTTP, "periodSeconds": 3}
    ops = key_ops(("p",), "set", old, new)
    assert ops == [Remove(("p",), "exec"), Put(("p",), "httpGet", HTTP, Where("in-place-of", "exec"))]
    assert key_ops(("c", "startupProbe"), "add", None, {"x": 1}, after="readinessProbe") == [
        Put(("c",), "startupProbe", {"x": 1}, Where("after", "readinessProbe"))
    ]
    assert key_ops(("c", "readinessProbe"), "remove", old, None) == [Remove(("c",), "readinessProbe")]


def test_a_tagged_block_mapping_keeps_its_keys_column() -> None:
    text = "probe: !!map\n  exec: {command: [a]}\n  periodSeconds: 3\n"
    assert splice(text, *replace_exec(("probe",))) == (
        "probe: !!map\n  httpGet:\n    path: /v1/models/m\n    port: 8080\n  periodSeconds: 3\n")


def test_an_explicit_key_is_unsafe_for_the_splicer() -> None:
    with pytest.raises(Refused, match="not a line start or a dash"):
        splice("probe:\n  ? exec\n  : {command: [a]}\n  periodSeconds: 3\n", *replace_exec(("probe",)))


def test_entries_are_appended_to_a_sequence_in_its_own_style() -> None:
    from fix_kserve_probes.yamltext.ops import Append

    new = [{"message": "m", "severity": "info"}]
    assert splice("a: 1\nresults:\n- {message: old}  # c\n", Append((), "results", new)) == (
        "a: 1\nresults:\n- {message: old}  # c\n- message: m\n  severity: info\n")
    assert splice("results: [{message: old}]\n", Append((), "results", new)) == (
        "results: [{message: old}, {message: m, severity: info}]\n")
    assert splice("results: []\n", Append((), "results", new)) == "results: [{message: m, severity: info}]\n"


@pytest.mark.parametrize(("text", "path", "key", "expected"), [
    ("a: 1\nb: 2", (), "b", "a: 1"),
    ("a: 1\nb:\n  c: 1\n  d: 2", ("b",), "d", "a: 1\nb:\n  c: 1"),
    ("a: 1\nb: 2\nc: 3", (), "c", "a: 1\nb: 2"),
    ("a: 1\r\nb: 2", (), "b", "a: 1"),
])
def test_removing_the_last_key_of_a_file_without_a_final_newline_adds_none(
        text: str, path: tuple[str, ...], key: str, expected: str) -> None:
    """Regression: the removal left the line break before the removed last line."""
    from fix_kserve_probes.yamltext import roundtrip

    newline = "\r\n" if "\r\n" in text else "\n"
    spans = spans_for(text, scan(text).docs[0].root, [Remove(path, key)], newline, False)
    assert not isinstance(spans, Refusal)
    assert apply_spans(text, spans) == expected
    if newline == "\n":
        assert roundtrip.apply(text, [(0, Remove(path, key))]) == expected


def test_regression_a_key_after_many_dashes_is_checked_at_once() -> None:
    """``-  -  -  ... ? key`` before a key the splicer edits: the check that a key follows
    only dashes backtracked exponentially (2 s at 24 dashes, minutes at 32; a review found it)."""
    from guards import fails_after

    from fix_kserve_probes.yamltext.splice import _DASHES

    with fails_after(5):
        assert _DASHES.fullmatch("-  " * 40 + "? ") is None
    assert _DASHES.fullmatch("  -  - ") and _DASHES.fullmatch("- ") and not _DASHES.fullmatch("-")
