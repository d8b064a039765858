"""Every finding the planner makes carries the rule id of its problem class, and the
same class gets the same id wherever it is found (docs/results.md lists them)."""

from __future__ import annotations

from typing import Any

import pytest
from builders import EXEC, LOGGER, isvc, model, runtime

from fix_kserve_probes.krm.function_config import Selection
from fix_kserve_probes.krm.selection import scope
from fix_kserve_probes.kserve.plan import Plan, plan
from fix_kserve_probes.kserve.settings import Settings


def run(*items: dict[str, Any], **settings: Any) -> Plan:
    return plan(list(items), Settings(**settings), scope(list(items), Selection()))


def custom(probe: dict[str, Any], name: str = "custom", image: str = "example/x:1", **extra: Any) -> dict[str, Any]:
    return {"logger": LOGGER, "containers": [{"name": name, "image": image, "readinessProbe": probe, **extra}]}


HTTPS = {"httpGet": {"port": 8443, "path": "/", "scheme": "HTTPS"}}
CASES: dict[str, tuple[tuple[dict[str, Any], ...], dict[str, Any], str, str]] = {
    # rule: (items, settings, severity, a fragment of the message)
    "unknown-deployment-mode": ((isvc(mode="Foo", predictor={"logger": LOGGER, "model": model(probe=EXEC)}),), {},
                                "warning", "treated as Standard"),
    "https-became-tcp": ((isvc(predictor={"logger": LOGGER, "model": model(probe=HTTPS)}),), {},
                         "warning", "became tcpSocket"),
    "several-handlers": ((isvc(predictor={"logger": LOGGER, "model": model(
        probe={"httpGet": {"port": 8080, "path": "/"}, "tcpSocket": {"port": 8080}})}),), {}, "warning", "2 handlers"),
    "handler-without-port": ((isvc(predictor={"logger": LOGGER, "model": model(probe={"tcpSocket": {}})}),), {},
                             "warning", "has no port"),
    "versioned-ready-path": ((isvc(predictor={"logger": LOGGER, "model": model(
        probe={"httpGet": {"port": 8080, "path": "/v2/models/m/versions/1/ready"}})}),), {}, "warning", "501"),
    "missing-name": (({"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService", "metadata": {},
                       "spec": {}},), {}, "warning", "without metadata.name"),
    "port-name-not-found": ((isvc(predictor={"logger": LOGGER, "model": model(
        probe={"httpGet": {"port": "web", "path": "/"}})}),), {}, "error", "names no containerPort"),
    "unusable-port": ((isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC)}),), {"port": "web"},
                      "error", "is not changed"),
    "shipped-exec-probe": ((isvc(predictor={"logger": LOGGER, "model": model(
        fmt="huggingface", runtime="kserve-huggingfaceserver-multinode")}),), {}, "warning", "ships an exec"),
    "runtime-not-in-input": ((isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC, runtime="custom-rt")}),),
                             {}, "warning", "is not in the input"),
    "assumed-shipped-runtimes": ((isvc(predictor={"logger": LOGGER, "model": model(probe=EXEC)}),), {},
                                 "info", "assumed KServe's shipped runtimes"),
    "no-default-probe": ((isvc(predictor=custom(EXEC)),), {"strategy": "remove"}, "warning", "default probe only"),
    "assumed-default-port": ((isvc(predictor=custom(EXEC)),), {}, "warning", "assumed 8080"),
    "exec-check-not-kept": ((isvc(predictor=custom(
        {"exec": {"command": ["sh", "-c", "curl -s localhost:8090/v2/health/ready | grep -q READY"]}})),), {},
        "warning", "cannot be kept in full"),
    "model-name-unresolved": ((isvc(predictor={"logger": LOGGER, "sklearn": {
        "storageUri": "gs://b/m", "args": ["--model_name", "$(MODEL)"], "readinessProbe": EXEC}}),), {},
        "warning", "names a variable"),
    "guessed-server": ((isvc(predictor={"logger": LOGGER, "model": model()}),
                        runtime(probe=EXEC, image="seldonio/mlserver:1.3")), {}, "warning", "guessed the server"),
    "port-variable-unset": ((isvc(predictor={"logger": LOGGER, "model": model()}),
                             runtime(probe=EXEC, image="nvcr.io/nvidia/tritonserver:23.05",
                                     args=["--http-port=$(PORT)"])), {}, "warning", "taken from the next source"),
    "handlers-disagree": ((isvc("a", predictor={"logger": LOGGER, "model": model(probe={"httpGet": {"port": 8080}})}),
                           isvc("b", predictor={"logger": LOGGER, "model": model(probe={"tcpSocket": {"port": 8080}})}),
                           runtime(probe=EXEC)), {}, "warning", "set different handlers"),
    "runtime-not-fixed": ((isvc(predictor={"logger": LOGGER, "model": model()}), runtime(probe=EXEC)),
                          {"fix_runtimes": False}, "warning", "fixRuntimes is false"),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_each_problem_class_has_its_rule(rule: str) -> None:
    items, settings, severity, fragment = CASES[rule]
    found = [f for f in run(*items, **settings).findings if f.rule == rule]
    assert found, [(f.rule, f.message) for f in run(*items, **settings).findings]
    assert all(f.severity == severity and fragment in f.message for f in found)


def test_no_finding_is_without_a_rule() -> None:
    for items, settings, _, _ in CASES.values():
        assert all(f.rule for f in run(*items, **settings).findings)


def test_a_shipped_exec_runtime_is_an_error_under_the_same_rule_in_validate_mode() -> None:
    items, _, _, _ = CASES["shipped-exec-probe"]
    found = [f for f in run(*items, mode="validate").findings if f.rule == "shipped-exec-probe"]
    assert [f.severity for f in found] == ["error"]


def test_the_same_class_found_in_two_places_has_one_rule() -> None:
    """HTTPS: an httpGet with scheme HTTPS (working.py) and an exec command that checks
    an https URL (choose.py) are the same problem."""
    exec_https = custom({"exec": {"command": ["curl", "-kf", "https://localhost:8443/health"]}})
    found = [f for f in run(isvc(predictor=exec_https)).findings if "TLS cannot" in f.message]
    assert found and {f.rule for f in found} == {"https-became-tcp"}
