"""The scanner's nodes: plain dicts and lists that also know where they sit in the text.

Positions are kept compactly, one ``array`` of 8-byte offsets per node (``pos``), not as
separate int objects and arrays: a resource list of 20,000 InferenceServices holds
hundreds of thousands of these. The per-entry views (``key_starts``, ``value_ends``) are
built when asked for, which only the splicer does, on the resources it edits.
"""

from __future__ import annotations

from array import array
from typing import Any, NamedTuple


class YMap(dict[Any, Any]):
    """A mapping plus its place in the text.

    ``start``: first key (block) or ``{`` (flow); ``end``: just past the last content
    character (block) or past ``}`` (flow); ``col``: column of ``start``;
    ``key_starts``/``value_ends``: per entry, in key order.
    ``pos`` holds them all: ``[start, end, key_start_0, value_end_0, key_start_1, ...]``.
    """

    __slots__ = ("flow", "col", "pos")
    flow: bool
    col: int
    pos: array[int]

    @property
    def start(self) -> int:
        return self.pos[0]

    @property
    def end(self) -> int:
        return self.pos[1]

    @property
    def key_starts(self) -> array[int]:
        return self.pos[2::2]

    @property
    def value_ends(self) -> array[int]:
        return self.pos[3::2]


class YSeq(list[Any]):
    """A sequence plus its place in the text (fields as in ``YMap``;
    ``pos`` is ``[start, end, value_end_0, value_end_1, ...]``)."""

    __slots__ = ("flow", "col", "pos")
    flow: bool
    col: int
    pos: array[int]

    @property
    def start(self) -> int:
        return self.pos[0]

    @property
    def end(self) -> int:
        return self.pos[1]

    @property
    def value_ends(self) -> array[int]:
        return self.pos[2:]


class ComplexKey(NamedTuple):
    """A mapping key that is itself a collection (``? [a, b]``); kept only as a marker."""

    offset: int


class Doc:
    """One YAML document: its root value and where its content lies."""

    __slots__ = ("root", "start", "end")

    def __init__(self, root: Any, start: int, end: int) -> None:
        self.root, self.start, self.end = root, start, end
