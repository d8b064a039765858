"""--results: where each result is (file, line, column) and the JSON and SARIF forms.

The SARIF is validated against the official SARIF 2.1.0 schema, shipped in
tests/schemas/ (its README says where it came from)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from test_results import ISVC

from fix_kserve_probes import __version__, engine
from fix_kserve_probes.krm.report import Located, locate, render, uri_reference
from fix_kserve_probes.krm.results import Result
from fix_kserve_probes.krm.rules import RULES
from fix_kserve_probes.yamltext.source import decode

SCHEMA = json.loads((Path(__file__).parent.parent / "schemas" / "sarif-schema-2.1.0.json").read_text())
GOLDEN = Path(__file__).parent.parent / "golden"
# A URI reference (RFC 3986): only these characters, and % only before two hex digits.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


def located(*sources: tuple[bytes, str | None]) -> list[Located]:
    """The package's results, located as the CLI will: each source's body and name."""
    package = [engine.Source(decode(data), name) for data, name in sources]
    outcome = engine.run_package(package)
    return locate(outcome.results, [s.text.body for s in package], [s.origin for s in package])


def position(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of ``needle``, counted by hand."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    before = text[:at].split("\n")
    return len(before), len(before[-1]) + 1


def edits(found: list[Located]) -> list[Located]:
    return [one for one in found if one.result.rule == "probe-rewritten"]


def test_block_yaml_from_stdin_has_a_line_but_no_file() -> None:
    (edit,) = edits(located((ISVC.encode(), None)))
    assert (edit.uri, edit.line, edit.column) == (None, 12, 7)
    assert (edit.line, edit.column) == position(ISVC, "readinessProbe:")


def test_flow_yaml_on_one_line() -> None:
    text = ("{apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, metadata: {name: iris}, spec: "
            "{predictor: {logger: {mode: all}, model: {modelFormat: {name: sklearn}, readinessProbe: "
            "{exec: {command: [cat, /r]}}}}}}\n")
    (edit,) = edits(located((text.encode(), "flow.yaml")))
    assert (edit.uri, edit.line, edit.column) == ("flow.yaml", 1, text.index("readinessProbe") + 1)


def test_json_input_with_stand_ins_counts_lines_of_the_original() -> None:
    """Surrogate escapes and a raw LS (a line break to YAML 1.1, not to an editor or to
    SARIF's consumers) before the probe: lines are counted at \\n only."""
    resource = {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
                "metadata": {"name": "iris", "annotations": {"note": "\U0001f680\u2028"}},
                "spec": {"predictor": {"logger": {"mode": "all"}, "model": {
                    "modelFormat": {"name": "sklearn"}, "readinessProbe": {"exec": {"command": ["cat", "/r"]}}}}}}
    text = json.dumps(resource, indent=2).replace("\\u2028", "\u2028")
    (edit,) = edits(located((text.encode(), "isvc.json")))
    assert (edit.line, edit.column) == position(text, '"readinessProbe"')


def test_multi_document_files_and_several_sources() -> None:
    second = ISVC.replace("name: iris", "name: two")
    a = "# leading comment\n" + ISVC + "---\n" + second
    found = edits(located((a.encode(), "a.yaml"), (second.encode(), "dir/b.yaml")))
    assert [(one.uri, one.line, one.column) for one in found] == [
        ("a.yaml", *position(a, "readinessProbe:")),
        ("a.yaml", *position(a, "readinessProbe:", 1)),
        ("dir/b.yaml", *position(second, "readinessProbe:")),
    ]
    assert found[1].line == 13 + 1 + 14  # after the comment, the first document and ---


def test_crlf_and_a_byte_order_mark_change_no_line_or_column() -> None:
    crlf = b"\xef\xbb\xbf" + ISVC.replace("\n", "\r\n").encode()
    (edit,) = edits(located((crlf, "crlf.yaml")))
    assert (edit.line, edit.column) == (12, 7)


def test_a_resource_annotated_with_another_file_has_that_file_and_no_line() -> None:
    """A stream's (or a ResourceList's) offsets are in the stream, not in the annotated file."""
    text = ISVC.replace("  namespace: ml\n", "  namespace: ml\n  annotations:\n    config.kubernetes.io/path: m/isvc.yaml\n")
    (edit,) = edits(located((text.encode(), None)))
    assert (edit.uri, edit.line, edit.column) == ("m/isvc.yaml", None, None)


def test_unknown_places_stay_unknown() -> None:
    about_nothing = Result("m", "info", rule="assumed-shipped-runtimes")
    past_the_end = Result("m", "info", source=0, offset=99)
    no_such_source = Result("m", "info", source=3, offset=0)
    found = locate([about_nothing, past_the_end, no_such_source], ["short\n"], ["a.yaml"])
    assert [(one.uri, one.line, one.column) for one in found] == [(None, None, None), ("a.yaml", None, None),
                                                                   (None, None, None)]
    assert locate([Result("m", "info", source=0, offset=6)], ["short\n"], ["a.yaml"])[0][2:] == (2, 1)


def test_locating_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """20,000 results in a 20,000-line text: line starts found once per text (not once per
    result, which would be quadratic), each offset bisected. Counted, not timed."""
    import fix_kserve_probes.krm.report as report_module

    scans: list[int] = []

    class Counting:
        def finditer(self, text: str) -> Any:
            scans.append(len(text))
            return re.finditer("\n", text)

    monkeypatch.setattr(report_module, "_NEWLINE", Counting())
    text = "key: value\n" * 20_000
    results = [Result("m", "info", source=0, offset=11 * i + 5) for i in range(20_000)]
    found = locate(results, [text, "a: b\n"], ["big.yaml", "small.yaml"])
    assert scans == [len(text)]  # the small text holds no result: never scanned
    assert (found[-1].line, found[-1].column) == (20_000, 6)
    assert [(one.line, one.column) for one in found[:2]] == [(1, 6), (2, 6)]


def test_json_form() -> None:
    found = located((ISVC.encode(), "isvc.yaml"))
    text = render(found, "json", summary="fixed 1 readinessProbe", version="1.2.3")
    assert text.endswith("}\n") and text.isascii()
    document = json.loads(text)
    assert {k: v for k, v in document.items() if k != "results"} == {
        "tool": "fix-kserve-probes", "version": "1.2.3", "formatVersion": 1, "summary": "fixed 1 readinessProbe"}
    edit, info = document["results"]
    assert edit == {
        "severity": "info", "message": found[0].result.message, "rule": "probe-rewritten",
        "resourceRef": {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService", "name": "iris",
                        "namespace": "ml"},
        "field": found[0].result.field,
        "file": {"path": "isvc.yaml", "line": 12, "column": 7},
    }
    assert edit["field"]["path"] == "spec.predictor.model.readinessProbe" and "proposedValue" in edit["field"]
    assert info == {"severity": "info", "message": found[1].result.message, "rule": "assumed-shipped-runtimes",
                    "resourceRef": None, "field": None, "file": None}


def test_json_is_strict_json_also_for_yaml_s_infinity_and_nan() -> None:
    result = Result("m", "info", field={"path": "p", "currentValue": {"periodSeconds": float("inf"), "x": float("nan"),
                                                                      "y": [float("-inf")]}})
    text = render([Located(result, None, None, None)], "json", summary="", version="0")
    value = json.loads(text, parse_constant=lambda name: pytest.fail(f"not strict JSON: {name}"))
    assert value["results"][0]["field"]["currentValue"] == {"periodSeconds": ".inf", "x": ".nan", "y": ["-.inf"]}


def test_json_form_from_stdin_keeps_the_line() -> None:
    document = json.loads(render(located((ISVC.encode(), None)), "json", summary="", version="0"))
    assert document["results"][0]["file"] == {"path": None, "line": 12, "column": 7}


VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)  # the schema's own draft: draft-04


def test_the_shipped_schema_is_the_official_one_and_valid() -> None:
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert isinstance(VALIDATOR, jsonschema.Draft4Validator)
    jsonschema.Draft4Validator.check_schema(SCHEMA)


def validate(document: dict[str, Any]) -> None:
    """The SARIF schema, and what GitHub code scanning needs on top of it: it refuses a
    whole upload when one result lacks a physical location with a non-empty file URI
    (github/codeql-action#1738) and it needs region.startLine (sarif-sdk rule GH1003)."""
    VALIDATOR.validate(document)
    for run in document["runs"]:
        for result in run["results"]:
            assert result["locations"], "a result without a location"
            for location in result["locations"]:
                physical = location["physicalLocation"]
                uri = physical["artifactLocation"]["uri"]
                assert uri and URI_REFERENCE.match(uri), uri
                assert physical["region"]["startLine"] >= 1


def sarif(found: list[Located], summary: str = "s") -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render(found, "sarif", summary=summary, version=__version__))
    validate(document)
    return document


def test_sarif_validates_and_says_what_and_where() -> None:
    document = sarif(located((ISVC.encode(), "manifests/isvc.yaml")), summary="fixed 1 readinessProbe")
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("fix-kserve-probes", __version__)
    assert "informationUri" not in driver  # the project states no URL (pyproject.toml)
    assert run["properties"] == {"summary": "fixed 1 readinessProbe"}
    assert run["columnKind"] == "unicodeCodePoints"
    assert [r["id"] for r in driver["rules"]] == ["probe-rewritten", "assumed-shipped-runtimes"]
    assert driver["rules"][0]["shortDescription"]["text"] == RULES["probe-rewritten"]
    assert [r["defaultConfiguration"]["level"] for r in driver["rules"]] == ["note", "note"]
    (edit,) = run["results"]
    (info,) = run["invocations"][0]["toolExecutionNotifications"]  # about no resource, in no file
    assert run["invocations"][0]["executionSuccessful"] is True
    assert (edit["ruleId"], edit["ruleIndex"], edit["level"]) == ("probe-rewritten", 0, "note")
    assert edit["message"]["text"].startswith("InferenceService ml/iris spec.predictor.model.readinessProbe: ")
    assert edit["locations"] == [{
        "physicalLocation": {"artifactLocation": {"uri": "manifests/isvc.yaml"},
                             "region": {"startLine": 12, "startColumn": 7}},
        "logicalLocations": [{"fullyQualifiedName": "InferenceService ml/iris", "kind": "resource"}],
    }]
    assert info["associatedRule"] == {"id": "assumed-shipped-runtimes", "index": 1} and info["level"] == "note"


def test_sarif_levels_and_one_rule_per_id() -> None:
    results = [Result("e", "error", rule="port-name-not-found"), Result("w", "warning", rule="guessed-server"),
               Result("w2", "warning", rule="guessed-server"), Result("i", "info"),
               Result("x", "error", rule="not-registered")]
    run = sarif([Located(r, "a.yaml", 3, 1) for r in results])["runs"][0]
    assert [r["level"] for r in run["results"]] == ["error", "warning", "warning", "note", "error"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "port-name-not-found", "guessed-server", "unclassified", "not-registered"]
    assert [r["ruleIndex"] for r in run["results"]] == [0, 1, 1, 2, 3]
    assert run["tool"]["driver"]["rules"][3]["shortDescription"]["text"] == RULES["unclassified"]


def test_sarif_results_in_no_file_are_notifications_of_the_run() -> None:
    """stdin has no file to point at: GitHub would refuse the upload, so they are the
    invocation's notifications; an error among them marks the run as not successful."""
    run = sarif(located((ISVC.encode(), None)))["runs"][0]
    assert run["results"] == []
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["associatedRule"]["id"] for n in notes] == ["probe-rewritten", "assumed-shipped-runtimes"]
    assert notes[0]["message"]["text"].startswith("InferenceService ml/iris spec.predictor.model.readinessProbe: ")
    failed = sarif([Located(Result("bad", "error", rule="input-invalid"), None, None, None)])["runs"][0]
    assert failed["invocations"][0]["executionSuccessful"] is False


def test_sarif_file_without_a_line_is_placed_at_line_1() -> None:
    result = Result("m", "warning", {"kind": "ServingRuntime", "name": "rt"}, file={"path": "rt.yaml"}, rule="x")
    (out,) = sarif([Located(result, "rt.yaml", None, None)])["runs"][0]["results"]
    assert out["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "rt.yaml"}, "region": {"startLine": 1}}
    assert out["message"]["text"] == "ServingRuntime rt: m"


@pytest.mark.parametrize(("path", "uri"), [
    ("manifests/isvc.yaml", "manifests/isvc.yaml"),
    ("./my dir/isvc file.yaml", "my%20dir/isvc%20file.yaml"),
    ("/abs/über.yaml", "file:///abs/%C3%BCber.yaml"),
    ("a:b/c#d?.yaml", "a%3Ab/c%23d%3F.yaml"),  # a colon would read as a scheme, # and ? as URI parts
    ("back\\slash.yaml", "back%5Cslash.yaml"),
    ("100%.yaml", "100%25.yaml"),
])
def test_uris_are_percent_encoded_references(path: str, uri: str) -> None:
    assert uri_reference(path) == uri
    assert URI_REFERENCE.match(uri)


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir() if (p / "input.yaml").is_file()))
def test_every_golden_case_gives_valid_sarif_and_json(case: str) -> None:
    """With the case's config as the input's own: a config that names a file mode or other
    context is left to the golden test itself."""
    data = (GOLDEN / case / "input.yaml").read_bytes()
    try:
        found = located((data, f"golden/{case}/input.yaml"))
    except Exception as err:  # noqa: BLE001  # a case whose input is refused has no results to render
        pytest.skip(f"refused without results: {err}")
    run = sarif(found)["runs"][0]
    assert len(run["results"]) + len(run["invocations"][0]["toolExecutionNotifications"]) == len(found)
    assert all(r["ruleId"] in RULES for r in run["results"])
    assert len(json.loads(render(found, "json", summary="", version="0"))["results"]) == len(found)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown results format"):
        render([], "xml", summary="", version="0")  # type: ignore[arg-type]


@pytest.mark.parametrize("damage", [
    lambda d: d["runs"][0]["results"][0].update(level="info"),  # SARIF's is "note"
    lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0),
    lambda d: d["runs"][0]["tool"]["driver"].pop("name"),
    lambda d: d.update(version="2.0.0"),
])
def test_the_schema_check_catches_what_it_should(damage: Any) -> None:
    """The shipped schema is really applied: each of these mistakes fails validation."""
    document = json.loads(render(located((ISVC.encode(), "isvc.yaml")), "sarif", summary="", version="0"))
    damage(document)
    with pytest.raises(jsonschema.ValidationError):
        validate(document)
