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
    assert "bad.yaml" in report["results"][0]["message"]
    assert report["summary"] == "would fix nothing in 0 resources; 1 error"  # --in-place wrote nothing


def test_validate_mode_results_are_errors_in_sarif(tmp_path: Path) -> None:
    out = tmp_path / "r.sarif"
    path = write(tmp_path, "isvc.yaml", BROKEN)
    r = cli("--check", "--set", "mode=validate", "--results", str(out), "--format", "sarif", str(path))
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


STALE = '{"summary": "an earlier run"}\n'


def test_every_failing_run_replaces_the_file_with_its_own_error(tmp_path: Path) -> None:
    """CI uploads the file after a failing step: it must be this run's, never a stale one."""
    out = tmp_path / "r.json"
    bad_config = write(tmp_path, "fn.yaml", "apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\nspec: {port: 0}\n")
    isvc = write(tmp_path, "isvc.yaml", BROKEN)
    runs = [(("--results", str(out)), b"a: [\n", "input-invalid", 2),
            (("--set", "stratgy=tcp", "--results", str(out), str(isvc)), b"", "config-invalid", None),
            (("--config", str(bad_config), "--results", str(out), str(isvc)), b"", "config-invalid", None)]
    for args, stdin, rule, line in runs:
        out.write_text(STALE)
        r = cli(*args, stdin=stdin)
        assert r.code == 1 and len(r.err.splitlines()) == 1, r.err
        report = read(out)
        assert report["summary"] == "fixed nothing in 0 resources; 1 error"
        assert [(x["rule"], (x["file"] or {}).get("line")) for x in report["results"]] == [(rule, line)]


def test_a_file_that_cannot_be_decoded_is_an_error_at_that_file(tmp_path: Path) -> None:
    write(tmp_path, "u/a.yaml", BROKEN)
    (tmp_path / "u/b.yaml").write_bytes(b"\xff\xfe\x00bad")
    out = tmp_path / "r.sarif"
    r = cli("--in-place", "--results", str(out), str(tmp_path / "u"))
    assert r.code == 1 and (tmp_path / "u/a.yaml").read_text() == BROKEN
    run = read(out)["runs"][0]
    VALIDATOR.validate(read(out))
    # nothing was written, so the summary says what would have been
    assert run["properties"]["summary"] == "would fix 1 readinessProbe in 1 InferenceService (1 file); 1 error, 1 warning"
    failed = [x for x in run["results"] if x["ruleId"] == "input-invalid"]
    assert [x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for x in failed] == [
        f"file://{tmp_path}/u/b.yaml"]  # an absolute path as given: a file URI


def test_an_in_place_run_stopped_by_an_error_result_says_would_fix(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", BROKEN)
    write(tmp_path, "bad.yaml", BROKEN.replace("name: iris", "name: bad").replace(
        "exec: {command: [test, -f, /ready]}", "httpGet: {port: nope}"))
    out = tmp_path / "r.json"
    r = cli("--in-place", "--results", str(out), str(tmp_path))
    assert r.code == 1
    assert read(out)["summary"].startswith("would fix 1 readinessProbe in 1 InferenceService (1 file); 1 error")


def test_a_run_with_nothing_to_read_still_writes_the_file(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty/a.yaml").write_text("")
    out = write(tmp_path, "r.json", STALE)
    assert cli("--check", "--results", str(out), str(tmp_path / "empty")).code == 0
    assert read(out)["summary"] == "nothing to fix in 0 resources" and read(out)["results"] == []


def test_context_from_stdin_names_no_file(tmp_path: Path) -> None:
    runtime = "apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata: {name: rt}\nspec:\n" \
              "  supportedModelFormats: [{name: custom, autoSelect: true}]\n  containers:\n" \
              "  - name: kserve-container\n    image: me/rt\n    readinessProbe: {exec: {command: [cat, /r]}}\n"
    user = write(tmp_path, "user.yaml", "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\n"
                 "metadata: {name: u, annotations: {serving.kserve.io/deploymentMode: Standard}}\n"
                 "spec:\n  predictor:\n    logger: {mode: all}\n    model: {modelFormat: {name: custom}, runtime: rt}\n")
    out = tmp_path / "r.json"
    cli("--check", "--context", "-", "--results", str(out), str(user), stdin=runtime.encode())
    context = [x for x in read(out)["results"] if x["rule"] == "read-only-context"]
    assert len(context) == 1 and context[0]["file"] is None  # not "stdin (context)", which is no file
