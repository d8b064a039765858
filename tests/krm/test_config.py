"""Function config: typed and ConfigMap forms, coercion, and errors that point at fields."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from fix_kserve_probes.errors import ConfigError
from fix_kserve_probes.krm.config import is_empty, load
from fix_kserve_probes.krm.function_config import FunctionConfig, Selector


def typed(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "fn.kpt.dev/v1alpha1", "kind": "FixKServeProbes", "metadata": {"name": "x"}, "spec": spec}


def configmap(**data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "function-input"}, "data": data}


def problems(raw: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as err:
        load(raw)
    return err.value.problems


@pytest.mark.parametrize("raw", [None, configmap(), {**configmap(), "data": None}, typed(), {**typed(), "spec": None}])
def test_empty_configs_are_defaults_without_validation(raw: Any) -> None:
    assert is_empty(raw)
    assert load(raw) == FunctionConfig()


def test_typed_config_maps_every_field() -> None:
    config = load(typed(mode="Validate", strategy="HTTP", httpPath="/ready", port="8081", keepAsStartupProbe=True,
                   startupFailureThreshold=30, defaultDeploymentMode="RawDeployment", fixRuntimes=False,
                   warnMissingRuntimes=False, selectors=[{"name": "a-*", "labels": {"t": "1"}}],
                   exclude=[{"kind": "ClusterServingRuntime"}],
                   extraTargets=[{"kind": "Wrapper", "containers": "$.spec.template.containers[*]"}]))
    s, sel = config.settings, config.selection
    assert (s.mode, s.strategy, s.http_path, s.port) == ("validate", "http", "/ready", 8081)
    assert s.keep_as_startup_probe and s.startup_failure_threshold == 30
    assert s.default_deployment_mode == "Standard" and not s.fix_runtimes and not s.warn_missing_runtimes
    assert sel.selectors == (Selector(name="a-*", labels={"t": "1"}),)
    assert sel.exclude == (Selector(kind="ClusterServingRuntime"),)
    assert sel.extra_targets[0].containers == "$.spec.template.containers[*]"


def test_configmap_strings_are_coerced() -> None:
    config = load(configmap(strategy="tcp", port="9000", keepAsStartupProbe="true", startupFailureThreshold="12",
                       defaultDeploymentMode="serverless", **{"selector.namespace": "team-*",
                                                              "selector.labels": "a=1, b=2", "exclude.name": "legacy"}))
    s, sel = config.settings, config.selection
    assert (s.strategy, s.port, s.keep_as_startup_probe, s.startup_failure_threshold) == ("tcp", 9000, True, 12)
    assert s.default_deployment_mode == "Knative"
    assert sel.selectors == (Selector(namespace="team-*", labels={"a": "1", "b": "2"}),)
    assert sel.exclude == (Selector(name="legacy"),)


def test_unknown_keys_get_a_did_you_mean() -> None:
    assert problems(typed(stratgy="tcp")) == [("spec.stratgy", "unknown field 'stratgy'; did you mean 'strategy'?")]
    assert problems(configmap(keepAsStartupProb="true")) == [
        ("data.keepAsStartupProb", "unknown field 'keepAsStartupProb'; did you mean 'keepAsStartupProbe'?")]
    assert problems(typed(selectors=[{"nmae": "x"}])) == [
        ("spec.selectors[0].nmae", "unknown field 'nmae'; did you mean 'name'?")]
    assert problems({**typed(), "sepc": {}})[0] == ("sepc", "unknown field 'sepc'; did you mean 'spec'?")


def test_bad_values_name_their_field() -> None:
    (path, message), = problems(typed(strategy="htp"))
    assert path == "spec.strategy" and "did you mean 'http'" in message
    (path, message), = problems(typed(port=70000))
    assert path == "spec.port" and "65535" in message
    (path, message), = problems(configmap(keepAsStartupProbe="maybe"))
    assert path == "data.keepAsStartupProbe" and "maybe" in message
    (path, message), = problems(typed(httpPath="ready"))
    assert path == "spec.httpPath" and "must start with '/'" in message
    (path, message), = problems(typed(defaultDeploymentMode="Raw"))
    assert path == "spec.defaultDeploymentMode" and "RawDeployment" in message
    (path, message), = problems(configmap(**{"selector.labels": "novalue"}))
    assert path == "data.selector.labels"


def test_several_problems_are_all_reported() -> None:
    assert [p for p, _ in problems(typed(strategy="x", port=0, bogus=1))] == ["spec.strategy", "spec.port", "spec.bogus"]


def test_jsonpath_is_parsed_not_executed() -> None:
    (path, message), = problems(typed(extraTargets=[{"kind": "W", "containers": "$.spec[?(__import__('os'))"}]))
    assert path == "spec.extraTargets[0].containers" and "not a JSONPath expression" in message


def test_wrong_kinds_and_versions() -> None:
    assert problems({"apiVersion": "example.com/v1", "kind": "Other"})[0][0] == "kind"
    assert problems({**typed(), "apiVersion": "fn.kpt.dev/v1"})[0] == ("apiVersion", "must be fn.kpt.dev/v1alpha1 (got 'fn.kpt.dev/v1')")
    assert problems({**typed(), "spec": ["x"]}) == [("spec", "must be a mapping")]
    assert problems({**configmap(), "data": ["x"]})[0][0] == "data"


def test_no_pydantic_import_without_config() -> None:
    sys.modules.pop("fix_kserve_probes.krm.schema", None)
    load(configmap())
    assert "fix_kserve_probes.krm.schema" not in sys.modules


def test_a_boolean_is_no_port() -> None:
    (path, message), = problems(typed(port=True, strategy="tcp"))
    assert path == "spec.port" and "True" in message
