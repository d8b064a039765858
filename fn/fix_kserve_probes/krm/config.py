"""Turn a functionConfig (typed FixKServeProbes or ConfigMap) into a ``FunctionConfig``.

kpt passes ``configMap:`` entries and ``fn eval -- k=v`` pairs as a ConfigMap whose
values are all strings; they are coerced (pydantic's lax mode, as for the typed form).
Every problem names the field it is about, with a "did you mean" for unknown keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ConfigError
from .function_config import FunctionConfig

TYPED_API_VERSION = "fn.kpt.dev/v1alpha1"
TYPED_KIND = "FixKServeProbes"


def is_empty(raw: Mapping[str, Any] | None) -> bool:
    """No config, or one with nothing in it (kpt's ``data: {}``): defaults, no validation."""
    if not raw:  # None, or kpt's ``functionConfig: {}``
        return True
    if raw.get("kind") == "ConfigMap" and raw.get("apiVersion") == "v1":
        return not raw.get("data")
    return (
        raw.get("kind") == TYPED_KIND
        and raw.get("apiVersion") == TYPED_API_VERSION
        and not raw.get("spec")
        and set(raw) <= {"apiVersion", "kind", "metadata", "spec"}
    )


def load(raw: Mapping[str, Any] | None, sets: Mapping[str, str] | None = None) -> FunctionConfig:
    """The config ``raw`` says, with ``sets`` (the command line's ``--set KEY=VALUE``, in the
    ConfigMap form's keys and coercion) over it."""
    empty = is_empty(raw)
    if empty and not sets:
        return FunctionConfig()  # defaults, without importing pydantic (a cold-start cost)
    spec, prefix = ({}, SET) if empty else _spec(raw)
    if sets:
        spec = _overlay(spec, _from_configmap(sets, SET))
    return _validate(spec, prefix)


SET = "--set"  # the prefix problems with command-line settings carry


def _spec(raw: Mapping[str, Any] | None) -> tuple[dict[str, Any], str]:
    """The typed spec a config holds, and the prefix its problems are named with."""
    assert raw is not None
    kind, api = raw.get("kind"), raw.get("apiVersion")
    if kind == "ConfigMap" and api == "v1":
        data = raw.get("data")
        if not isinstance(data, Mapping):
            raise ConfigError("invalid function config", [("data", "must be a mapping of strings")])
        return _from_configmap(data), "data"
    if kind == TYPED_KIND:
        if api != TYPED_API_VERSION:
            raise ConfigError("invalid function config", [("apiVersion", f"must be {TYPED_API_VERSION} (got {api!r})")])
        unknown = [k for k in raw if k not in ("apiVersion", "kind", "metadata", "spec")]
        if unknown:
            raise ConfigError("invalid function config", [(k, _unknown(k, ["spec", "metadata"])) for k in unknown])
        spec = raw.get("spec") or {}
        if not isinstance(spec, Mapping):
            raise ConfigError("invalid function config", [("spec", "must be a mapping")])
        return dict(spec), "spec"
    raise ConfigError(
        "invalid function config",
        [("kind", f"unsupported functionConfig {api}/{kind}; use {TYPED_API_VERSION} {TYPED_KIND} or a v1 ConfigMap")],
    )


def _overlay(spec: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``extra``'s settings over ``spec``'s; selector fields merge into the first selector."""
    merged = dict(spec)
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(merged.get(key), list) and merged[key]:
            merged[key] = [{**merged[key][0], **value[0]}, *merged[key][1:]]
        else:
            merged[key] = value
    return merged


def _from_configmap(data: Mapping[str, Any], label: str = "data") -> dict[str, Any]:
    from .schema import CONFIGMAP_KEYS, SCALAR_KEYS, SELECTOR_GROUPS

    spec: dict[str, Any] = {}
    problems = []
    for raw_key, value in data.items():
        key = str(raw_key)
        if key in SCALAR_KEYS:
            spec[key] = value
        elif key in CONFIGMAP_KEYS:
            group, field = key.split(".", 1)
            target = spec.setdefault(SELECTOR_GROUPS[group], [{}])[0]
            if field in ("labels", "annotations"):
                pairs = _pairs(str(value))
                if pairs is None:
                    problems.append((_at(label, key), f"must be key=value pairs separated by commas (got {value!r})"))
                    continue
                target[field] = pairs
            else:
                target[field] = value
        else:
            problems.append((_at(label, key), _unknown(key, CONFIGMAP_KEYS)))
    if problems:
        raise ConfigError("invalid function config", problems)
    return spec


def _at(label: str, key: str) -> str:
    return f"{label} {key}" if label == SET else f"{label}.{key}"


def _pairs(text: str) -> dict[str, str] | None:
    pairs = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            return None
        pairs[key.strip()] = value.strip()
    return pairs


def _validate(spec: dict[str, Any], prefix: str) -> FunctionConfig:
    from pydantic import ValidationError

    from .schema import SpecModel, to_config

    try:
        model = SpecModel.model_validate(spec)
    except ValidationError as err:
        raise ConfigError("invalid function config", [_problem(e, prefix) for e in err.errors()]) from None
    return to_config(model)


def _problem(error: Mapping[str, Any], prefix: str) -> tuple[str, str]:
    from .schema import SELECTOR_GROUPS, SpecModel

    loc = [x for x in error["loc"] if not (isinstance(x, str) and x in ("int", "str"))]
    path = prefix + "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in loc)
    if prefix in ("data", SET) and loc and loc[0] in ("selectors", "exclude"):  # back to the ConfigMap key
        group = next(g for g, spec_field in SELECTOR_GROUPS.items() if spec_field == loc[0])
        path = _at(prefix, f"{group}.{loc[-1]}")
    elif prefix == SET and loc:
        path = _at(SET, str(loc[0]))
    if error["type"] == "extra_forbidden":
        return path, _unknown(str(loc[-1]), _aliases_at(SpecModel, loc[:-1]))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "literal_error" and isinstance(error.get("input"), str):
        allowed = error.get("ctx", {}).get("expected", "")
        import difflib  # error path only

        guess = difflib.get_close_matches(error["input"].lower(), [a.strip(" '") for a in allowed.replace(" or ", ",").split(",")], 1)
        message += f" (got {error['input']!r}" + (f"; did you mean {guess[0]!r}?)" if guess else ")")
    elif "input" in error and error["type"] not in ("missing", "value_error") and not isinstance(error["input"], (dict, list)):
        message += f" (got {error['input']!r})"
    return path, message


def _aliases_at(model: Any, loc: list[Any]) -> list[str]:
    for step in loc:
        if isinstance(step, int):
            continue
        info = next((f for n, f in model.model_fields.items() if (f.alias or n) == step), None)
        args = getattr(info.annotation, "__args__", ()) if info else ()
        model = next((a for a in args if hasattr(a, "model_fields")), None)
        if model is None:
            return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _unknown(key: str, known: Any) -> str:
    import difflib  # error path only

    guess = difflib.get_close_matches(key, list(known), 1)
    return f"unknown field {key!r}" + (f"; did you mean {guess[0]!r}?" if guess else "")
