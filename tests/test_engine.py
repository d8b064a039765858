"""One run end to end: ResourceLists, streams, results and what passes through untouched."""

from __future__ import annotations

import textwrap

import pytest
from clihelp import cli
from ruamel.yaml import YAML

ISVC = """\
- apiVersion: serving.kserve.io/v1beta1
  kind: InferenceService
  metadata:
    name: iris
    annotations:
      config.kubernetes.io/path: 'isvc.yaml'
      internal.config.kubernetes.io/path: 'isvc.yaml'
      config.kubernetes.io/index: '2'
  spec:
    predictor:
      logger: {mode: all}
      model:
        modelFormat: {name: sklearn}
        storageUri: gs://x
        readinessProbe:
          exec:
            command: [cat, /tmp/ready]
          periodSeconds: 7
"""
KPTFILE = """\
- apiVersion: kpt.dev/v1
  kind: Kptfile
  metadata:
    name: pkg
    annotations:
      config.kubernetes.io/local-config: "true"
"""


def resource_list(items: str, version: str = "v1", config: str = "") -> str:
    return f"apiVersion: config.kubernetes.io/{version}\nkind: ResourceList\nitems:\n{items}{config}"


def load(text: str) -> dict:
    return YAML(typ="safe").load(text)


@pytest.mark.parametrize("version", ["v1", "v1beta1", "v1alpha1"])
def test_resource_list_version_is_echoed_and_items_kept(version: str) -> None:
    r = cli(stdin=resource_list(KPTFILE + ISVC, version))
    assert r.code == 0, r.err
    out = load(r.out)
    assert out["apiVersion"] == f"config.kubernetes.io/{version}"
    assert [i["kind"] for i in out["items"]] == ["Kptfile", "InferenceService"]
    probe = out["items"][1]["spec"]["predictor"]["model"]["readinessProbe"]
    assert probe == {"httpGet": {"path": "/v1/models/iris", "port": 8080}, "periodSeconds": 7}


def test_info_result_per_rewrite_in_the_spec_shape() -> None:
    out = load(cli(stdin=resource_list(ISVC)).out)
    info = [r for r in out["results"] if r["severity"] == "info" and "resourceRef" in r]
    assert len(info) == 1
    assumed = [r for r in out["results"] if r["severity"] == "info" and "resourceRef" not in r]
    assert len(assumed) == 2 and "kserve-sklearnserver (1 InferenceService)" in assumed[0]["message"]
    # Issue 13: kpt shows results, not stderr, so the run's summary is the last result.
    assert assumed[1] == {"message": "fixed 1 readinessProbe in 1 InferenceService (1 file)", "severity": "info"}
    r = info[0]
    assert r["resourceRef"] == {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService", "name": "iris"}
    assert r["field"]["path"] == "spec.predictor.model.readinessProbe"
    assert r["field"]["currentValue"]["exec"] == {"command": ["cat", "/tmp/ready"]}
    assert r["field"]["proposedValue"]["httpGet"] == {"path": "/v1/models/iris", "port": 8080}
    assert r["file"] == {"path": "isvc.yaml", "index": 2}


def test_nothing_to_fix_gives_the_input_back_byte_for_byte_with_only_the_summary_result() -> None:
    text = resource_list(KPTFILE + ISVC.replace("logger: {mode: all}", "minReplicas: 1"))
    assert cli(stdin=text) == cli(stdin=text)  # deterministic
    r = cli(stdin=text)
    summary = 'results:\n- message: "nothing to fix in 1 resource"\n  severity: info\n'  # the Kptfile is local config
    assert (r.code, r.out, r.err) == (0, text + summary, "")


def test_fix_is_idempotent() -> None:
    first = cli(stdin=resource_list(ISVC)).out
    again = cli(stdin=first.split("results:")[0]).out
    assert again.split("results:")[0] == first.split("results:")[0]
    assert "proposedValue" not in again  # no rewrite the second time (only the assumed-runtimes info)


def test_missing_items_key_still_emits_items() -> None:
    r = cli(stdin="apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n")
    assert r.code == 0
    assert load(r.out)["items"] == []


def test_config_error_keeps_items_adds_results_and_exits_1() -> None:
    config = "functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: function-input}\n  data: {stratgy: tcp}\n"
    r = cli(stdin=resource_list(ISVC, config=config))
    assert r.code == 1
    out = load(r.out)
    assert out["items"][0]["spec"]["predictor"]["model"]["readinessProbe"]["exec"]  # unchanged
    (result,) = out["results"]
    assert result["severity"] == "error" and result["field"] == {"path": "data.stratgy"}
    assert "did you mean 'strategy'" in result["message"]
    assert r.err.count("\n") == 1 and "Traceback" not in r.err


def test_typed_config_in_a_resource_list() -> None:
    config = textwrap.dedent("""\
        functionConfig:
          apiVersion: fn.kpt.dev/v1alpha1
          kind: FixKServeProbes
          metadata: {name: cfg}
          spec: {strategy: tcp}
        """)
    out = load(cli(stdin=resource_list(ISVC, config=config)).out)
    assert out["items"][0]["spec"]["predictor"]["model"]["readinessProbe"] == {"tcpSocket": {"port": 8080}, "periodSeconds": 7}


def test_validate_mode_changes_nothing_and_fails() -> None:
    config = "functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: f}, data: {mode: validate}}\n"
    text = resource_list(ISVC, config=config)
    r = cli(stdin=text)
    assert r.code == 1
    assert r.out.startswith(text)  # only results were appended
    results = load(r.out)["results"]
    assert [x["severity"] for x in results] == ["error", "info", "info"]  # the rewrite; the assumed runtime; summary
    assert results[-1]["message"] == "would fix 1 readinessProbe in 1 InferenceService (1 file); 1 error"


# An annotation KServe does not know: a warning (the runtime, KServe's shipped sklearn one, is no longer one).
ISVC_WARNS = ISVC.replace("      config.kubernetes.io/index: '2'\n",
                          "      config.kubernetes.io/index: '2'\n      serving.kserve.io/deploymentMode: Raw\n")


def test_kustomize_and_log_to_stderr_send_warnings_to_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    ISVC = ISVC_WARNS  # the module's fixture, with a warning
    quiet = cli(stdin=resource_list(ISVC))
    assert quiet.err == ""
    config = textwrap.dedent("""\
        functionConfig:
          apiVersion: fn.kpt.dev/v1alpha1
          kind: FixKServeProbes
          metadata:
            name: cfg
            annotations:
              config.kubernetes.io/function: |
                exec: {path: ./fix-kserve-probes}
              config.kubernetes.io/local-config: "true"
        """)
    loud = cli(stdin=resource_list(ISVC, config=config))
    warning, summary = loud.err.splitlines()  # kustomize shows stderr, not results: the summary goes there too
    assert "[warning]" in warning
    assert summary == "fix-kserve-probes: fixed 1 readinessProbe in 1 InferenceService (1 file); 1 warning"
    assert "fixed 1 readinessProbe" not in loud.out  # and is not a result as well
    monkeypatch.setenv("LOG_TO_STDERR", "true")
    assert "[warning]" in cli(stdin=resource_list(ISVC)).err


def test_plain_stream_round_trip_with_results_on_stderr() -> None:
    stream = "---\n" + textwrap.dedent(ISVC_WARNS).replace("- apiVersion", "apiVersion").replace("\n  ", "\n") + "---\n# tail comment\n"
    r = cli(stdin=stream)
    assert r.code == 0
    assert "httpGet" in r.out and "exec" not in r.out and r.out.endswith("---\n# tail comment\n")
    assert "results" not in r.out
    assert "[warning]" in r.err
    verbose = cli("-v", stdin=stream)
    assert "[info]" in verbose.err


def test_json_in_json_out() -> None:
    import json

    doc = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [load(ISVC)[0]]}
    r = cli(stdin=json.dumps(doc, indent=2))
    out = json.loads(r.out)
    assert out["items"][0]["spec"]["predictor"]["model"]["readinessProbe"]["httpGet"]["port"] == 8080
    assert out["results"][0]["severity"] == "info"


def test_local_config_and_unknown_kinds_pass_through_untouched() -> None:
    other = "- apiVersion: example.com/v1\n  kind: Thing   # odd  spacing\n  metadata: {name: t}\n  spec: {x: !!str 1}\n"
    r = cli(stdin=resource_list(KPTFILE + other + ISVC))
    assert KPTFILE in r.out and other in r.out


def test_an_item_with_anchors_is_re_dumped_alone_and_the_rest_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: before}   # odd   spacing\n  data: {a: 'x'}\n"
    anchored = ISVC.replace("    name: iris\n", "    name: iris\n    labels: {app: &app iris, copy: *app}\n") \
        .replace("command: [cat", "command: &ready [cat")  # in the edit: the splicer leaves it to the round trip
    r = cli("--debug", stdin=resource_list(before + anchored + before.replace("before", "after")))
    assert r.code == 0
    assert r.out.startswith(resource_list(before)) and before.replace("before", "after") in r.out
    assert "round-trip applier for this resource" in r.err
    assert "&app" in r.out and "*app" in r.out
    out = load(r.out)
    assert out["items"][1]["spec"]["predictor"]["model"]["readinessProbe"]["httpGet"]["port"] == 8080
    assert out["items"][1]["metadata"]["labels"] == {"app": "iris", "copy": "iris"}


def test_results_already_there_are_kept_as_written_and_ours_follow() -> None:
    prior = "results:\n- {message: &m earlier, severity: info}   # from another run\n"
    head = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n" + prior
    tail = "items:\n" + ISVC + "- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {note: *m}}\n"
    r = cli(stdin=head + tail)
    assert r.code == 0
    assert r.out.startswith(head)  # appended after the prior result, which is not rewritten
    out = load(r.out)
    assert out["results"][0] == {"message": "earlier", "severity": "info"} and len(out["results"]) == 4
    assert out["items"][1]["data"]["note"] == "earlier"


def test_a_resource_whose_anchor_another_aliases_falls_back_for_the_whole_input() -> None:
    shared = ISVC.replace("        readinessProbe:\n", "        readinessProbe: &probe\n")
    other = "- {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {probe: *probe}}\n"
    r = cli("--debug", stdin=resource_list(shared + other))
    assert r.code == 0 and "shares anchors with other resources" in r.err
    out = load(r.out)
    assert out["items"][0]["spec"]["predictor"]["model"]["readinessProbe"]["httpGet"]["port"] == 8080
    assert out["items"][1]["spec"]["probe"]["exec"] == {"command": ["cat", "/tmp/ready"]}  # not changed with it


def test_local_config_resources_are_not_changed() -> None:
    local = ISVC.replace("      config.kubernetes.io/path: 'isvc.yaml'\n",
                         "      config.kubernetes.io/path: 'isvc.yaml'\n      config.kubernetes.io/local-config: 'true'\n")
    text = resource_list(local)
    assert cli(stdin=text).out.startswith(text) and "exec" in cli(stdin=text).out


def test_whole_input_fallback_keeps_crlf() -> None:
    text = ("apiVersion: config.kubernetes.io/v1\r\nkind: ResourceList\r\nitems:\r\n- &x\r\n"
            "  apiVersion: serving.kserve.io/v1beta1\r\n  kind: InferenceService\r\n  metadata: {name: a}\r\n"
            "  spec:\r\n    predictor:\r\n      logger: {mode: all}\r\n      model:\r\n"
            "        modelFormat: {name: sklearn}\r\n        storageUri: \"s3://x\"\r\n"
            "        readinessProbe: {exec: {command: [x]}}\r\n- *x\r\n")
    r = cli(stdin=text)
    assert r.code == 0 and "httpGet" in r.out
    assert r.out.count("\n") == r.out.count("\r\n")


def test_merge_keys_are_followed_and_the_merged_source_is_left_alone() -> None:
    text = ("apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: a}\nspec:\n"
            "  predictor:\n    logger: {mode: all}\n    model:\n"
            "      <<: {readinessProbe: {exec: {command: [x]}}, livenessProbe: {exec: {command: [y]}}}\n"
            "      modelFormat: {name: sklearn}\n      storageUri: \"s3://x\"\n")
    r = cli(stdin=text)
    model = load(r.out)["spec"]["predictor"]["model"]
    assert model["readinessProbe"] == {"httpGet": {"path": "/v1/models/a", "port": 8080}}
    assert model["livenessProbe"] == {"exec": {"command": ["y"]}}


KEPT_HANDLER = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: kept
  annotations: {serving.kserve.io/deploymentMode: RawDeployment}
spec:
  predictor:
    batcher: {}
    containers:
      - name: kserve-container
        image: example/server
        ports: [{name: http, containerPort: 8080}]
        readinessProbe:
          exec: {command: [cat, /tmp/ready]}
          httpGet:
            # the path the team agreed on
            path: /ready  # keep
            port: http
"""


def test_comments_inside_a_kept_handler_survive() -> None:
    """Issue 10: with two handlers the working one is kept, its named port made numeric;
    only that key changes, so the comments inside the handler stay."""
    r = cli(stdin=KEPT_HANDLER.encode())
    assert r.code == 0, r.err
    assert "            # the path the team agreed on\n            path: /ready  # keep\n            port: 8080\n" in r.out
    assert "exec" not in r.out


def test_a_named_port_in_a_working_probe_becomes_numeric_and_https_becomes_tcp() -> None:
    text = KEPT_HANDLER.replace("          exec: {command: [cat, /tmp/ready]}\n", "")
    r = cli(stdin=text.encode())
    assert r.code == 0 and "port: 8080\n" in r.out and "port: http" not in r.out
    https = text.replace("            port: http\n", "            port: http\n            scheme: HTTPS\n")
    r = cli(stdin=https.encode())
    assert "tcpSocket" in r.out and "httpGet" not in r.out
    assert "TLS cannot complete" in r.err
    unknown = text.replace("port: http\n", "port: nope\n")
    r = cli(stdin=unknown.encode())
    assert r.code == 1 and "'nope' names no containerPort" in r.err and r.out == unknown


def test_fifty_services_on_kserve_s_shipped_runtimes_print_nothing_on_stderr() -> None:
    """Issue 13: the shipped runtimes' probes are known, so no per-resource warning."""
    one = textwrap.dedent(ISVC).replace("- apiVersion", "apiVersion").replace("\n  ", "\n")
    stream = "".join("---\n" + one.replace("name: iris", f"name: iris-{n}") for n in range(50))
    r = cli(stdin=stream.encode())
    assert r.code == 0 and r.err == "fix-kserve-probes: fixed 50 readinessProbes in 50 InferenceServices (1 file)\n"  # all name isvc.yaml
    assert r.out.count("httpGet:") == 50
    assert cli("--quiet", stdin=stream.encode()).err == ""
    checked = cli("--check", stdin=stream.encode())
    assert checked.code == 1
    assert sum("assumed KServe's shipped runtimes" in line for line in checked.err.splitlines()) == 1
    assert "kserve-sklearnserver (50 InferenceServices)" in checked.err
