"""Key operations on one mapping: what every applier takes.

A value change at a path ("set", "add" or "remove") is lowered by ``key_ops`` to
per-key operations, so the text splicer and the round-trip applier change exactly the
same keys in the same places. Refusals are values too: an applier that cannot prove an
edit safe returns ``Refusal`` with its reason, and the caller picks another applier.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

Path = tuple[str | int, ...]
Action = Literal["set", "add", "remove"]
Span = tuple[int, int, str]  # (start, end, replacement) in the text


class Remove(NamedTuple):
    mapping: Path
    key: str


class Where(NamedTuple):
    """Where a key that is not yet in the mapping goes."""

    how: Literal["end", "after", "in-place-of"] = "end"
    key: str | None = None  # the sibling for "after" and "in-place-of" (a key removed in the same batch)


AT_END = Where()


class Put(NamedTuple):
    """Set ``key`` in the mapping; a key not yet there goes where ``at`` says."""

    mapping: Path
    key: str
    value: Any
    at: Where = AT_END


class Append(NamedTuple):
    """Add ``values`` after the last entry of the sequence under ``key``.

    Entries already there are not rewritten: prior results, say, keep their text.
    """

    mapping: Path
    key: str
    values: list[Any]


MapOp = Remove | Put | Append


class Refusal(NamedTuple):
    """An applier's "not here": the edit could not be proven to keep the rest intact."""

    reason: str


def key_ops(path: Path, action: Action, old: Any, new: Any, after: str | None = None) -> list[MapOp]:
    """Lower one value change to key operations, touching as few keys as possible.

    ``old`` is ignored for "add", ``new`` for "remove"; ``after`` places an added key.
    """
    *parent, key = path
    parent_path: Path = tuple(parent)
    if action == "add":
        return [Put(parent_path, str(key), new, Where("after", after) if after else AT_END)]
    if action == "remove":
        return [Remove(parent_path, str(key))]
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        removed = [k for k in old if k not in new]
        ops: list[MapOp] = [Remove(path, str(k)) for k in removed]
        for k, v in new.items():
            if k not in old:
                at = Where("in-place-of", str(removed[0])) if removed else AT_END
                ops.append(Put(path, str(k), v, at))
            elif old[k] != v and isinstance(old[k], Mapping) and isinstance(v, Mapping) and set(v) >= set(old[k]):
                # A kept handler whose port became numeric: change only that key, so the
                # comments and layout inside the handler stay (issue 10).
                ops.extend(key_ops((*path, k), "set", old[k], v))
            elif old[k] != v:
                ops.append(Put(path, str(k), v))
        return ops
    return [Put(parent_path, str(key), new)]
