"""Edits as data: what the planner decides and what every applier takes.

An ``Edit`` says "the value at ``path`` in item ``item`` goes from ``old`` to ``new``".
``mapping_ops`` lowers it to per-key operations on one mapping, so the text splicer
and the round-trip applier change exactly the same keys in the same places.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

Path = tuple[str | int, ...]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Edit(NamedTuple):
    item: int  # index into the input's items
    path: Path  # from the item's root to the value that changes
    old: Any  # MISSING when the key is new
    new: Any  # MISSING when the key goes away
    reason: str
    after: str | None = None  # a new key goes right after this sibling key


class Remove(NamedTuple):
    mapping: Path
    key: str


class Put(NamedTuple):
    """Set ``key`` in the mapping; a key not yet there goes where ``at`` says.

    ``at`` is ("in-place-of", key) for a key removed in the same batch, ("after", key),
    or ("end", None).
    """

    mapping: Path
    key: str
    value: Any
    at: tuple[str, str | None] = ("end", None)


class Append(NamedTuple):
    """Add ``values`` after the last entry of the sequence under ``key``.

    Entries already there are not rewritten: prior results, say, keep their text.
    """

    mapping: Path
    key: str
    values: list[Any]


MapOp = Remove | Put | Append


def mapping_ops(edit: Edit) -> list[MapOp]:
    """Lower one edit to key operations, touching as few keys as possible."""
    *parent, key = edit.path
    parent_path: Path = tuple(parent)
    if edit.old is MISSING:
        where = ("after", edit.after) if edit.after else ("end", None)
        return [Put(parent_path, str(key), edit.new, where)]
    if edit.new is MISSING:
        return [Remove(parent_path, str(key))]
    if isinstance(edit.old, Mapping) and isinstance(edit.new, Mapping):
        removed = [k for k in edit.old if k not in edit.new]
        ops: list[MapOp] = [Remove(edit.path, str(k)) for k in removed]
        for k, v in edit.new.items():
            if k not in edit.old:
                at = ("in-place-of", str(removed[0])) if removed else ("end", None)
                ops.append(Put(edit.path, str(k), v, at))
            elif edit.old[k] != v:
                ops.append(Put(edit.path, str(k), v))
        return ops
    return [Put(parent_path, str(key), edit.new)]
