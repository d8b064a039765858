"""Files mode is one package: every PATH (and the read-only --context) is planned as one
input, then each file gets its own edits back (issue 9)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from clihelp import cli
from merged import handlers
from ruamel.yaml import YAML

BASE = Path(__file__).resolve().parents[2] / "examples" / "kustomize" / "base"
ISVC, SR = "inferenceservice.yaml", "servingruntime.yaml"


def split_repo(tmp: Path) -> tuple[Path, Path]:
    for name in (ISVC, SR):
        shutil.copy(BASE / name, tmp / name)
    return tmp / ISVC, tmp / SR


def docs(text: str) -> list[Any]:
    return [d for d in YAML(typ="safe").load_all(text) if d]


def one(path: Path) -> Any:
    return docs(path.read_text())[0]


def agent_probe(isvc: Any, runtime: Any) -> list[str]:
    """Handlers of the kserve-container probe the agent reads after KServe's merge."""
    rt = next(c for c in runtime["spec"]["containers"] if c["name"] == "kserve-container")
    return handlers(rt, isvc["spec"]["predictor"]["model"])


def test_split_files_in_place_are_fixed_together(tmp_path: Path) -> None:
    isvc, sr = split_repo(tmp_path)
    assert agent_probe(one(isvc), one(sr)) == ["exec"]
    r = cli("--in-place", str(isvc), str(sr))
    assert r.code == 0, r.err
    assert "not in the input" not in r.err
    fixed_isvc, fixed_sr = one(isvc), one(sr)
    assert agent_probe(fixed_isvc, fixed_sr) == ["httpGet"]
    # the xgbserver's health path, not the tcpSocket fallback a lone file would get
    assert fixed_isvc["spec"]["predictor"]["model"]["readinessProbe"]["httpGet"]["path"].startswith("/v1/models")
    # every byte outside the edits is kept: the comments at the top stay
    assert isvc.read_text().startswith((BASE / ISVC).read_text().split("apiVersion")[0])


def test_split_files_check_fails_and_names_each_file(tmp_path: Path) -> None:
    isvc, sr = split_repo(tmp_path)
    r = cli("--check", str(isvc), str(sr))
    assert r.code == 1
    assert f"{isvc} would change" in r.err and f"{sr} would change" in r.err
    assert f"({sr})" in r.err  # results name the file of each resource
    assert isvc.read_bytes() == (BASE / ISVC).read_bytes()


def test_a_walked_directory_is_one_package(tmp_path: Path) -> None:
    isvc, sr = split_repo(tmp_path)
    assert cli("--in-place", str(tmp_path)).code == 0
    assert agent_probe(one(isvc), one(sr)) == ["httpGet"]
    assert cli("--check", str(tmp_path)).code == 0


def test_context_from_a_file_decides_but_is_never_written(tmp_path: Path) -> None:
    isvc, sr = split_repo(tmp_path)
    before = sr.read_bytes()
    r = cli("--check", str(isvc), "--context", str(sr))
    assert r.code == 1 and "not in the input" not in r.err
    assert "read-only context" in r.err and str(sr) in r.err
    r = cli(str(isvc), "--context", str(sr))
    assert r.code == 0, r.err
    assert [d["kind"] for d in docs(r.out)] == ["InferenceService"]  # context is never printed
    probe = docs(r.out)[0]["spec"]["predictor"]["model"]["readinessProbe"]
    assert "httpGet" in probe and "exec" not in probe
    assert sr.read_bytes() == before


def test_context_from_stdin(tmp_path: Path) -> None:
    isvc, sr = split_repo(tmp_path)
    r = cli("--in-place", str(isvc), "--context", "-", stdin=sr.read_bytes())
    assert r.code == 0, r.err
    assert "httpGet" in one(isvc)["spec"]["predictor"]["model"]["readinessProbe"]
    assert sr.read_bytes() == (BASE / SR).read_bytes()


def test_context_dash_needs_paths_for_the_input() -> None:
    r = cli("--context", "-", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    assert r.code != 0 and len(r.err.splitlines()) == 1 and "--context -" in r.err


def test_a_lone_file_still_says_the_runtime_is_not_in_the_input(tmp_path: Path) -> None:
    isvc, _ = split_repo(tmp_path)
    r = cli("--check", str(isvc))
    assert "is not in the input" in r.err


CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: inferenceservice-config, namespace: kserve}
data:
  deploy: '{"defaultDeploymentMode": "Serverless"}'
"""
UNANNOTATED = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: plain}
spec:
  predictor:
    logger: {mode: all}
    sklearn:
      storageUri: gs://x
      readinessProbe: {exec: {command: ["true"]}}
"""


def test_inferenceservice_config_in_another_file(tmp_path: Path) -> None:
    (tmp_path / "isvc.yaml").write_text(UNANNOTATED)
    (tmp_path / "config.yaml").write_text(CONFIG)
    assert cli("--check", str(tmp_path / "isvc.yaml")).code == 1  # Standard by default: would change
    assert cli("--check", str(tmp_path)).code == 0  # the cluster default is Serverless: left alone
    assert cli("--check", str(tmp_path / "isvc.yaml"), "--context", str(tmp_path / "config.yaml")).code == 0


EXPORT = """\
apiVersion: v1
kind: List
items:
- apiVersion: serving.kserve.io/v1alpha1
  kind: ServingRuntime
  metadata:
    name: fraud-xgbserver
    namespace: fraud
    creationTimestamp: "2025-01-01T00:00:00Z"
    resourceVersion: "123"
  spec:
    supportedModelFormats: [{name: xgboost, version: "1"}]
    protocolVersions: [v1, v2]
    containers:
    - name: kserve-container
      image: kserve/xgbserver:v0.15.2
      readinessProbe:
        exec: {command: [test, -d, /mnt/models]}
- apiVersion: serving.kserve.io/v1beta1
  kind: InferenceService
  metadata: {name: fraud-detector, namespace: fraud}
  spec:
    predictor:
      batcher: {maxBatchSize: 32}
      model:
        modelFormat: {name: xgboost}
        runtime: fraud-xgbserver
        storageUri: s3://m
        readinessProbe:
          exec: {command: [test, -f, /mnt/models/model.bst]}
  status:
    conditions:
    - {type: Ready, status: "True"}
    url: http://fraud-detector.fraud
metadata:
  resourceVersion: ""
"""


def test_a_kind_list_export_is_planned_item_by_item() -> None:
    assert cli("--check", stdin=EXPORT).code == 1
    r = cli(stdin=EXPORT)
    assert r.code == 0, r.err
    out = docs(r.out)[0]
    assert out["kind"] == "List" and out["metadata"] == {"resourceVersion": ""}
    runtime, isvc = out["items"]
    assert isvc["status"]["url"] == "http://fraud-detector.fraud"
    assert agent_probe(isvc, runtime) == ["httpGet"]
    assert r.out.count("\n") >= EXPORT.count("\n") - 2  # edited in place, not re-dumped


def test_a_list_as_context(tmp_path: Path) -> None:
    isvc, _ = split_repo(tmp_path)
    export = tmp_path / "cluster.yaml"
    # the example's InferenceService has no namespace (kustomize sets it), so neither has the export
    export.write_text(EXPORT.replace("    namespace: fraud\n", "").replace(
        "metadata: {name: fraud-detector, namespace: fraud}", "metadata: {name: other}"))
    r = cli("--check", str(isvc), "--context", str(export))
    assert r.code == 1 and "not in the input" not in r.err
    assert "ServingRuntime/fraud-xgbserver" in r.err and "read-only context" in r.err
    assert "InferenceService/other" not in r.err  # a context InferenceService is only read


def test_a_list_inside_a_resourcelist() -> None:
    items = "\n".join("  " + line if line else line for line in EXPORT.splitlines())
    rl = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- " + items.lstrip() + "\n"
    r = cli(stdin=rl)
    assert r.code == 0, r.err
    runtime, isvc = docs(r.out)[0]["items"][0]["items"]
    assert agent_probe(isvc, runtime) == ["httpGet"]


def test_a_context_that_holds_the_inputs_reads_them_once(tmp_path: Path) -> None:
    """pre-commit passes the staged files and --context the repository: a staged runtime is
    fixed as input, with no warning that its context copy is read-only."""
    isvc, sr = split_repo(tmp_path)
    r = cli("--in-place", str(isvc), str(sr), "--context", str(tmp_path))
    assert r.code == 0 and "read-only context" not in r.err, r.err
    assert agent_probe(one(isvc), one(sr)) == ["httpGet"]


def test_a_resourcelist_config_names_its_context(tmp_path: Path) -> None:
    isvc, sr = split_repo(tmp_path)
    body = "\n".join("  " + line if line and not line.startswith("#") else line
                     for line in isvc.read_text().splitlines() if not line.startswith("#"))
    rl = ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- " + body.lstrip() + "\n"
          "functionConfig:\n  apiVersion: fn.kpt.dev/v1alpha1\n  kind: FixKServeProbes\n  metadata: {name: f}\n"
          f"  spec:\n    context: [{sr}]\n")
    r = cli(stdin=rl)
    assert r.code == 0, r.err
    out = docs(r.out)[0]
    assert [i["kind"] for i in out["items"]] == ["InferenceService"]
    assert "httpGet" in out["items"][0]["spec"]["predictor"]["model"]["readinessProbe"]
    assert any("read-only context" in res["message"] for res in out["results"])
    missing = cli(stdin=rl.replace(str(sr), str(tmp_path / "nowhere.yaml")))
    assert missing.code != 0 and len(missing.err.splitlines()) == 1 and "nowhere.yaml" in missing.err


def test_stdin_with_a_context_file(tmp_path: Path) -> None:
    isvc, sr = split_repo(tmp_path)
    r = cli("--context", str(sr), stdin=isvc.read_bytes())
    assert r.code == 0, r.err
    assert [d["kind"] for d in docs(r.out)] == ["InferenceService"]
    assert "/v1/models/" in docs(r.out)[0]["spec"]["predictor"]["model"]["readinessProbe"]["httpGet"]["path"]
    assert cli("--context", str(tmp_path / "nowhere.yaml"), stdin=isvc.read_bytes()).code != 0
