"""KServe knowledge: modes, components, agent triggers, which containers an agent reads."""

from __future__ import annotations

import pytest
from builders import EXEC, LOGGER, isvc, model

from fix_kserve_probes.kserve import components, modes


@pytest.mark.parametrize(("raw", "mode"), [("RawDeployment", "Standard"), ("Standard", "Standard"),
                                            ("Serverless", "Knative"), ("Knative", "Knative"), ("ModelMesh", "ModelMesh"),
                                            ("standard", None), ("KNATIVE", None), ("Raw", None), (3, None)])
def test_canonical_mode_is_exact_like_kserve(raw: object, mode: str | None) -> None:
    assert modes.canonical_mode(raw) == mode


def test_canonical_mode_for_the_config_takes_any_case() -> None:
    assert modes.canonical_mode(" rawdeployment", any_case=True) == "Standard"
    assert modes.canonical_mode("KNATIVE", any_case=True) == "Knative"


def test_components_include_canary_predictors() -> None:
    item = isvc(predictor={}, transformer={}, canary=[{"predictor": {}}, {"trafficPercent": 5}])
    assert [(c.name, c.path, c.is_predictor) for c in components.components(item)] == [
        ("predictor", ("spec", "predictor"), True),
        ("transformer", ("spec", "transformer"), False),
        ("canary[0].predictor", ("spec", "canary", 0, "predictor"), True),
    ]


def test_agent_reasons_list_every_trigger() -> None:
    item = isvc(annotations={"internal.serving.kserve.io/logger": "x"},
                predictor={"logger": LOGGER, "batcher": {}, "model": model(storage=False)})
    (pred,) = components.components(item)
    assert components.agent_reasons(item, pred, {"internal.serving.kserve.io/batcher": "1"}) == [
        "logger", "batcher", "multi-model (model puller)",
        "annotation internal.serving.kserve.io/logger", "annotation internal.serving.kserve.io/batcher"]


def test_agent_read_containers_for_model_plus_collocated_and_workers() -> None:
    pred = {"model": model(), "containers": [{"name": "transformer-container"}, {"name": "side"}],
            "workerSpec": {"containers": [{"name": "anything"}]}}
    (comp,) = components.components(isvc(predictor=pred))
    assert [(r.path[2:], r.role) for r in components.agent_read_containers(comp)] == [
        (("model",), "kserve-container"),
        (("containers", 0), "transformer-container"),
        (("workerSpec", "containers", 0), "worker-container"),
    ]


def test_transformer_reads_its_first_container_and_explainer_art() -> None:
    item = isvc(predictor={}, transformer={"containers": [{"name": "kserve-container"}, {"name": "x"}]},
                explainer={"art": {"type": "SquareAttack"}})
    refs = [r.path for c in components.components(item) for r in components.agent_read_containers(c)]
    assert refs == [("spec", "transformer", "containers", 0), ("spec", "explainer", "art")]


def test_first_container_rules() -> None:
    assert components.first_container([{"name": "a"}, {"name": "kserve-container"}], "kserve-container") == 1
    assert components.first_container([{"name": "a"}, {"image": "x"}], "kserve-container") == 1
    assert components.first_container([{"name": "a"}, {"name": "b"}], "kserve-container") == 0
    assert components.first_container([{"name": "transformer-container"}, {"name": "b"}], "kserve-container") == 1
    assert components.first_container(["junk"], "kserve-container") is None


def test_runtime_containers_by_role() -> None:
    rt = {"spec": {"containers": [{"name": "kserve-container"}, {"name": "transformer-container"}, {"name": "side"}],
                   "workerSpec": {"containers": [{"name": "worker-container"}]}}}
    assert {role: path for role, (path, _) in components.runtime_containers(rt["spec"]).items()} == {
        "kserve-container": ("spec", "containers", 0),
        "transformer-container": ("spec", "containers", 1),
        "worker-container": ("spec", "workerSpec", "containers", 0),
    }


def test_multi_model_detection() -> None:
    assert components.is_multi_model({"model": model(storage=False)})
    assert not components.is_multi_model({"model": model()})
    assert not components.is_multi_model({"model": {**model(storage=False), "storage": {"key": "k"}}})
    assert not components.is_multi_model({"model": model(storage=False), "storageUris": [{"uri": "x"}]})
    assert not components.is_multi_model({"huggingface": {}})
    assert not components.is_multi_model({"containers": [{"name": "kserve-container", "readinessProbe": EXEC}]})
    assert not components.is_multi_model({})


def test_deployment_mode_resolution() -> None:
    item = isvc(mode=None)
    assert modes.deployment_mode(item, "Knative") == ("Knative", None)
    assert modes.deployment_mode(isvc(mode="Raw"), "Standard") == ("Standard", "Raw")
    assert modes.deployment_mode({**isvc(mode="Serverless"), "status": {"deploymentMode": "RawDeployment"}}, "Knative") == ("Standard", None)
