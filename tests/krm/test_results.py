"""Results keep their rule and where their key is (source, offset), which kpt's results
format does not show: ``to_dict`` is unchanged."""

from __future__ import annotations

import json

import pytest

from fix_kserve_probes import engine
from fix_kserve_probes.krm.config import load
from fix_kserve_probes.krm.function_config import FunctionConfig
from fix_kserve_probes.krm.results import Result, config_result, key_offset
from fix_kserve_probes.yamltext import jsoninput
from fix_kserve_probes.yamltext.scanner import scan
from fix_kserve_probes.yamltext.source import decode

ISVC = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
  namespace: ml
spec:
  predictor:
    logger: {mode: all}
    model:
      modelFormat: {name: sklearn}
      storageUri: gs://x
      readinessProbe:
        exec:
          command: [cat, /tmp/ready]
"""


def run(*texts: str, config: FunctionConfig | None = None) -> engine.Outcome:
    """The texts as one package: stdin for one, files f0.yaml, f1.yaml, ... for more."""
    sources = [engine.Source(decode(t.encode("utf-8")), f"f{k}.yaml" if len(texts) > 1 else None)
               for k, t in enumerate(texts)]
    return engine.run_package(sources, config=config)


def test_the_new_fields_come_last_with_defaults_and_stay_out_of_kpts_results() -> None:
    assert Result._fields[-3:] == ("rule", "source", "offset")
    bare = Result("m", "info", {"kind": "X", "name": "x"})
    assert (bare.rule, bare.source, bare.offset) == ("", None, None)
    full = bare._replace(rule="probe-rewritten", source=0, offset=12)
    assert full.to_dict() == bare.to_dict() == {"message": "m", "severity": "info",
                                                "resourceRef": {"kind": "X", "name": "x"}}


def test_an_edit_is_placed_at_its_key() -> None:
    (edit, *others) = run(ISVC).results
    assert (edit.rule, edit.severity, edit.source) == ("probe-rewritten", "info", 0)
    assert ISVC[edit.offset:].startswith("readinessProbe:")
    assert [r.rule for r in others] == ["assumed-shipped-runtimes"]
    assert (others[0].source, others[0].offset) == (None, None)  # about no resource


def test_validate_mode_edits_have_their_own_rule() -> None:
    text = ISVC.replace("metadata:\n", "metadata:\n  annotations: {}\n")
    config = load({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"mode": "validate"}})
    (edit, _) = run(text, config=config).results
    assert (edit.rule, edit.severity) == ("probe-needs-fix", "error")
    assert text[edit.offset:].startswith("readinessProbe:")


def test_an_added_key_is_placed_at_the_nearest_node_that_exists() -> None:
    """keepAsStartupProbe adds startupProbe: the container mapping is the last node on its path."""
    docs = scan("spec:\n  containers:\n  - name: c\n    readinessProbe: {}\n").docs
    root = docs[0].root
    text = "spec:\n  containers:\n  - name: c\n    readinessProbe: {}\n"
    assert text[key_offset(root, ("spec", "containers", 0, "startupProbe")):].startswith("name: c")
    assert text[key_offset(root, ("spec", "containers", 0, "readinessProbe")):].startswith("readinessProbe")
    assert text[key_offset(root, ("spec", "containers", 5)):].startswith("containers:")
    assert key_offset(root, ()) == 0
    assert key_offset({"plain": "dict"}, ("plain",)) is None


def test_flow_and_json_keys_are_placed_at_their_first_character() -> None:
    text = '{"spec": {"containers": [{"name": "c", "readinessProbe": {"exec": {}}}]}}'
    root = scan(text).docs[0].root
    at = key_offset(root, ("spec", "containers", 0, "readinessProbe", "exec"))
    assert text[at:].startswith('"exec"')
    flow = "spec: {containers: [{name: c, readinessProbe: {exec: {}}}]}\n"
    at = key_offset(scan(flow).docs[0].root, ("spec", "containers", 0, "readinessProbe"))
    assert flow[at:].startswith("readinessProbe")


def test_merged_keys_have_no_place_of_their_own() -> None:
    text = "base: &b {port: 1}\nprobe:\n  <<: *b\n  path: /\n"
    root = scan(text).docs[0].root
    assert text[key_offset(root, ("probe", "path")):].startswith("path")
    assert text[key_offset(root, ("probe", "port")):].startswith("probe")  # merged: the mapping's key


def test_json_stand_ins_keep_every_offset_of_the_original_text() -> None:
    """The scanner reads a same-length stand-in for JSON it cannot read as written
    (surrogate escapes, raw LS/PS/NEL); the offsets still index the original."""
    resource = json.loads(json.dumps({
        "apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
        "metadata": {"name": "iris", "annotations": {"note": "\U0001f680 \u2028 \x85"}},
        "spec": {"predictor": {"logger": {"mode": "all"}, "model": {
            "modelFormat": {"name": "sklearn"}, "readinessProbe": {"exec": {"command": ["cat", "/r"]}}}}}}))
    text = json.dumps(resource, indent=2).replace("\\u2028", "\u2028").replace("\\u0085", "\x85")
    assert "\\ud83d" in text and "\u2028" in text  # both kinds of stand-in are needed
    stand_in = jsoninput.stand_in(text)
    assert stand_in is not None and len(stand_in) == len(text)
    (edit, _) = run(text).results
    assert text[edit.offset:].startswith('"readinessProbe"')
    assert stand_in[edit.offset:].startswith('"readinessProbe"')


def test_each_source_is_named_by_its_index() -> None:
    second = ISVC.replace("name: iris", "name: two")
    results = [r for r in run(ISVC, "---\n" + second).results if r.rule == "probe-rewritten"]
    assert [r.source for r in results] == [0, 1]
    assert [r.file for r in results] == [{"path": "f0.yaml"}, {"path": "f1.yaml"}]
    assert ("---\n" + second)[results[1].offset:].startswith("readinessProbe:")


RESOURCE_LIST = """\
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items: []
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: cfg}
  data:
    selector.labels: nope
"""


def test_a_config_problem_is_placed_at_its_key() -> None:
    (result,) = run(RESOURCE_LIST).results
    assert (result.rule, result.severity, result.source) == ("config-invalid", "error", 0)
    assert RESOURCE_LIST[result.offset:].startswith("selector.labels: nope")


@pytest.mark.parametrize(("path", "starts"), [
    ("spec.extraTargets[0].kind", "kind: 3"),
    ("spec.extraTargets[1].kind", "extraTargets"),  # no such item: its list's key
    ("spec.nothing", "spec:"),
    ("apiVersion", "apiVersion"),
])
def test_a_config_path_is_walked_as_far_as_it_exists(path: str, starts: str) -> None:
    text = "apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\nspec:\n  extraTargets: [{kind: 3}]\n"
    result = config_result(scan(text).docs[0].root, path, "bad")
    assert text[result.offset:].startswith(starts)
    assert (result.rule, result.source) == ("config-invalid", 0)


def test_a_config_problem_without_a_place_has_none() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\ndata: {}\n"
    assert config_result(scan(text).docs[0].root, "--set strategy", "bad")[-2:] == (None, None)
    assert config_result({"kind": "ConfigMap"}, "data.strategy", "bad")[-2:] == (None, None)  # not scanned
    assert config_result(None, "data", "bad").rule == "config-invalid"
