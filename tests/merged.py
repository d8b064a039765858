"""The probe the agent reads after KServe's merge, for tests.

KServe builds the pod container by a strategic merge of the InferenceService's container
over the runtime's (kserve pkg/utils MergeRuntimeContainers); a probe is a struct, so its
handler keys from both sides survive side by side. A canary's predictor is first merged
over the stable predictor (predictor.go, mergo with override), field by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")


def merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Maps merge key by key; anything else is replaced by the overriding side."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        elif value is not None:
            out[key] = value
    return out


def handlers(*layers: Mapping[str, Any] | None) -> list[str]:
    """The handlers of the readinessProbe that the layers (runtime first) merge into."""
    probe: dict[str, Any] = {}
    for layer in layers:
        if layer and isinstance(layer.get("readinessProbe"), Mapping):
            probe = merge(probe, layer["readinessProbe"])
    return [h for h in HANDLERS if h in probe]
