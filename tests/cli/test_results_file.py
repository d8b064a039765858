"""--results FILE --format json|sarif (issue 13): every result, located, for CI uploads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from clihelp import cli
from test_cli import BROKEN, FINE, write

SCHEMA = json.loads((Path(__file__).parent.parent / "schemas" / "sarif-schema-2.1.0.json").read_text())
VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
UNKNOWN_MODE = BROKEN.replace("name: iris   # keep this comment",
                              "name: iris\n  annotations: {serving.kserve.io/deploymentMode: Raw}")


def read(path: Path) -> Any:
    return json.loads(path.read_text())


def test_files_mode_sarif_is_valid_and_points_at_each_key(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "apps/a.yaml", UNKNOWN_MODE)
    write(tmp_path, "apps/b.yaml", FINE + "---\n" + BROKEN.replace("name: iris", "name: two"))
    r = cli("--check", "--results", "scan.sarif", "apps")
    assert r.code == 1
    sarif = read(tmp_path / "scan.sarif")
    VALIDATOR.validate(sarif)
    run = sarif["runs"][0]
    assert run["properties"]["summary"] == "would fix 2 readinessProbes in 2 InferenceServices (2 files); 3 warnings"
    places = {(res["ruleId"], loc["physicalLocation"]["artifactLocation"]["uri"],
               loc["physicalLocation"]["region"]["startLine"])
              for res in run["results"] for loc in res["locations"] if "physicalLocation" in loc}
    # a.yaml: the annotation on line 5, the probe key on line 12; b.yaml's second document starts at line 6
    assert ("unknown-deployment-mode", "apps/a.yaml", 5) in places
    assert ("probe-rewritten", "apps/a.yaml", 12) in places
    assert ("probe-rewritten", "apps/b.yaml", 16) in places
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} >= {"probe-rewritten", "unknown-deployment-mode"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_json_from_stdin_is_the_default_format_and_the_output_is_unchanged(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    plain = cli(stdin=BROKEN.encode())
    r = cli("--results", str(results), stdin=BROKEN.encode())
    assert (r.code, r.out) == (0, plain.out)
    report = read(results)
    assert report["summary"] == "fixed 1 readinessProbe in 1 InferenceService; 1 warning"
    edit = next(x for x in report["results"] if x["rule"] == "probe-rewritten")
    assert edit["file"] == {"path": None, "line": 11, "column": 9}  # stdin: no file name, still a line
    assert edit["field"]["path"] == "spec.predictor.containers[0].readinessProbe"


def test_the_file_is_written_when_the_run_fails_and_holds_the_error(tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", BROKEN)
    write(tmp_path, "bad.yaml", "a: [b\n")
    out = tmp_path / "r.json"
    r = cli("--in-place", "--results", str(out), str(tmp_path / "ok.yaml"), str(tmp_path / "bad.yaml"))
    assert r.code == 1 and (tmp_path / "ok.yaml").read_text() == BROKEN
    report = read(out)
    assert [x["rule"] for x in report["results"]] == ["input-invalid"]
    assert "bad.yaml" in report["results"][0]["message"] and report["summary"].startswith("error: ")


def test_validate_mode_results_are_errors_in_sarif(tmp_path: Path) -> None:
    out = tmp_path / "r.sarif"
    r = cli("--set", "mode=validate", "--results", str(out), "--format", "sarif", stdin=BROKEN.encode())
    assert r.code == 1
    sarif = read(out)
    VALIDATOR.validate(sarif)
    levels = {res["ruleId"]: res["level"] for res in sarif["runs"][0]["results"]}
    assert levels["probe-needs-fix"] == "error"


def test_an_existing_results_file_is_replaced_whole(tmp_path: Path) -> None:
    out = write(tmp_path, "r.json", "x" * 100_000)
    cli("--results", str(out), stdin=FINE.encode())
    assert read(out)["results"] == [] and read(out)["summary"] == "nothing to fix in 1 resource"


def test_usage_errors() -> None:
    r = cli("--format", "sarif", stdin=FINE.encode())
    assert r.code == 2 and r.err == "fix-kserve-probes: error: --format is the format of --results FILE: give --results too\n"
    r = cli("--results", "-", stdin=FINE.encode())
    assert r.code == 2 and "stdout carries the output" in r.err
    r = cli("--results", "r.json", "--format", "xml", stdin=FINE.encode())
    assert r.code == 2 and "invalid choice: 'xml'" in r.err


def test_an_unwritable_results_file_is_one_clear_line(tmp_path: Path) -> None:
    r = cli("--results", str(tmp_path / "no" / "such" / "dir.json"), stdin=BROKEN.encode())
    assert r.code == 1 and len(r.err.splitlines()) == 1
    assert "cannot write" in r.err and "dir.json" in r.err and "Traceback" not in r.err
