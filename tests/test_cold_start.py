"""Cold start: a run imports only what it needs (issue: fast enough to disappear)."""

from __future__ import annotations

import json
import subprocess
import sys

ONE = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: one, annotations: {serving.kserve.io/deploymentMode: RawDeployment}}
spec:
  predictor:
    logger: {mode: all}
    model: {modelFormat: {name: sklearn}, storageUri: "gs://x", readinessProbe: {exec: {command: [a]}}}
"""
PROBE = """
import io, json, sys
from fix_kserve_probes.cli import main
argv = json.loads(sys.argv[1])
out, err = io.BytesIO(), io.StringIO()
code = main(argv, stdin=io.BytesIO(sys.stdin.buffer.read()), stdout=out, stderr=err)
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""
# PyYAML is imported (its C parser pulls in the package); ruamel.yaml only for a round-trip fallback.
HEAVY = ("pydantic", "pydantic_core", "jsonpath_ng", "ply", "numpy", "requests", "ruamel", "jsonschema")


def imported(stdin: str, *argv: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(list(argv))], input=stdin.encode(),
                          capture_output=True, check=True)
    report = json.loads(proc.stdout)
    assert report["code"] == 0, proc.stderr
    return set(report["modules"])


def test_a_plain_run_imports_no_pydantic_or_jsonpath() -> None:
    modules = imported(ONE)
    assert "fix_kserve_probes.kserve.plan" in modules
    assert [m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY] == []


def test_pydantic_only_when_there_is_a_config_and_jsonpath_only_when_used(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "fn.yaml"
    config.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {strategy: tcp}\n")
    modules = imported(ONE, "--config", str(config))
    assert "pydantic" in modules and "jsonpath_ng" not in modules
    config.write_text("apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\nmetadata: {name: c}\n"
                      "spec: {extraTargets: [{kind: X, containers: '$.spec.containers[*]'}]}\n")
    assert "jsonpath_ng" in imported(ONE, "--config", str(config))
