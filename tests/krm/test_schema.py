"""The schema is the single source of every setting: the frozen settings, the
selection types, their defaults and the ConfigMap keys all agree with it."""

from __future__ import annotations

from fix_kserve_probes.krm import schema
from fix_kserve_probes.krm.config import load
from fix_kserve_probes.krm.function_config import ExtraTarget, FunctionConfig, Inputs, Selection, Selector
from fix_kserve_probes.kserve.settings import Settings


def test_every_spec_field_is_a_setting_a_selection_or_an_input_and_nothing_else() -> None:
    groups = (set(Settings._fields), set(Selection._fields), set(Inputs._fields))
    assert set(schema.SpecModel.model_fields) == set().union(*groups)
    assert sum(len(g) for g in groups) == len(set().union(*groups))  # no name in two groups
    assert set(schema.SelectorModel.model_fields) == set(Selector._fields)
    assert set(schema.ExtraTargetModel.model_fields) == set(ExtraTarget._fields)


def test_defaults_agree() -> None:
    assert schema.to_config(schema.SpecModel()) == FunctionConfig()
    assert load(None) == FunctionConfig()
    for name, field in schema.SelectorModel.model_fields.items():
        assert field.get_default(call_default_factory=True) == getattr(Selector(), name)


def test_configmap_keys_are_the_schema_s_aliases() -> None:
    aliases = {f.alias for f in schema.SpecModel.model_fields.values()}
    assert set(schema.SCALAR_KEYS) <= aliases
    assert len(schema.SCALAR_KEYS) == len(Settings._fields)
    assert {k for k in schema.CONFIGMAP_KEYS if "." in k} == {
        f"{group}.{name}" for group in ("selector", "exclude") for name in Selector._fields}


def test_every_configmap_scalar_key_reaches_its_setting() -> None:
    """A value given under each ConfigMap key lands in the field of the same name."""
    values = {"mode": "validate", "strategy": "tcp", "httpPath": "/ready", "port": "9000", "keepAsStartupProbe": "true",
              "startupFailureThreshold": "7", "defaultDeploymentMode": "Knative", "warnMissingRuntimes": "false",
              "fixRuntimes": "false"}
    assert set(values) == set(schema.SCALAR_KEYS)
    settings = load({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": values}).settings
    assert settings != Settings()
    assert all(getattr(settings, name) != getattr(Settings(), name) for name in Settings._fields)
