"""Selectors, excludes and extraTargets: which resources the function may change, on
top of kpt's own selection; the planner gets the answer as a ``Scope``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any

from ..kserve.decisions import ExtraSite, Scope
from .function_config import Selection, Selector


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


def excluded(item: Mapping[str, Any], selection: Selection) -> bool:
    return any(matches(s, item) for s in selection.exclude)


def selected(item: Mapping[str, Any], selection: Selection) -> bool:
    """Selectors pick InferenceServices (any one may match); excludes drop anything."""
    if excluded(item, selection):
        return False
    return not selection.selectors or any(matches(s, item) for s in selection.selectors)


def scope(items: Sequence[Mapping[str, Any]], selection: Selection) -> Scope:
    """What the planner may change: nothing to compute when no selector is set."""
    if selection == Selection():
        return Scope()
    picked = frozenset(i for i, item in enumerate(items) if selected(item, selection)) \
        if selection.selectors else None
    dropped = frozenset(i for i, item in enumerate(items) if excluded(item, selection))
    extra: tuple[ExtraSite, ...] = ()
    if selection.extra_targets:
        from .extra_targets import extra_sites  # jsonpath-ng only when the config uses it

        extra = tuple(extra_sites(items, selection.extra_targets, lambda item: selected(item, selection)))
    return Scope(picked, dropped, extra)
