"""Smoke test of the benchmark (bench/run.py): it runs, prints its tables, and the outputs agree.

No timing is asserted here: speed goals are checked by running the benchmark itself.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_generated_resource_list_is_deterministic_and_kpt_shaped() -> None:
    from ruamel.yaml import YAML

    generate = _load("generate")
    text = generate.resource_list(40, 0.25)
    assert text == generate.resource_list(40, 0.25)
    data = YAML(typ="safe").load(text)
    assert data["apiVersion"] == "config.kubernetes.io/v1" and data["kind"] == "ResourceList"
    kinds = [item["kind"] for item in data["items"]]
    assert kinds.count("InferenceService") == 40 and kinds.count("ConfigMap") == 40
    isvcs = [item for item in data["items"] if item["kind"] == "InferenceService"]
    assert sum("logger" in i["spec"]["predictor"] for i in isvcs) == generate.agent_count(40, 0.25) == 10
    annotations = isvcs[0]["metadata"]["annotations"]
    assert annotations["serving.kserve.io/deploymentMode"] == "RawDeployment"
    assert annotations["config.kubernetes.io/path"] == annotations["internal.config.kubernetes.io/path"]
    assert "exec" in isvcs[0]["spec"]["predictor"]["model"]["readinessProbe"]


def test_quick_benchmark_runs_and_outputs_agree(tmp_path: Path) -> None:
    out = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--sizes", "1,100", "--fractions", "1",
         "--variants", "plain,anchored", "--repeat", "1", "--no-naive-above", "100", "--no-kustomize-above", "100",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "MISMATCH" not in done.stdout
    assert "naive round-trip (ruamel) output: items equal to the function's" in done.stdout
    assert "== Targets (issue 4)" in done.stdout and "== Growth with N" in done.stdout
    assert "== Targets (issue 11" in done.stdout and "the C event walk" in done.stdout
    data = json.loads(out.with_suffix(".json").read_text())
    cases = [(case["size"], case["variant"]) for case in data["cases"]]
    assert cases == [(1, "plain"), (1, "anchored"), (100, "plain"), (100, "anchored")]
    for case in data["cases"]:
        assert {"function", "walk", "naive", "cat"} <= set(case["results"])
        assert case["results"]["function"]["cpu_s"] > 0 and not case["problems"]
    assert "imports" in data["cases"][0]["results"]
    assert "| fix-kserve-probes |" in out.with_suffix(".md").read_text()
    again = subprocess.run([sys.executable, str(BENCH / "run.py"), "--from-json", str(out.with_suffix(".json"))],
                           cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert again.returncode == 0 and "== Side by side" in again.stdout, again.stderr


def test_anchored_variant_has_anchors_of_its_own_and_the_same_data() -> None:
    from ruamel.yaml import YAML

    generate = _load("generate")
    text = generate.resource_list(3, 1.0, variant="anchored")
    assert text.count("&res-") == text.count("*res-") == 3 and text.count("&env-") == 3
    isvc = YAML(typ="safe").load(text)["items"][1]
    model = isvc["spec"]["predictor"]["model"]
    assert model["resources"]["limits"] == model["resources"]["requests"] and "exec" in model["readinessProbe"]


def test_phases_and_event_walk_run() -> None:
    walk = subprocess.run([sys.executable, str(BENCH / "event_walk.py")], input="a: [1, 2]\n", cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    assert walk.stdout.strip() == "11 events"  # stream, document, mapping, a, sequence, 1, 2 and their ends
    phases = subprocess.run([sys.executable, str(BENCH / "phases.py"), "--size", "5", "--variant", "anchored"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert "parse + tree build" in phases.stdout and "GC" in phases.stdout


def test_compare_names_the_first_difference() -> None:
    compare = _load("compare")
    isvc = {"kind": "InferenceService", "metadata": {"name": "a", "namespace": "m"},
            "spec": {"predictor": {"model": {"readinessProbe": {"httpGet": {"port": 8080}}}}}}
    other = {**isvc, "spec": {"predictor": {"model": {"readinessProbe": {"exec": {"command": ["true"]}}}}}}
    assert compare.first_difference([isvc], [isvc]) is None
    difference = compare.first_difference([isvc], [other])
    assert difference is not None and "InferenceService m/a" in difference and ".spec.predictor" in difference
    assert compare.first_difference([isvc], []) == "1 items vs 0"
    assert compare.rewritten([isvc, other]) == 1
