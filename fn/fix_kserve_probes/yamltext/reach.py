"""Reaching the node an edit is for, and what the splicer must leave alone on the way.

The splicer edits by text positions; these checks refuse what position arithmetic
cannot prove safe: a path through an alias (its node sits elsewhere), and, in a
resource with anchors, aliases, tags, complex or merge keys, any edit that would touch
one of them (see ``splice.spans_for``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ops import Append, MapOp, Path, Put
from .scanner import YMap, YSeq

Guard = Callable[[int, int], bool]  # whether [start, end) holds anchors, aliases, tags, complex or merge keys


class Refused(Exception):
    """The splicer cannot prove this change keeps the rest of the text intact."""


def node_at(root: Any, path: Path, guard: Guard | None = None) -> tuple[Any, list[Any]]:
    """The node at ``path`` and the chain of its ancestors, nearest last. With a ``guard``,
    no node on the way may carry an anchor or a tag (editing it would change its aliases)."""
    node, chain = root, []
    for step in path:
        chain.append(node)
        if isinstance(node, YMap) and step in node:
            i = list(node).index(step)
            lo, hi = node.key_starts[i], node.value_ends[i]
            node = node[step]
        elif isinstance(node, YSeq) and isinstance(step, int) and 0 <= step < len(node):
            ends = node.value_ends
            lo, hi = (ends[step - 1] if step else node.start), ends[step]
            node = node[step]
        else:
            raise Refused(f"path {path!r} does not lead to a positioned node")
        if isinstance(node, (YMap, YSeq)) and not lo <= node.start <= node.end <= hi:
            # An alias's value is its anchor's node, which sits elsewhere in the text.
            raise Refused(f"path {path!r} goes through an alias")
        if guard is not None and isinstance(node, (YMap, YSeq)) and guard(lo, node.start + 1):
            raise Refused(f"path {path!r} goes through an anchored or tagged node")
    return node, chain


def guarded(node: YMap, ops: list[MapOp], guard: Guard) -> None:
    if "<<" in node and guard(node.start, node.end):
        raise Refused("the edited mapping has a merge key")
    stack = [op.value for op in ops if isinstance(op, Put)] + [v for op in ops if isinstance(op, Append)
                                                             for v in op.values]
    while stack:  # scanned values copied to a new place: their text must stand alone
        value = stack.pop()
        if isinstance(value, (YMap, YSeq)):
            if guard(value.start, value.end):
                raise Refused("a moved value has anchors, aliases or tags")
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
