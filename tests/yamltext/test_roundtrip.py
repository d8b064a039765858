"""The reference applier: same ops, same data, comments kept where ruamel can."""

from __future__ import annotations

import json

import pytest
from ruamel.yaml import YAML

from fix_kserve_probes.yamltext import roundtrip
from fix_kserve_probes.yamltext.errors import TextError
from fix_kserve_probes.yamltext.ops import Put, Refusal, Remove, Where

OPS = [(0, Remove(("p",), "exec")), (0, Put(("p",), "httpGet", {"port": 1}, Where("in-place-of", "exec"))),
       (0, Put((), "after", 1, Where("after", "p")))]


def test_yaml_keeps_order_and_comments() -> None:
    out = roundtrip.apply("p:  # probe\n  a: 1\n  exec: {}\n  z: 2\nq: 3\n", OPS)
    assert "# probe" in out
    data = YAML(typ="safe").load(out)
    assert list(data) == ["p", "after", "q"] and list(data["p"]) == ["a", "httpGet", "z"]


def test_json_stays_json_in_key_order() -> None:
    out = roundtrip.apply('{"p": {"a": 1, "exec": {}, "z": 2}, "q": 3}', OPS)
    assert json.loads(out) == {"p": {"a": 1, "httpGet": {"port": 1}, "z": 2}, "after": 1, "q": 3}
    assert list(json.loads(out)["p"]) == ["a", "httpGet", "z"]


def test_an_edit_at_an_anchor_leaves_its_aliases_alone() -> None:
    """A livenessProbe that aliases the readinessProbe must not change with it."""
    text = "ready: &b {exec: {}}\nlive: *b\nalso: *b\n---\nother: 1\n"
    out = roundtrip.apply(text, [(0, Remove(("ready",), "exec")), (0, Put(("ready",), "tcpSocket", {"port": 2}))])
    docs = list(YAML(typ="safe").load_all(out))
    assert docs == [{"ready": {"tcpSocket": {"port": 2}}, "live": {"exec": {}}, "also": {"exec": {}}}, {"other": 1}]
    assert "&b" in out and "*b" in out  # the remaining sharing is kept as such


def test_a_resource_with_crlf_comments_keeps_crlf_line_ends() -> None:
    """Found by the fuzzer: ruamel kept each comment's CR, so CRLF input came back with
    CR CR LF after a comment, which the function then refused as a bare CR."""
    from fix_kserve_probes.yamltext.scanner import scan

    text = "a: &x 1\r\nb: *x\r\np:\r\n  # by hand\r\n  exec: {}\r\n"
    node = scan(text).docs[0].root
    span = roundtrip.item_span(text, node, [Remove(("p",), "exec"), Put(("p",), "tcpSocket", {"port": 2})], "\r\n")
    assert isinstance(span, tuple)
    start, end, replacement = span
    out = text[:start] + replacement + text[end:]
    assert "\r\r" not in out and out.count("\n") == out.count("\r\n")
    assert YAML(typ="safe").load(out)["p"] == {"tcpSocket": {"port": 2}}


def test_an_anchor_name_defined_again_prints_no_warning(capfd) -> None:  # type: ignore[no-untyped-def]
    """Regression: ruamel's multi-line ReusedAnchorWarning reached stderr (YAML allows the reuse)."""
    import warnings

    text = "a: &x 1\nb: *x\nc: &x 2\nd: *x\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = roundtrip.apply(text, [(0, Put((), "e", 3))])
    assert "e: 3" in out and capfd.readouterr().err == ""
    assert [str(w.message) for w in caught] == []


def test_regression_a_tagged_key_is_edited_as_the_key_it_names() -> None:
    """ruamel keeps ``!!str readinessProbe`` as a TaggedScalar key, which is not the string
    the scanner read: removing it was an internal KeyError (found by a review)."""
    text = "- !!str readinessProbe: {exec: {command: [cat, /tmp/x]}}\n  !!str name: web\n"
    out = roundtrip.apply(text, [(0, Remove((0,), "readinessProbe")), (0, Put((0,), "image", "x", Where("after", "name")))])
    assert YAML(typ="safe").load(out) == [{"name": "web", "image": "x"}]


# ruamel.yaml 0.19.1 writes this back as "- n: t b: true", which no YAML reader accepts
# (a comment after a key, then a flow mapping with a comment, then a block mapping).
BROKEN_BY_RUAMEL = "f: # c\n- {n: a} # c\n- n: t\n  b: true\n"


def test_the_whole_input_fallback_refuses_output_that_does_not_read_back() -> None:
    """Found by the differential test: the reference applier's output did not parse."""
    with pytest.raises(TextError, match="does not read back"):
        roundtrip.apply("p:\n  exec: {}\n" + BROKEN_BY_RUAMEL, OPS)


def test_the_per_resource_fallback_refuses_output_that_does_not_read_back() -> None:
    from fix_kserve_probes.yamltext.scanner import scan

    text = "p:\n  exec: {}\n" + BROKEN_BY_RUAMEL
    span = roundtrip.item_span(text, scan(text).docs[0].root, [Remove(("p",), "exec")], "\n")
    assert isinstance(span, Refusal) and "does not read back" in span.reason
