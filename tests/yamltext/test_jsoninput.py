"""JSON the YAML scanner cannot read as written: stand-ins, and concatenated JSON documents
(``jq .`` / ``yq -o json .`` output) read as a stream and edited in place (issue 13, 6)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from badinput_cases import CONFIGMAP, ISVC, RUNTIME, resource_list
from badinput_helpers import assert_clean_error, load_all, run_inproc

from fix_kserve_probes.yamltext import jsoninput
from fix_kserve_probes.yamltext.errors import TextError
from fix_kserve_probes.yamltext.scanner import YMap, YSeq, scan

DOCS = [load_all(d.encode())[0] for d in (ISVC, RUNTIME, CONFIGMAP)]


def _join(form: str, docs: list[Any], newline: str = "\n") -> str:
    """Concatenated JSON as the tools write it."""
    if form == "compact":  # {...}{...}: jq -j -c, or objects written back to back
        return "".join(json.dumps(d) for d in docs)
    if form == "lines":  # one object per line: jq -c
        return "".join(json.dumps(d) + newline for d in docs)
    if form == "pretty":  # jq . / yq -o json .
        return "".join(json.dumps(d, indent=2).replace("\n", newline) + newline for d in docs)
    if form == "tabs":
        return "".join(json.dumps(d, indent="\t") + newline for d in docs)
    raise AssertionError(form)


FORMS = ("compact", "lines", "pretty", "tabs")


def _alone(doc: Any, form: str) -> str:
    """What the function makes of one document on its own, in the same form."""
    text = _join(form, [doc])
    run = run_inproc([], text.encode())
    assert run.code == 0, run.err
    return run.out.decode()


@pytest.mark.parametrize("form", FORMS)
def test_concatenated_documents_are_edited_in_place_and_keep_their_form(form: str) -> None:
    """The output is the input with only the probe changed: each document's text is what
    the function makes of it alone, joined as the input joined them."""
    text = _join(form, DOCS)
    run = run_inproc([], text.encode())
    assert run.code == 0, run.err
    expected = "".join(_alone(d, form) for d in DOCS)
    assert run.out.decode() == expected
    assert run.out.decode() != text
    out = [json.JSONDecoder().raw_decode(run.out.decode(), at)[0] for at in _starts(run.out.decode())]
    assert out[0]["spec"]["predictor"]["model"]["readinessProbe"]["httpGet"] == {
        "path": "/v1/models/sklearn-iris", "port": 8080}
    assert out[1:] == DOCS[1:]


def _starts(text: str) -> list[int]:
    return [start for start, _, _ in jsoninput.documents(text) or []]


@pytest.mark.parametrize(("bom", "newline"), [(True, "\n"), (False, "\r\n"), (True, "\r\n")])
def test_a_bom_and_crlf_survive(bom: bool, newline: str) -> None:
    text = _join("pretty", DOCS, newline)
    data = ("\ufeff" if bom else "") + text
    run = run_inproc([], data.encode())
    assert run.code == 0, run.err
    out = run.out.decode("utf-8")
    assert out.startswith("\ufeff") == bom and (out.count("\r\n") == out.count("\n")) == (newline == "\r\n")
    assert '"httpGet"' in out and out.replace("\r\n", "\n").removeprefix("\ufeff") == "".join(
        _alone(d, "pretty") for d in DOCS)


def test_a_second_run_changes_nothing() -> None:
    first = run_inproc([], _join("compact", DOCS).encode())
    again = run_inproc([], first.out)
    assert first.code == again.code == 0 and again.out == first.out


@pytest.mark.parametrize("form", FORMS)
def test_positions_are_those_of_the_whole_text(form: str) -> None:
    """Each value is scanned alone; every node's offsets and column are moved to its place."""
    text = _join(form, [*DOCS, {"a": [1, {"b": "c"}]}])
    scanned = jsoninput.scan_text(text)
    assert len(scanned.docs) == 4 and scanned.specials == [] and scanned.links == []
    for doc in scanned.docs:
        assert text[doc.start] == "{" and text[doc.end - 1] == "}"
        stack: list[Any] = [doc.root]
        while stack:
            node = stack.pop()
            if isinstance(node, (YMap, YSeq)):
                assert text[node.start] == ("{" if isinstance(node, YMap) else "[")
                assert text[node.end - 1] == ("}" if isinstance(node, YMap) else "]")
                assert node.col == node.start - (text.rfind("\n", 0, node.start) + 1)
                if isinstance(node, YMap):
                    assert all(text[k] == '"' for k in node.key_starts)
                stack.extend(node.values() if isinstance(node, YMap) else node)
    assert [d.root for d in scanned.docs[:3]] == DOCS


def test_stand_ins_work_per_document() -> None:
    """A surrogate escape and a raw NEL (which YAML 1.1 refuses or breaks lines on) in the second document."""
    docs = [DOCS[2], {"kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"rocket": "🚀", "nel": "a\x85b"}}]
    text = json.dumps(docs[0]) + "\n" + json.dumps(docs[1], ensure_ascii=True).replace("\\u0085", "\x85") + "\n"
    scanned = jsoninput.scan_text(text)
    assert [d.root for d in scanned.docs] == docs
    run = run_inproc([], text.encode())
    assert run.code == 0 and run.out.decode() == text, run.err


@pytest.mark.parametrize("text", [
    '{"a": 1}\n---\n{"b": 2}\n',  # YAML's document marker between JSON-looking documents
    '{"a": 1}\n...\n',
    '{"a": 1}  # a comment\n',
    '{"a": 1}\n',
    '{a: 1}\n{b: 2}\n',  # YAML flow, not JSON: the scanner says what is wrong
    "[1, 2]\n",
    "kind: ConfigMap\n",
])
def test_what_is_not_concatenated_json_is_left_to_the_yaml_scanner(text: str) -> None:
    assert jsoninput.documents(text) is None


@pytest.mark.parametrize(("text", "message", "line", "column"), [
    ('{"a": 1}\n{"b": ', "invalid JSON: document 2 of concatenated JSON: Expecting value", 2, 7),
    ('{"a": 1}{"b": [1, 2}', "invalid JSON: document 2 of concatenated JSON: Expecting ',' delimiter", 1, 20),
    ('{"a": 1}\n{"b": 2}\n---\n', "concatenated JSON holds something else after document 2", 3, 1),
    ('{"a": 1}\n[2] x', "concatenated JSON holds something else after document 2", 2, 5),
])
def test_broken_concatenations_are_refused_with_a_position(text: str, message: str, line: int, column: int) -> None:
    with pytest.raises(TextError) as caught:
        jsoninput.documents(text)
    assert (caught.value.message, caught.value.line, caught.value.column) == (message, line, column)
    run = run_inproc([], text.encode())
    assert_clean_error(run, "^" + message.replace("[", r"\[") + rf" \(line {line}, column {column}\)$")
    assert run.out == b""


def test_a_scan_error_in_a_later_document_names_its_place_in_the_whole_text() -> None:
    text = '{"a": 1}\n  {"b": 1, "b": 2}\n'
    with pytest.raises(TextError) as caught:
        jsoninput.scan_text(text)
    assert caught.value.message == "duplicate key 'b'" and (caught.value.line, caught.value.column) == (2, 12)
    same_line = '{"a": 1} {"b": 1, "b": 2}'
    with pytest.raises(TextError) as caught:
        jsoninput.scan_text(same_line)
    assert (caught.value.line, caught.value.column) == (1, 19)
    assert (caught.value.line, caught.value.column) == _position(same_line, same_line.rindex('"b"'))


def _position(text: str, at: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def test_a_resource_list_stays_the_only_document() -> None:
    """kpt and kustomize send one ResourceList: one followed by another document is refused
    as in YAML, with the error carried in the ResourceList."""
    rl = load_all(resource_list(ISVC).encode())[0]
    run = run_inproc([], (json.dumps(rl, indent=2) + "\n" + json.dumps(DOCS[2]) + "\n").encode())
    assert run.code == 1 and "a ResourceList must be the only document" in run.out.decode(), run.err


def test_a_file_of_concatenated_json_is_rewritten_in_its_form(tmp_path: Any) -> None:
    path = tmp_path / "rendered.json"
    text = _join("lines", DOCS)
    path.write_text(text)
    run = run_inproc(["--in-place", str(path)])
    assert run.code == 0, run.err
    assert path.read_text() == "".join(_alone(d, "lines") for d in DOCS)


def test_one_json_document_and_yaml_scan_as_before() -> None:
    for text in (json.dumps(DOCS[0], indent=2), ISVC, '{"a": 1}\n---\n{"b": 2}\n'):
        assert [d.root for d in jsoninput.scan_text(text).docs] == [d.root for d in scan(text).docs]


@pytest.mark.parametrize("form", ("compact", "lines", "pretty"))
def test_the_round_trip_applier_takes_concatenated_json_too(form: str) -> None:
    """The last resort (and the differential reference) re-dumps each document through
    ``json`` and joins them as they were: for jq's layouts, the splicer's bytes exactly."""
    from fix_kserve_probes import engine
    from fix_kserve_probes.yamltext.source import decode

    text = decode(_join(form, DOCS).encode())
    assert engine.run(text, applier="roundtrip").output == engine.run(text).output


@pytest.mark.parametrize("before", ["", '{"a": 1}\n'])
def test_json_nested_past_python_s_recursion_limit_is_the_depth_error(before: str) -> None:
    """json's decoder recurses; 50,000 levels is a RecursionError there. The scanner's
    nesting limit must report it, with its position, not an internal error."""
    deep = before + "[" * 50_000 + "]" * 50_000 + "\n"
    assert jsoninput.documents(deep) is None
    run = run_inproc([], deep.encode())
    assert_clean_error(run, r"input has nesting deeper than 256 levels")


def test_the_round_trip_applier_keeps_crlf_gaps_and_the_space_around_documents() -> None:
    """The whole-input fallback re-dumps each document; what lies between and around them
    stays, and CRLF stays CRLF (not CR CR LF)."""
    from fix_kserve_probes import engine
    from fix_kserve_probes.yamltext.source import decode

    doc = json.dumps(DOCS[0], indent=2).replace("\n", "\r\n")
    name = f'"{DOCS[0]["metadata"]["name"]}"'
    text = "\r\n" + doc + "\r\n\r\n" + doc.replace(name, '"two"') + "\r\n"
    out = engine.run(decode(text.encode()), applier="roundtrip").output
    assert "\r\r" not in out and out.count("\r\n") == out.count("\n")
    assert out.startswith("\r\n{") and out.endswith("}\r\n") and "}\r\n\r\n{" in out
    assert out.count('"httpGet"') == 2


@pytest.mark.parametrize(("text", "line", "column"), [
    ('{"a": 1}\n5\n', 2, 1),
    ('{"a": 1} true\n', 1, 10),
    ('[1, 2]\n\n"x"\n', 3, 1),
    ('{"a": 1}\nkind: ConfigMap\n', 2, 1),
])
def test_one_json_document_followed_by_something_else_says_so(text: str, line: int, column: int) -> None:
    """Not YAML's "did not find expected <document start>": the input is JSON, and what
    follows its one document is neither another one nor YAML's ``---``, ``...`` or a comment."""
    message = "something other than JSON follows the JSON document"
    with pytest.raises(TextError) as caught:
        jsoninput.scan_text(text)
    assert (caught.value.message, caught.value.line, caught.value.column) == (message, line, column)
    run = run_inproc([], text.encode())
    assert_clean_error(run, f"^{message} \\(line {line}, column {column}\\)$")
    assert run.out == b""


@pytest.mark.parametrize("text", ['{"a": 1}\n---\nb: 2\n', '{"a": 1}\n...\n', '{"a": 1}  # c\n'])
def test_one_json_document_followed_by_yaml_markers_is_still_yaml(text: str) -> None:
    assert jsoninput.scan_text(text).docs[0].root == {"a": 1}
