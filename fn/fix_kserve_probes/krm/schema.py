"""The config schema as pydantic models: the single source of every setting.

The planner's frozen ``Settings`` and the KRM layer's ``Selection`` and ``Inputs`` are built from a
validated ``SpecModel`` field by field, by name; the ConfigMap form's keys are the
aliases of its scalar fields (and of the selector fields under ``selector.`` and
``exclude.``). ``tests/test_schema.py`` proves the names and defaults agree.
Imported only when there is a config to check.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from ..kserve.modes import DeploymentMode, canonical_mode
from ..kserve.settings import Settings
from .function_config import ExtraTarget, FunctionConfig, Inputs, Selection, Selector


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, frozen=True)


class SelectorModel(_Model):
    name: str | None = None
    namespace: str | None = None
    kind: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)


class ExtraTargetModel(_Model):
    kind: str
    api_version: str | None = None
    containers: str = Field(description="JSONPath to the containers whose readinessProbe an agent reads")

    @field_validator("containers")
    @classmethod
    def _parses(cls, value: str) -> str:
        from .extra_targets import check

        problem = check(value)
        if problem:
            raise ValueError(f"not a JSONPath expression: {problem}")
        return value


class SpecModel(_Model):
    mode: Literal["fix", "validate"] = "fix"
    strategy: Literal["auto", "http", "tcp", "remove"] = "auto"
    http_path: str | None = None
    port: int | str | None = None
    keep_as_startup_probe: bool = False
    startup_failure_threshold: int = Field(60, ge=1)
    default_deployment_mode: str | None = None  # a DeploymentMode once validated
    warn_missing_runtimes: bool = True
    fix_runtimes: bool = True
    selectors: list[SelectorModel] = Field(default_factory=list)
    exclude: list[SelectorModel] = Field(default_factory=list)
    extra_targets: list[ExtraTargetModel] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list, description="read-only files, relative to where the function runs")

    @field_validator("mode", "strategy", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("http_path")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise ValueError(f"must start with '/' (got {value!r})")
        return value

    @field_validator("port", mode="before")
    @classmethod
    def _not_a_bool(cls, value: object) -> object:
        if isinstance(value, bool):  # pydantic would take true as 1
            raise ValueError(f"must be a port number or a port name (got {value!r})")
        return value

    @field_validator("port")
    @classmethod
    def _port(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, int) and not 1 <= value <= 65535:
            raise ValueError(f"must be between 1 and 65535 (got {value})")
        if isinstance(value, str) and not value:
            raise ValueError("must be a port number or a port name")
        return value

    @field_validator("default_deployment_mode")
    @classmethod
    def _mode(cls, value: str | None) -> DeploymentMode | None:
        if value is None:
            return None
        canonical = canonical_mode(value, any_case=True)
        if canonical is None:
            raise ValueError(
                f"unknown deployment mode {value!r}; use RawDeployment, Standard, Serverless, Knative or ModelMesh"
            )
        return canonical


def to_config(model: SpecModel) -> FunctionConfig:
    """The frozen settings, taken from the validated model by field name."""
    settings = Settings(**{name: getattr(model, name) for name in Settings._fields})
    selection = Selection(
        selectors=tuple(Selector(**s.model_dump()) for s in model.selectors),
        exclude=tuple(Selector(**s.model_dump()) for s in model.exclude),
        extra_targets=tuple(ExtraTarget(**t.model_dump()) for t in model.extra_targets),
    )
    return FunctionConfig(settings, selection, Inputs(context=tuple(model.context)))


def alias(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].alias or name


SELECTOR_GROUPS = {"selector": "selectors", "exclude": "exclude"}  # ConfigMap prefix -> spec field
# The ConfigMap form (kpt's configMap: and fn eval -- k=v): flat string keys.
SCALAR_KEYS = tuple(alias(SpecModel, name) for name in Settings._fields)
CONFIGMAP_KEYS = SCALAR_KEYS + tuple(
    f"{group}.{alias(SelectorModel, name)}" for group in SELECTOR_GROUPS for name in SelectorModel.model_fields
)


def settings_table() -> list[tuple[str, str, str]]:
    """(ConfigMap key, what it takes, default) for every key, for --help."""
    rows = []
    for key in CONFIGMAP_KEYS:
        group, _, name = key.rpartition(".")
        model: type[BaseModel] = SelectorModel if group else SpecModel
        field = next(f for n, f in model.model_fields.items() if (f.alias or n) == name)
        args = getattr(field.annotation, "__args__", ())
        literal = [repr(a) for a in args if isinstance(a, str)]
        values = " | ".join(literal) if literal and not isinstance(field.annotation, type) else _describe(field.annotation)
        default = field.get_default(call_default_factory=True)
        shown = "none" if group or default in (None, {}) else (str(default).lower() if isinstance(default, bool)
                                                               else repr(default))
        rows.append((key, _VALUES.get(key, values), _DEFAULTS.get(key, shown)))
    return rows


_VALUES = {"httpPath": "a path starting with /",
           "defaultDeploymentMode": "RawDeployment | Standard | Serverless | Knative | ModelMesh"}
_DEFAULTS = {"defaultDeploymentMode": "inferenceservice-config's, else Standard",
             "port": "the probe's or the server's (README: The replacement)"}


def _describe(annotation: object) -> str:
    text = str(annotation).replace("typing.", "").replace("<class '", "").replace("'>", "")
    return {"bool": "true | false", "int": "a number", "str | None": "text", "int | str | None": "a number or a port name",
            "dict[str, str]": "k=v,k=v pairs"}.get(text, text)
