"""Which deployment mode an InferenceService runs in: only Standard (RawDeployment)
pods get an agent that copies a readinessProbe.

Facts are from kserve/kserve (tags v0.14.1 to v0.20.0); the file is named beside each.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from .plaindata import annotations_of, as_map

DeploymentMode = Literal["Standard", "Knative", "ModelMesh"]
DEPLOYMENT_MODE = "serving.kserve.io/deploymentMode"
# pkg/constants/constants.go ParseDeploymentMode (v0.16+): legacy names map to new ones.
# KServe compares the annotation exactly (utils.go GetDeploymentMode); anything else means
# the cluster default.
_MODES: dict[str, DeploymentMode] = {
    "RawDeployment": "Standard",
    "Standard": "Standard",
    "Serverless": "Knative",
    "Knative": "Knative",
    "ModelMesh": "ModelMesh",
}


def canonical_mode(value: Any, *, any_case: bool = False) -> DeploymentMode | None:
    """``Standard``, ``Knative`` or ``ModelMesh`` for the spellings KServe accepts; else None.

    ``any_case`` is for this function's own config, where a person typed the value.
    """
    if not isinstance(value, str):
        return None
    if any_case:
        return next((mode for name, mode in _MODES.items() if name.lower() == value.strip().lower()), None)
    return _MODES.get(value)


def deployment_mode(isvc: Mapping[str, Any], default: DeploymentMode) -> tuple[DeploymentMode, str | None]:
    """The mode and, when the annotation holds an unknown value, that value.

    utils.go GetDeploymentMode: status.deploymentMode (v0.15.1+) wins, then a valid
    annotation, then the cluster default from inferenceservice-config.
    """
    status = as_map(isvc.get("status"))
    mode = canonical_mode(status.get("deploymentMode"))
    if mode:
        return mode, None
    raw = annotations_of(isvc).get(DEPLOYMENT_MODE)
    if raw is None:
        return default, None
    mode = canonical_mode(raw)
    return (mode or default), (None if mode else str(raw))


def cluster_default_mode(items: Sequence[Mapping[str, Any]]) -> DeploymentMode | None:
    """deploy.defaultDeploymentMode of an inferenceservice-config ConfigMap in the input
    (kserve config/configmap/inferenceservice.yaml)."""
    for item in items:
        meta = as_map(item.get("metadata"))
        if item.get("kind") == "ConfigMap" and meta.get("name") == "inferenceservice-config":
            try:
                deploy = json.loads(str(as_map(item.get("data")).get("deploy", "{}")))
            except ValueError:
                return None
            return canonical_mode(as_map(deploy).get("defaultDeploymentMode"))
    return None
