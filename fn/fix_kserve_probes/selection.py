"""Selectors and excludes: which resources the function may change (on top of kpt's own)."""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from .settings import Selector, Settings


def matches(selector: Selector, item: Mapping[str, Any]) -> bool:
    meta = item.get("metadata")
    meta = meta if isinstance(meta, Mapping) else {}
    if selector.kind is not None and item.get("kind") != selector.kind:
        return False
    if selector.name is not None and not fnmatchcase(str(meta.get("name", "")), selector.name):
        return False
    if selector.namespace is not None and not fnmatchcase(str(meta.get("namespace") or ""), selector.namespace):
        return False
    for field, wanted in (("labels", selector.labels), ("annotations", selector.annotations)):
        have = meta.get(field)
        have = have if isinstance(have, Mapping) else {}
        if any(k not in have or str(have[k]) != v for k, v in wanted.items()):
            return False
    return True


def excluded(item: Mapping[str, Any], settings: Settings) -> bool:
    return any(matches(s, item) for s in settings.exclude)


def selected(item: Mapping[str, Any], settings: Settings) -> bool:
    """Selectors pick InferenceServices (any one may match); excludes drop anything."""
    if excluded(item, settings):
        return False
    return not settings.selectors or any(matches(s, item) for s in settings.selectors)
