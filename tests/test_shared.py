"""KServe's own material (../shared): every sample and shipped runtime goes through
cleanly, and what comes out still validates against KServe's CRDs."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from clihelp import cli
from ruamel.yaml import YAML

SAFE = YAML(typ="safe")
SCHEMA_FILES = {
    ("serving.kserve.io/v1beta1", "InferenceService"): ["serving.kserve.io_inferenceservices.yaml",
                                                        "v0.14.1_serving.kserve.io_inferenceservices.yaml"],
    ("serving.kserve.io/v1alpha1", "ServingRuntime"): ["serving.kserve.io_servingruntimes.yaml"],
    ("serving.kserve.io/v1alpha1", "ClusterServingRuntime"): ["serving.kserve.io_clusterservingruntimes.yaml"],
}


def schemas(shared: Path, doc: dict[str, Any]) -> list[tuple[str, Any]]:
    version = str(doc.get("apiVersion", "")).split("/")[-1]
    return [(name, _validator(shared / "kserve" / "crds" / name, version))
            for name in SCHEMA_FILES.get((doc.get("apiVersion"), doc.get("kind")), [])]


@functools.cache
def _validator(path: Path, version: str) -> Any:
    import json

    import jsonschema

    # The C loader and a JSON copy keep this cheap: the CRDs are several MB of YAML.
    crd = json.loads(json.dumps(YAML(typ="safe", pure=False).load(path.read_text())))
    (entry,) = [v for v in crd["spec"]["versions"] if v["name"] == version]
    return jsonschema.Draft7Validator(entry["schema"]["openAPIV3Schema"])


def errors(validator: Any, doc: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def as_standard_agent(doc: dict[str, Any]) -> dict[str, Any]:
    """The same InferenceService in Standard mode with a logger on every component and an
    exec readinessProbe on each container an agent reads: the worst case for each sample."""
    doc = SAFE.load(_dump(doc))
    doc["metadata"].setdefault("annotations", {})["serving.kserve.io/deploymentMode"] = "RawDeployment"
    probe = {"exec": {"command": ["test", "-f", "/tmp/ready"]}, "periodSeconds": 5}
    for name in ("predictor", "transformer", "explainer"):
        comp = doc["spec"].get(name)
        if not isinstance(comp, dict):
            continue
        comp["logger"] = {"mode": "all"}
        for key, value in comp.items():
            if isinstance(value, dict) and key not in ("logger", "batcher", "annotations", "labels", "workerSpec"):
                value["readinessProbe"] = dict(probe)
        for container in comp.get("containers", [])[:1]:
            container["readinessProbe"] = dict(probe)
    return doc


def _dump(value: Any) -> str:
    import io

    stream = io.StringIO()
    YAML(typ="safe").dump(value, stream)
    return stream.getvalue()


def shared_files(shared: Path) -> list[Path]:
    return sorted((shared / "kserve" / "samples").glob("*.yaml")) + sorted((shared / "kserve" / "runtimes").glob("*.yaml"))


def parses(text: str) -> bool:
    """Judged by an independent parser (ruamel's pure-Python one), not ours."""
    from ruamel.yaml.error import YAMLError

    try:
        list(YAML(typ="safe", pure=True).load_all(text))
    except YAMLError:
        return False
    return True


def test_every_sample_and_runtime_goes_through_without_error(shared: Path) -> None:
    files = shared_files(shared)
    assert len(files) >= 20
    invalid = []
    for path in files:
        r = cli(str(path))
        assert "Traceback" not in r.err
        if not parses(path.read_text()):
            # e.g. a sample with a `{username}/torchserve` placeholder: kubectl rejects it too.
            invalid.append(path.name)
            assert r.code == 1 and len(r.err.splitlines()) == 1 and "invalid YAML" in r.err and "line " in r.err
            continue
        assert r.code == 0, (path.name, r.err)
        assert "[error]" not in r.err
        assert list(SAFE.load_all(r.out)) == list(SAFE.load_all(path.read_text())), path.name  # nothing to fix as shipped
    assert len(invalid) <= 1, invalid


def test_worst_case_samples_are_fixed_and_still_valid(shared: Path) -> None:
    samples = [p for p in sorted((shared / "kserve" / "samples").glob("*.yaml")) if parses(p.read_text())]
    docs = [d for p in samples for d in SAFE.load_all(p.read_text()) if d and d.get("kind") == "InferenceService"]
    assert len(docs) >= 10
    runtimes = [d for p in sorted((shared / "kserve" / "runtimes").glob("*.yaml")) for d in SAFE.load_all(p.read_text())]
    stream = [as_standard_agent(d) for d in docs] + runtimes
    r = cli(stdin=_stream(stream))
    assert r.code == 0, r.err
    out = list(SAFE.load_all(r.out))
    assert len(out) == len(stream)
    checked = 0
    for before, after in zip(stream, out, strict=True):
        assert "exec:" not in _readiness_dump(after) or before["kind"] != "InferenceService", before["metadata"]["name"]
        for name, schema in schemas(shared, after):
            if errors(schema, before):  # only claim what held before (canary and friends are v0.20+)
                continue
            assert errors(schema, after) == [], (name, after["metadata"]["name"])
            checked += 1
    assert checked >= len(stream)


def test_multinode_runtime_is_fixed_and_valid(shared: Path) -> None:
    runtime = SAFE.load((shared / "kserve" / "runtimes" / "kserve-huggingfaceserver-multinode.yaml").read_text())
    isvc = {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
            "metadata": {"name": "llama", "annotations": {"serving.kserve.io/deploymentMode": "Standard"}},
            "spec": {"predictor": {"logger": {"mode": "all"}, "model": {"modelFormat": {"name": "huggingface"},
                                   "storageUri": "pvc://models/llama"}, "workerSpec": {"tensorParallelSize": 1}}}}
    r = cli(stdin=_stream([isvc, runtime]))
    assert r.code == 0 and r.err == "fix-kserve-probes: fixed 1 readinessProbe in 1 ClusterServingRuntime\n"  # read by llama's agent
    _, fixed = list(SAFE.load_all(r.out))
    head = fixed["spec"]["containers"][0]
    assert head["readinessProbe"] == {"failureThreshold": 2, "periodSeconds": 5, "successThreshold": 1,
                                      "timeoutSeconds": 15, "httpGet": {"path": "/v1/models/{{.Name}}", "port": 8080}}
    assert head["livenessProbe"] == runtime["spec"]["containers"][0]["livenessProbe"]
    assert head["startupProbe"] == runtime["spec"]["containers"][0]["startupProbe"]
    assert fixed["spec"]["workerSpec"] == runtime["spec"]["workerSpec"]  # no readinessProbe there
    for _, schema in schemas(shared, fixed):
        assert errors(schema, fixed) == []
        broken = SAFE.load(_dump(fixed))
        broken["spec"]["containers"][0]["readinessProbe"]["periodSeconds"] = "often"
        assert errors(schema, broken)  # the schema check has teeth


def test_captured_kpt_inputs_are_read(shared: Path) -> None:
    for path in sorted((shared / "krm-inputs").glob("*.yaml")):
        doc = SAFE.load(path.read_text())
        doc.pop("functionConfig", None)  # the captures carry another function's config
        text = _stream([doc])
        r = cli(stdin=text)
        assert r.code == 0 and r.out.startswith(text), path.name  # nothing changed; the summary result added
        assert SAFE.load(r.out)["results"][-1]["message"].startswith("nothing to fix in "), path.name
        with_config = cli(stdin=path.read_text())
        assert (with_config.code == 1 and "unsupported functionConfig" in with_config.err) or "unknown field" in with_config.err


def _stream(docs: list[dict[str, Any]]) -> str:
    return "---\n".join(_dump(d) for d in docs)


def _readiness_dump(doc: dict[str, Any]) -> str:
    found: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "readinessProbe" in node:
                found.append(node["readinessProbe"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc.get("spec"))
    return _dump(found)


@pytest.fixture(autouse=True)
def _needs_jsonschema() -> None:
    pytest.importorskip("jsonschema")
