"""The planner: which probes an agent reads, and what they become."""

from __future__ import annotations

from typing import Any

import pytest
from builders import EXEC, GRPC, LOGGER, isvc, model, runtime

from fix_kserve_probes.krm.function_config import ExtraTarget, Selection, Selector
from fix_kserve_probes.krm.selection import scope
from fix_kserve_probes.kserve.plan import Plan, plan
from fix_kserve_probes.kserve.settings import Settings

SELECTION_FIELDS = set(Selection._fields)


def run(*items: dict[str, Any], **settings: Any) -> Plan:
    """The planner over ``items``; selection settings go through the KRM layer's scope."""
    chosen = Selection(**{k: v for k, v in settings.items() if k in SELECTION_FIELDS})
    decide = Settings(**{k: v for k, v in settings.items() if k not in SELECTION_FIELDS})
    return plan(list(items), decide, scope(list(items), chosen))


def edited(p: Plan) -> dict[tuple[Any, ...], Any]:
    return {(e.item, *e.path): e.new for e in p.edits}


def warnings(p: Plan) -> list[str]:
    return [f.message for f in p.findings if f.severity == "warning"]


PRED_MODEL = ("spec", "predictor", "model", "readinessProbe")


def test_logger_predictor_exec_becomes_http_on_the_python_servers_model_path() -> None:
    p = run(isvc("iris", predictor={"logger": LOGGER, "model": model(probe=EXEC)}))
    assert edited(p) == {
        (0, *PRED_MODEL): {"httpGet": {"path": "/v1/models/iris", "port": 8080}, "initialDelaySeconds": 5, "periodSeconds": 10}
    }
    assert "logger" in p.edits[0].reason


def test_no_agent_means_no_edit() -> None:
    assert run(isvc(predictor={"model": model(probe=EXEC)})).edits == []


@pytest.mark.parametrize("mode", ["Serverless", "Knative", "ModelMesh"])
def test_knative_and_modelmesh_are_left_alone(mode: str) -> None:
    assert run(isvc(mode=mode, predictor={"logger": LOGGER, "model": model(probe=EXEC)})).edits == []


@pytest.mark.parametrize("mode", ["RawDeployment", "Standard", None])
def test_standard_spellings_and_unannotated_are_fixed(mode: str | None) -> None:
    assert len(run(isvc(mode=mode, predictor={"logger": LOGGER, "model": model(probe=EXEC)})).edits) == 1


def test_unannotated_follows_the_configured_default_mode() -> None:
    item = isvc(mode=None, predictor={"logger": LOGGER, "model": model(probe=EXEC)})
    assert run(item, default_deployment_mode="Knative").edits == []


def test_unannotated_follows_an_inferenceservice_config_in_the_input() -> None:
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "inferenceservice-config", "namespace": "kserve"},
          "data": {"deploy": '{"defaultDeploymentMode": "Serverless"}'}}
    item = isvc(mode=None, predictor={"logger": LOGGER, "model": model(probe=EXEC)})
    assert run(item, cm).edits == []
    assert len(run(item, cm, default_deployment_mode="Standard").edits) == 1  # explicit config wins


def test_status_deployment_mode_wins_over_the_annotation() -> None:
    item = isvc(mode="RawDeployment", predictor={"logger": LOGGER, "model": model(probe=EXEC)})
    item["status"] = {"deploymentMode": "Serverless"}
    assert run(item).edits == []


@pytest.mark.parametrize("mode", ["Raw", "serverless", "rawdeployment"])
def test_unknown_mode_is_a_warning_and_treated_as_default(mode: str) -> None:
    """KServe compares the annotation exactly (utils.go GetDeploymentMode): another case is unknown."""
    p = run(isvc(mode=mode, predictor={"logger": LOGGER, "model": model(probe=EXEC)}))
    assert len(p.edits) == 1
    assert any(f"unknown serving.kserve.io/deploymentMode {mode!r}" in w for w in warnings(p))
    assert run(isvc(mode=mode, predictor={"logger": LOGGER, "model": model(probe=EXEC)}),
               default_deployment_mode="Knative").edits == []


@pytest.mark.parametrize(
    "predictor",
    [
        {"batcher": {"maxBatchSize": 4}, "model": model(probe=EXEC)},
        {"model": model(probe=EXEC, storage=False)},  # multi-model: the agent pulls models
        {"annotations": {"internal.serving.kserve.io/agent": "true"}, "model": model(probe=EXEC)},
        {"sklearn": {"storageUri": "gs://x", "readinessProbe": EXEC}, "logger": LOGGER},
    ],
    ids=["batcher", "multi-model", "component-annotation", "framework-field"],
)
def test_every_agent_trigger_on_the_predictor(predictor: dict[str, Any]) -> None:
    assert len(run(isvc(predictor=predictor)).edits) == 1


def test_isvc_annotation_triggers_the_agent() -> None:
    item = isvc(annotations={"internal.serving.kserve.io/logger": "true"}, predictor={"model": model(probe=EXEC)})
    assert len(run(item).edits) == 1


def test_runtime_pod_annotation_triggers_the_agent() -> None:
    rt = runtime("rt", probe=None)
    rt["spec"]["annotations"] = {"internal.serving.kserve.io/batcher": "true"}
    item = isvc(predictor={"model": model(probe=EXEC, runtime="rt")})
    assert len(run(item, rt).edits) == 1


def test_huggingface_without_storage_is_not_multi_model() -> None:
    assert run(isvc(predictor={"model": model("huggingface", probe=EXEC, storage=False)})).edits == []
    assert run(isvc(predictor={"huggingface": {"readinessProbe": EXEC}})).edits == []


def test_storage_uris_or_storage_spec_is_not_multi_model() -> None:
    m = model(probe=EXEC, storage=False, storage_spec=None)
    m.pop("storage_spec")
    m["storage"] = {"key": "s3", "path": "x"}
    assert run(isvc(predictor={"model": m})).edits == []
    assert run(isvc(predictor={"model": model(probe=EXEC, storage=False), "storageUris": [{"uri": "s3://x"}]})).edits == []


def test_custom_container_multi_model_env() -> None:
    c = {"name": "kserve-container", "image": "me/server", "readinessProbe": EXEC,
         "env": [{"name": "MULTI_MODEL_SERVER", "value": "true"}]}
    p = run(isvc(predictor={"containers": [c]}))
    assert edited(p) == {(0, "spec", "predictor", "containers", 0, "readinessProbe"):
                         {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 5, "periodSeconds": 10}}
    c["env"][0]["value"] = "false"
    assert run(isvc(predictor={"containers": [c]})).edits == []


def test_custom_container_tcp_checks_the_grpc_probe_s_port_else_the_first_container_port() -> None:
    """Issue 10: the port the user's own check dialled comes before a declared containerPort."""
    c = {"name": "kserve-container", "image": "me/server", "readinessProbe": GRPC,
         "ports": [{"name": "h2c", "containerPort": 9000}]}
    p = run(isvc(predictor={"logger": LOGGER, "containers": [c]}))
    assert p.edits[0].new == {"tcpSocket": {"port": 8081}, "periodSeconds": 4}
    c["readinessProbe"] = EXEC  # `cat /tmp/ready` states no port
    p = run(isvc(predictor={"logger": LOGGER, "containers": [c]}))
    assert p.edits[0].new["tcpSocket"] == {"port": 9000}
    assert "port from containerPort" in p.edits[0].reason


def test_custom_predictor_picks_named_then_unnamed_then_first() -> None:
    side = {"name": "sidecar", "image": "x", "readinessProbe": EXEC}
    main = {"image": "me/server", "readinessProbe": EXEC}
    p = run(isvc(predictor={"logger": LOGGER, "containers": [side, main]}))
    assert [e.path for e in p.edits] == [("spec", "predictor", "containers", 1, "readinessProbe")]
    only = {"name": "torchserve-container", "image": "x", "readinessProbe": EXEC}
    p = run(isvc(predictor={"logger": LOGGER, "containers": [only]}))
    assert [e.path for e in p.edits] == [("spec", "predictor", "containers", 0, "readinessProbe")]


def test_collocated_transformer_container_is_fixed_too() -> None:
    pred = {"name": "kserve-container", "image": "x", "readinessProbe": EXEC}
    trans = {"name": "transformer-container", "image": "y", "readinessProbe": EXEC,
             "ports": [{"containerPort": 8080}]}
    p = run(isvc(predictor={"logger": LOGGER, "containers": [pred, trans]}))
    assert sorted(e.path[3] for e in p.edits) == [0, 1]


def test_transformer_and_explainer_components() -> None:
    t = {"logger": LOGGER, "containers": [{"name": "kserve-container", "image": "t", "readinessProbe": EXEC}]}
    e = {"logger": LOGGER, "art": {"type": "SquareAttack", "readinessProbe": GRPC}}
    p = run(isvc(predictor={"model": model()}, transformer=t, explainer=e))
    assert {e.path for e in p.edits} == {
        ("spec", "transformer", "containers", 0, "readinessProbe"),
        ("spec", "explainer", "art", "readinessProbe"),
    }


def test_explainer_batcher_is_ignored_by_kserve() -> None:
    e = {"batcher": {"maxBatchSize": 2}, "containers": [{"name": "x", "image": "e", "readinessProbe": EXEC}]}
    assert run(isvc(predictor={"model": model()}, explainer=e)).edits == []


def test_canary_predictor_and_worker_spec() -> None:
    worker = {"containers": [{"name": "worker-container", "image": "w", "readinessProbe": EXEC}]}
    item = isvc(predictor={"model": model()}, canary=[{"trafficPercent": 10, "predictor": {
        "logger": LOGGER, "model": model(probe=GRPC), "workerSpec": worker}}])
    assert {e.path for e in run(item).edits} == {
        ("spec", "canary", 0, "predictor", "model", "readinessProbe"),
        ("spec", "canary", 0, "predictor", "workerSpec", "containers", 0, "readinessProbe"),
    }


def test_liveness_and_startup_probes_stay() -> None:
    item = isvc(predictor={"logger": LOGGER, "model": {**model(), "livenessProbe": EXEC, "startupProbe": EXEC}})
    assert run(item).edits == []


@pytest.mark.parametrize(
    ("fmt", "extra", "path", "port"),
    [
        ("sklearn", {"protocolVersion": "v2"}, "/v2/health/ready", 8080),  # kserve-mlserver wins on priority
        ("sklearn", {"protocolVersion": "v2", "runtime": "kserve-sklearnserver"}, "/v2/models/m/ready", 8080),
        ("triton", {}, "/v2/health/ready", 8080),
        ("tensorflow", {}, "/v1/models/m", 8080),
        ("xgboost", {"args": ["--model_name=other"]}, "/v1/models/other", 8080),
    ],
)
def test_auto_paths_per_server(fmt: str, extra: dict[str, Any], path: str, port: int) -> None:
    p = run(isvc(predictor={"logger": LOGGER, "model": model(fmt, probe=EXEC, **extra)}))
    assert p.edits[0].new["httpGet"] == {"path": path, "port": port}
    assert "versions" not in path


def test_pytorch_gets_tcp_because_torchserve_model_names_are_unknown() -> None:
    p = run(isvc(predictor={"logger": LOGGER, "pytorch": {"storageUri": "x", "readinessProbe": EXEC}}))
    assert "tcpSocket" in p.edits[0].new


def test_runtime_exec_probe_is_fixed_in_the_runtime_with_the_name_placeholder() -> None:
    rt = runtime("hf", probe=EXEC, formats=("huggingface",), server_type="huggingfaceserver",
                 args=["--model_name={{.Name}}"])
    item = isvc(predictor={"logger": LOGGER, "model": model("huggingface")})
    p = run(item, rt)
    assert edited(p) == {(1, "spec", "containers", 0, "readinessProbe"): {
        "httpGet": {"path": "/v1/models/{{.Name}}", "port": 8080}, "initialDelaySeconds": 5, "periodSeconds": 10}}
    assert "m" in p.edits[0].reason


def test_runtime_used_only_by_agentless_or_knative_services_is_left_alone() -> None:
    rt = runtime("rt", probe=EXEC)
    assert run(isvc(predictor={"model": model(runtime="rt")}), rt).edits == []
    assert run(isvc(mode="Serverless", predictor={"logger": LOGGER, "model": model(runtime="rt")}), rt).edits == []


def test_runtime_shared_by_two_services_is_edited_once() -> None:
    rt = runtime("rt", probe=EXEC)
    a = isvc("a", predictor={"logger": LOGGER, "model": model(runtime="rt")})
    b = isvc("b", predictor={"batcher": {}, "model": model(runtime="rt")})
    p = run(a, b, rt)
    assert [e.item for e in p.edits] == [2]
    assert "a, b" in p.edits[0].reason


def test_isvc_exec_over_runtime_http_takes_the_runtime_handler_type() -> None:
    rt = runtime("rt", probe={"httpGet": {"path": "/health", "port": "http"}},
                 ports=[{"name": "http", "containerPort": 8000}])
    p = run(isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC, runtime="rt")}), rt)
    assert p.edits[0].new["httpGet"] == {"path": "/health", "port": 8000}


def test_runtime_exec_under_isvc_tcp_takes_tcp() -> None:
    rt = runtime("rt", probe=EXEC, server_type="sklearnserver")
    p = run(isvc(predictor={"logger": LOGGER, "model": model(runtime="rt", probe={"tcpSocket": {"port": 8080}})}), rt)
    assert list(p.edits[0].new) == ["tcpSocket", "initialDelaySeconds", "periodSeconds"]


def test_auto_selection_prefers_namespaced_runtime_and_priority() -> None:
    cluster = runtime("cluster", probe=EXEC)
    low = runtime("low", kind="ServingRuntime", namespace="ns", probe=EXEC)
    high = runtime("high", kind="ServingRuntime", namespace="ns", probe=EXEC)
    high["spec"]["supportedModelFormats"][0]["priority"] = 5
    other_ns = runtime("other", kind="ServingRuntime", namespace="elsewhere", probe=EXEC)
    other_ns["spec"]["supportedModelFormats"][0]["priority"] = 9
    p = run(isvc(predictor={"logger": LOGGER, "model": model()}), cluster, low, high, other_ns)
    assert [e.item for e in p.edits] == [3]


def test_auto_selection_skips_disabled_wrong_protocol_and_not_autoselect() -> None:
    disabled = runtime("a", probe=EXEC)
    disabled["spec"]["disabled"] = True
    v2only = runtime("b", probe=EXEC)
    v2only["spec"]["protocolVersions"] = ["v2"]
    manual = runtime("c", probe=EXEC)
    manual["spec"]["supportedModelFormats"][0]["autoSelect"] = False
    good = runtime("d", probe=EXEC)
    p = run(isvc(predictor={"logger": LOGGER, "model": model()}), disabled, v2only, manual, good)
    assert [e.item for e in p.edits] == [4]


def test_model_version_must_match_exactly() -> None:
    rt = runtime("rt", probe=EXEC)  # supports sklearn version "1"
    m = model(modelFormat=None)
    m["modelFormat"] = {"name": "sklearn", "version": "2"}
    p = run(isvc(predictor={"logger": LOGGER, "model": m}), rt)
    assert p.edits == []
    assert any("no runtime" in w for w in warnings(p))


def test_missing_runtime_warns_and_can_be_silenced() -> None:
    item = isvc(predictor={"logger": LOGGER, "model": model(runtime="custom-rt")})
    assert any("runtime custom-rt is not in the input" in w for w in warnings(run(item)))
    assert warnings(run(item, warn_missing_runtimes=False)) == []


def test_shipped_multinode_runtime_not_in_input_is_flagged() -> None:
    item = isvc(predictor={"logger": LOGGER, "model": model("huggingface"), "workerSpec": {}})
    assert any("kserve-huggingfaceserver-multinode ships an exec readinessProbe" in w for w in warnings(run(item)))
    errors = [f for f in run(item, mode="validate").findings if f.severity == "error"]
    assert len(errors) == 1


def test_fix_runtimes_false_reports_instead_of_editing() -> None:
    rt = runtime("rt", probe=EXEC)
    p = run(isvc(predictor={"logger": LOGGER, "model": model(runtime="rt")}), rt, fix_runtimes=False)
    assert p.edits == []
    assert any("fixRuntimes is false" in w for w in warnings(p))


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"strategy": "tcp"}, {"tcpSocket": {"port": 8081}}),  # the first containerPort
        ({"strategy": "tcp", "port": 9090}, {"tcpSocket": {"port": 9090}}),
        # issue 10: a declared containerPort comes before the server's documented default
        ({"strategy": "http"}, {"httpGet": {"path": "/v1/models/m", "port": 8081}}),
        ({"strategy": "http", "http_path": "/ready", "port": "http"}, {"httpGet": {"path": "/ready", "port": 8081}}),
    ],
)
def test_strategies(settings: dict[str, Any], expected: dict[str, Any]) -> None:
    m = model(probe=GRPC, ports=[{"name": "http", "containerPort": 8081}])
    p = run(isvc(predictor={"logger": LOGGER, "model": m}), **settings)
    assert p.edits[0].new == {**expected, "periodSeconds": 4}


def test_remove_strategy_deletes_the_probe() -> None:
    p = run(isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC)}), strategy="remove")
    assert p.edits[0].action == "remove" and p.edits[0].new is None


def test_two_handlers_keep_the_working_one_with_a_numeric_port() -> None:
    probe = {"exec": {"command": ["x"]}, "httpGet": {"path": "/ok", "port": "web"}}
    m = model(probe=probe, ports=[{"name": "web", "containerPort": 8000}])
    p = run(isvc(predictor={"logger": LOGGER, "model": m}))
    assert p.edits[0].new == {"httpGet": {"path": "/ok", "port": 8000}}


def test_keep_as_startup_probe_adds_one_only_when_absent() -> None:
    p = run(isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC)}), keep_as_startup_probe=True)
    startup = [e for e in p.edits if e.path[-1] == "startupProbe"]
    assert startup[0].new == {"exec": EXEC["exec"], "initialDelaySeconds": 5, "periodSeconds": 10, "failureThreshold": 60}
    assert startup[0].action == "add" and startup[0].after == "readinessProbe"
    has_one = model(probe=EXEC)
    has_one["startupProbe"] = {"tcpSocket": {"port": 1}}
    p = run(isvc(predictor={"logger": LOGGER, "model": has_one}), keep_as_startup_probe=True)
    assert [e.path[-1] for e in p.edits] == ["readinessProbe"]


def test_http_agent_probe_problems_are_warnings_and_named_ports_are_fixed() -> None:
    """Issue 10: the agent's prober resolves no port names, so the name becomes its number;
    what cannot be fixed mechanically stays a warning."""
    probe = {"httpGet": {"path": "/v2/models/m/versions/1/ready", "port": "http"}}
    m = model(probe=probe, ports=[{"name": "http", "containerPort": 8081}])
    p = run(isvc(predictor={"logger": LOGGER, "model": m}))
    assert [(e.path[-1], e.new) for e in p.edits] == [
        ("readinessProbe", {"httpGet": {"path": "/v2/models/m/versions/1/ready", "port": 8081}})]
    assert "501" in " ".join(warnings(p))


def test_merged_runtime_and_isvc_handlers_conflict_is_a_warning() -> None:
    rt = runtime("rt", probe={"tcpSocket": {"port": 8080}})
    p = run(isvc(predictor={"logger": LOGGER, "model": model(runtime="rt", probe={"httpGet": {"path": "/", "port": 8080}})}), rt)
    assert any("2 handlers" in w for w in warnings(p))


def test_selectors_pick_services_and_exclude_drops_services_and_runtimes() -> None:
    rt = runtime("rt", probe=EXEC)
    a = isvc("team-a-1", predictor={"logger": LOGGER, "model": model(probe=EXEC, runtime="rt")})
    b = isvc("team-b-1", predictor={"logger": LOGGER, "model": model(probe=EXEC, runtime="rt")})
    p = run(a, b, rt, selectors=(Selector(name="team-a-*"),))
    assert sorted({e.item for e in p.edits}) == [0, 2]
    p = run(a, b, rt, exclude=(Selector(kind="ClusterServingRuntime"),))
    assert sorted({e.item for e in p.edits}) == [0, 1]
    p = run(a, b, rt, selectors=(Selector(labels={"team": "a"}),))
    assert p.edits == []


def test_validate_mode_plans_the_same_edits() -> None:
    item = isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC)})
    assert run(item, mode="validate").edits == run(item).edits


def test_non_kserve_resources_are_never_touched() -> None:
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                  "spec": {"template": {"spec": {"containers": [{"name": "kserve-container", "readinessProbe": EXEC}]}}}}
    fake = isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC)})
    fake["apiVersion"] = "example.com/v1"
    assert run(deployment, fake).edits == []


def test_kserve_resources_without_a_name_are_left_alone_with_a_warning() -> None:
    nameless = isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC)})
    del nameless["metadata"]["name"]
    rt = runtime("x", probe=EXEC)
    del rt["metadata"]["name"]
    p = run(nameless, rt)
    assert p.edits == []
    assert warnings(p) == ["InferenceService without metadata.name is left alone",
                           "ClusterServingRuntime without metadata.name is left alone"]


def test_multi_model_predictors_get_a_server_wide_path() -> None:
    """The agent pulls TrainedModels, each under its own name: /v1/models/<isvc> would 404."""
    p = run(isvc("mms", predictor={"model": model(probe=EXEC, storage=False)}))
    assert p.edits[0].new["httpGet"] == {"path": "/v2/health/ready", "port": 8080}
    p = run(isvc("mms", predictor={"model": model("tensorflow", probe=EXEC, storage=False)}))
    assert "tcpSocket" in p.edits[0].new  # TF Serving has no server-wide ready path


def test_extra_targets_that_overlap_built_in_ones_are_planned_once() -> None:
    item = isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC)})
    extra = (ExtraTarget(kind="InferenceService", containers="$.spec.predictor.model"),)
    p = run(item, extra_targets=extra)
    assert [e.path for e in p.edits] == [PRED_MODEL]


def test_a_transformer_reads_containers_0_whatever_its_name() -> None:
    t = {"logger": LOGGER, "containers": [{"name": "transformer-container", "image": "t", "readinessProbe": EXEC}]}
    p = run(isvc(predictor={"model": model()}, transformer=t))
    assert [e.path for e in p.edits] == [("spec", "transformer", "containers", 0, "readinessProbe")]


def test_runtime_startup_probe_is_not_added_over_a_service_s_own() -> None:
    rt = runtime("rt", probe=EXEC)
    own = model(runtime="rt")
    own["startupProbe"] = {"httpGet": {"path": "/", "port": 8080}}
    p = run(isvc(predictor={"logger": LOGGER, "model": own}), rt, keep_as_startup_probe=True)
    assert [e.path[-1] for e in p.edits] == ["readinessProbe"]


def test_shipped_vllm_runtime_probes_shape_the_rewrite() -> None:
    """kserve-vllmserver ships httpGet readiness and startup probes: a tcp strategy would
    give the merged probe two handlers, and a kept startupProbe two more."""
    item = isvc("llm", predictor={"logger": LOGGER, "model": model("vLLM", probe=EXEC)})
    p = run(item, strategy="tcp", keep_as_startup_probe=True)
    assert [e.path[-1] for e in p.edits] == ["readinessProbe"]
    assert p.edits[0].new == {"httpGet": {"path": "/v1/models", "port": 8080}, "initialDelaySeconds": 5,
                              "periodSeconds": 10}


def test_validate_mode_plans_no_startup_probe() -> None:
    p = run(isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC)}), mode="validate", keep_as_startup_probe=True)
    assert [e.path[-1] for e in p.edits] == ["readinessProbe"]


def test_values_of_the_wrong_type_do_not_crash_the_planner() -> None:
    rt = runtime("rt", probe=EXEC, namespace=None)
    rt["metadata"]["namespace"] = ["x"]
    rt["metadata"]["annotations"] = {"serving.kserve.io/server-type": ["sklearnserver"]}
    rt["spec"]["supportedModelFormats"] = [{"name": ["sklearn"]}, "junk"]
    m = model(probe=EXEC)
    m["modelFormat"] = {"name": ["sklearn"], "version": {"a": 1}}
    p = run(isvc(predictor={"logger": LOGGER, "model": m}), rt)
    assert len(p.edits) == 1


def test_runtime_protocol_default_is_kserve_s_lowest() -> None:
    rt = runtime("rt", probe=EXEC, server_type="sklearnserver")
    rt["spec"]["protocolVersions"] = ["grpc-v1", "v2"]
    p = run(isvc(predictor={"logger": LOGGER, "model": model(runtime="rt")}), rt)
    assert p.edits[0].new["httpGet"]["path"] == "/v2/models/{{.Name}}/ready"


def test_a_port_flag_s_variable_is_expanded_from_env_or_warned_about() -> None:
    """Issue 10: Kubernetes expands $(VAR) in args; it is never written literally or silently."""
    m = model(probe=EXEC)
    m["args"] = ["--http_port=$(PORT)"]
    m["env"] = [{"name": "PORT", "value": "9100"}]
    p = run(isvc(predictor={"logger": LOGGER, "model": m}))
    assert p.edits[0].new["httpGet"]["port"] == 9100 and "port from --http_port" in p.edits[0].reason
    m["env"] = []
    p = run(isvc(predictor={"logger": LOGGER, "model": m}))
    assert p.edits[0].new["httpGet"]["port"] == 8080
    assert any("names PORT, which the container's env does not set" in w for w in warnings(p))


def test_a_port_outside_the_range_is_an_error_and_nothing_changes() -> None:
    m = model(probe=EXEC)
    m["args"] = ["--http_port=12345678901234567890"]
    p = run(isvc(predictor={"logger": LOGGER, "model": m}))
    assert p.edits == []
    assert any(f.severity == "error" and "outside 1-65535" in f.message for f in p.findings)


def test_a_configured_port_name_that_names_nothing_is_an_error() -> None:
    p = run(isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC)}), port="web")
    assert p.edits == []
    assert any(f.severity == "error" and "'web' names no containerPort" in f.message for f in p.findings)


def test_a_model_name_variable_is_expanded_or_the_path_is_server_wide() -> None:
    m = model(probe=EXEC)
    m["args"] = ["--model_name=$(MODEL)"]
    m["env"] = [{"name": "MODEL", "value": "fraud"}]
    p = run(isvc(predictor={"logger": LOGGER, "model": m}))
    assert p.edits[0].new["httpGet"]["path"] == "/v1/models/fraud"
    m["env"] = []
    p = run(isvc(predictor={"logger": LOGGER, "model": m}))
    assert p.edits[0].new["httpGet"]["path"] == "/v2/health/ready"
    assert any("--model_name $(MODEL)" in w for w in warnings(p))


def test_an_exec_command_s_endpoint_is_kept() -> None:
    curl = {"exec": {"command": ["sh", "-c", "curl -sf -H 'X-Probe: 1' http://127.0.0.1:8085/ping || exit 1"]}}
    c = {"name": "kserve-container", "image": "me/server", "readinessProbe": curl}
    p = run(isvc(predictor={"logger": LOGGER, "containers": [c]}))
    assert p.edits[0].new == {"httpGet": {"path": "/ping", "port": 8085,
                                          "httpHeaders": [{"name": "X-Probe", "value": "1"}]}}
    c["readinessProbe"] = {"exec": {"command": ["curl", "-k", "https://localhost:8443/health"]}}
    p = run(isvc(predictor={"logger": LOGGER, "containers": [c]}))
    assert p.edits[0].new == {"tcpSocket": {"port": 8443}}
    assert any("TLS cannot complete" in w for w in warnings(p))
    c["readinessProbe"] = {"exec": {"command": ["sh", "-c", "curl -s localhost:8080/v2/health/ready | grep -q READY"]}}
    p = run(isvc(predictor={"logger": LOGGER, "containers": [c]}))
    assert p.edits[0].new == {"tcpSocket": {"port": 8080}}
    assert any("a body check piped to grep" in w and "keepAsStartupProbe" in w for w in warnings(p))
    c["readinessProbe"] = {"exec": {"command": ["grpc_health_probe", "-addr=:9000"]}}
    p = run(isvc(predictor={"logger": LOGGER, "containers": [c]}))
    assert p.edits[0].new == {"tcpSocket": {"port": 9000}}


def test_a_service_s_named_port_is_fixed_in_the_same_run_as_its_runtime_s_exec() -> None:
    """Found by the fuzzer: the port name was fixed only once the runtime's exec had been,
    so a second run changed the output again."""
    rt = runtime("rt", probe=EXEC, ports=[{"name": "http1", "containerPort": 8080}])
    own = model(runtime="rt", probe={"httpGet": {"path": "/", "port": "http1"}})
    p = run(isvc(predictor={"logger": LOGGER, "model": own}), rt)
    assert {e.item: e.new for e in p.edits}[0] == {"httpGet": {"path": "/", "port": 8080}}
    assert "exec" not in {e.item: e.new for e in p.edits}[1]
