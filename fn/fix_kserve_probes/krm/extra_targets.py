"""``extraTargets``: containers in other kinds, found by JSONPath (jsonpath-ng).

The expression is parsed by jsonpath-ng's own grammar and evaluated over plain data;
nothing in it is ever executed as Python. Imported only when the config uses it.

Its cost is bounded: at most ``MAX_STEPS`` steps (jsonpath-ng evaluates a step by
recursion), no recursive descent (``..``, which aliases make exponential) and no regular
expression filters (``=~``, which can backtrack for minutes); and it runs over a copy of
the item of at most ``MAX_NODES`` nodes, so aliases cannot multiply the work unseen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from jsonpath_ng.ext.parser import parse  # the extended grammar: filters such as [?(@.name == 'x')]
from jsonpath_ng.jsonpath import DatumInContext, Descendants, Fields, Index

from ..errors import LimitError
from ..kserve import probes
from ..kserve.decisions import ExtraSite
from ..kserve.plaindata import Path
from ..yamltext import emit

MAX_STEPS = 64
MAX_NODES = 100_000

if TYPE_CHECKING:
    from .function_config import ExtraTarget


def check(expression: str) -> str | None:
    """None when ``expression`` parses, else the parser's message."""
    try:
        parsed = parse(expression)
    except Exception as err:  # noqa: BLE001 - jsonpath-ng raises several unrelated types, some plain Exception
        return str(err).splitlines()[0] if str(err) else type(err).__name__
    return _unbounded(parsed)


def _unbounded(parsed: Any) -> str | None:
    """Why evaluating ``parsed`` could cost without bound, walking its tree without recursion."""
    stack: list[tuple[Any, int]] = [(parsed, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_STEPS:
            return f"more than {MAX_STEPS} steps"
        if isinstance(node, Descendants):
            return "recursive descent (..) is not supported: spell the path out, e.g. $.spec.containers[*]"
        if getattr(node, "op", None) == "=~":
            return "regular expression filters (=~) are not supported: use == or !="
        for child in vars(node).values() if hasattr(node, "__dict__") else ():
            for part in child if isinstance(child, list) else [child]:
                if type(part).__module__.startswith("jsonpath_ng"):
                    stack.append((part, depth + 1))
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
            for path in _found(expression, item):
                container = _at(item, path)
                if isinstance(container, Mapping) and probes.is_broken(container.get("readinessProbe")):
                    yield ExtraSite(i, path, container)


def _found(expression: Any, item: Mapping[str, Any]) -> Iterator[Path]:
    """The paths ``expression`` matches, found in a bounded copy of ``item``."""
    copied = emit.plain(item, limit=MAX_NODES, max_chars=1 << 62)
    if copied is emit.TOO_LARGE:
        name = item.get("metadata", {}).get("name") if isinstance(item.get("metadata"), Mapping) else None
        raise LimitError(f"{item.get('kind')} {name}: too large to search with extraTargets "
                         f"(its aliases expand it past {MAX_NODES:,} nodes)")
    for match in expression.find(copied):
        path = _path(match)
        if path is not None:
            yield path


def _at(item: Any, path: Path) -> Any:
    for part in path:
        item = item[part]
    return item


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
