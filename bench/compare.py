"""Check that the contenders did the same thing, by loading their outputs with a safe loader."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

KPT_ANNOTATION_PREFIXES = ("config.kubernetes.io/", "internal.config.kubernetes.io/", "config.k8s.io/",
                           "internal.config.k8s.io/")
PROBE = ("spec", "predictor", "model", "readinessProbe")


def _loader() -> YAML:
    return YAML(typ="safe", pure=False)  # libyaml when ruamel.yaml.clib is installed


def resource_list_items(path: Path) -> list[Any]:
    with path.open() as stream:
        data = _loader().load(stream)
    if not isinstance(data, dict) or data.get("kind") != "ResourceList":
        raise ValueError(f"{path} does not hold a ResourceList")
    return list(data.get("items") or [])


def stream_items(path: Path) -> list[Any]:
    with path.open() as stream:
        return [doc for doc in _loader().load_all(stream) if doc is not None]


def rewritten(items: Iterable[Any]) -> int:
    """InferenceServices whose predictor probe is httpGet (and no longer exec)."""
    count = 0
    for item in items:
        if isinstance(item, dict) and item.get("kind") == "InferenceService":
            probe = _get(item, PROBE)
            count += isinstance(probe, dict) and "httpGet" in probe and "exec" not in probe
    return count


def first_difference(expected: list[Any], actual: list[Any]) -> str | None:
    """``None`` when equal, else a short description of the first difference."""
    if len(expected) != len(actual):
        return f"{len(expected)} items vs {len(actual)}"
    for n, (a, b) in enumerate(zip(expected, actual, strict=True)):
        if a != b:
            return f"item {n} ({_describe(a)}) differs: {_diff(a, b)}"
    return None


def without_kpt_annotations(items: Iterable[Any]) -> list[Any]:
    """The items as they are on disk: no local-config items, no kpt/kustomize bookkeeping annotations."""
    out = []
    for item in items:
        annotations = _get(item, ("metadata", "annotations")) or {}
        if annotations.get("config.kubernetes.io/local-config") == "true":
            continue
        kept = {k: v for k, v in annotations.items() if not k.startswith(KPT_ANNOTATION_PREFIXES)}
        meta = dict(item["metadata"])
        if kept:
            meta["annotations"] = kept
        else:
            meta.pop("annotations", None)
        out.append({**item, "metadata": meta})
    return out


def by_id(items: Iterable[Any]) -> list[Any]:
    """Sorted by kind, namespace and name (kustomize reorders resources)."""
    def key(item: Any) -> tuple[str, str, str]:
        meta = item.get("metadata") or {}
        return str(item.get("kind")), str(meta.get("namespace", "")), str(meta.get("name"))

    return sorted(items, key=key)


def _get(value: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        if not isinstance(value, dict):
            return None
        value = value.get(step)
    return value


def _describe(item: Any) -> str:
    if not isinstance(item, dict):
        return repr(item)[:60]
    meta = item.get("metadata") or {}
    return f"{item.get('kind')} {meta.get('namespace', '')}/{meta.get('name')}"


def _diff(a: Any, b: Any, where: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if a.get(key) != b.get(key):
                return _diff(a.get(key), b.get(key), f"{where}.{key}")
    return f"{where or '.'}: {a!r} != {b!r}"
