"""``extraTargets``: containers in other kinds, found by JSONPath (jsonpath-ng).

The expression is parsed by jsonpath-ng's own grammar and evaluated over plain data;
nothing in it is ever executed as Python. Imported only when the config uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from jsonpath_ng.ext.parser import parse  # the extended grammar: filters such as [?(@.name == 'x')]
from jsonpath_ng.jsonpath import DatumInContext, Fields, Index

from ..kserve import probes
from ..kserve.decisions import ExtraSite
from ..kserve.plaindata import Path

if TYPE_CHECKING:
    from .function_config import ExtraTarget


def check(expression: str) -> str | None:
    """None when ``expression`` parses, else the parser's message."""
    try:
        parse(expression)
    except Exception as err:  # noqa: BLE001 - jsonpath-ng raises several unrelated types, some plain Exception
        return str(err).splitlines()[0] if str(err) else type(err).__name__
    return None


def extra_sites(items: Sequence[Mapping[str, Any]], targets: Sequence[ExtraTarget],
                selected: Callable[[Mapping[str, Any]], bool]) -> Iterator[ExtraSite]:
    """Every matched container with an exec/grpc readinessProbe, in selected items."""
    for target in targets:
        expression = parse(target.containers)
        for i, item in enumerate(items):
            if item.get("kind") != target.kind or not selected(item):
                continue
            if target.api_version is not None and item.get("apiVersion") != target.api_version:
                continue
            for match in expression.find(item):
                path = _path(match)
                if path is not None and isinstance(match.value, Mapping) and probes.is_broken(match.value.get("readinessProbe")):
                    yield ExtraSite(i, path, match.value)


def _path(match: DatumInContext) -> Path | None:
    """The match's place as keys and indexes; None for anything else (filters on keys)."""
    parts: list[str | int] = []
    node: DatumInContext | None = match
    while node is not None and node.context is not None:
        step = node.path
        if isinstance(step, Fields) and len(step.fields) == 1:
            parts.append(step.fields[0])
        elif isinstance(step, Index) and len(getattr(step, "indices", ())) == 1:
            index = step.indices[0]
            parts.append(index + len(node.context.value) if index < 0 else index)
        else:
            return None
        node = node.context
    return tuple(reversed(parts))
