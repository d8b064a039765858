"""Small builders for KServe-shaped plain data used across the tests."""

from __future__ import annotations

from typing import Any

EXEC = {"exec": {"command": ["cat", "/tmp/ready"]}, "initialDelaySeconds": 5, "periodSeconds": 10}
GRPC = {"grpc": {"port": 8081}, "periodSeconds": 4}


def isvc(name: str = "m", mode: str | None = "RawDeployment", namespace: str | None = "ns",
         annotations: dict[str, str] | None = None, **spec: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    notes = dict(annotations or {})
    if mode:
        notes["serving.kserve.io/deploymentMode"] = mode
    if notes:
        meta["annotations"] = notes
    return {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService", "metadata": meta, "spec": spec}


def model(fmt: str = "sklearn", probe: dict[str, Any] | None = None, storage: bool = True, **extra: Any) -> dict[str, Any]:
    m: dict[str, Any] = {"modelFormat": {"name": fmt}, **extra}
    if storage:
        m["storageUri"] = "gs://bucket/model"
    if probe is not None:
        m["readinessProbe"] = dict(probe)
    return m


def runtime(name: str = "rt", kind: str = "ClusterServingRuntime", probe: dict[str, Any] | None = None,
            formats: tuple[str, ...] = ("sklearn",), server_type: str | None = None, namespace: str | None = None,
            **container: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if server_type:
        meta["annotations"] = {"serving.kserve.io/server-type": server_type}
    c: dict[str, Any] = {"name": "kserve-container", "image": "example/server:1", **container}
    if probe is not None:
        c["readinessProbe"] = dict(probe)
    return {
        "apiVersion": "serving.kserve.io/v1alpha1",
        "kind": kind,
        "metadata": meta,
        "spec": {
            "supportedModelFormats": [{"name": f, "version": "1", "autoSelect": True, "priority": 1} for f in formats],
            "containers": [c],
        },
    }


LOGGER = {"mode": "all", "url": "http://dumper"}


# An InferenceService KServe gives no agent, as kyaml lays out a ResourceList item (its
# keys at column 2 after the "- "): what skim.py leaves unread. ``{n}`` names it.
AGENT_FREE_ISVC = """- apiVersion: serving.kserve.io/v1beta1
  kind: InferenceService
  metadata:
    name: isvc-{n}
    annotations:
      serving.kserve.io/deploymentMode: RawDeployment
  spec:
    predictor:
      model:
        modelFormat:
          name: sklearn
        storageUri: gs://bucket/model-{n}
        readinessProbe:
          exec:
            command: [cat, /tmp/ready]
"""
