"""The scanner's nodes: plain dicts and lists that also know where they sit in the text.

Positions are kept compactly, in one ``array`` of offsets for the whole scan (``buf``),
not as int objects and an array or two per node: a resource list of 20,000
InferenceServices holds hundreds of thousands of nodes. Each node's count of entries
is stored as ``~n`` (below 0, unlike any offset), so that a pass moving every offset of
a stretch of the array (``masking.unshift``) can leave the counts alone. The per-entry views (``key_starts``, ``value_ends``) are
built when asked for, which only the splicer does, on the resources it edits.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import Any, NamedTuple


class _Placed:
    """``start`` and ``end`` read from (and written to) the scan's array; a node that is
    moved (jsoninput scans a JSON value alone, then shifts it into place) writes there."""

    __slots__ = ()
    buf: array[int]
    at: int

    @property
    def start(self) -> int:
        return self.buf[self.at]

    @start.setter
    def start(self, value: int) -> None:
        self.buf[self.at] = value

    @property
    def end(self) -> int:
        return self.buf[self.at + 1]

    @end.setter
    def end(self, value: int) -> None:
        self.buf[self.at + 1] = value

    def _put(self, first: int, values: Iterable[int], step: int) -> None:
        count = ~self.buf[self.at + 2]
        items = list(values)
        if len(items) != count:
            raise ValueError(f"{len(items)} positions for {count} entries")
        for j, value in enumerate(items):
            self.buf[self.at + first + step * j] = value


class YMap(_Placed, dict[Any, Any]):
    """A mapping plus its place in the text.

    ``start``: first key (block) or ``{`` (flow); ``end``: just past the last content
    character (block) or past ``}`` (flow); ``col``: column of ``start``;
    ``key_starts``/``value_ends``: per entry with a place of its own (not merged), in key order.
    They sit in the scan's one array ``buf`` from ``at`` on:
    ``start, end, ~n, key_start_0, value_end_0, ... key_start_n-1, value_end_n-1``.
    """

    __slots__ = ("flow", "col", "buf", "at")
    flow: bool
    col: int

    @property
    def key_starts(self) -> array[int]:
        at = self.at
        return self.buf[at + 3 : at + 3 + 2 * ~self.buf[at + 2] : 2]

    @key_starts.setter
    def key_starts(self, values: Iterable[int]) -> None:
        self._put(3, values, 2)

    @property
    def value_ends(self) -> array[int]:
        at = self.at
        return self.buf[at + 4 : at + 3 + 2 * ~self.buf[at + 2] : 2]

    @value_ends.setter
    def value_ends(self, values: Iterable[int]) -> None:
        self._put(4, values, 2)


class YSeq(_Placed, list[Any]):
    """A sequence plus its place in the text (fields as in ``YMap``; in ``buf`` from
    ``at`` on: ``start, end, n, value_end_0, ... value_end_n-1``)."""

    __slots__ = ("flow", "col", "buf", "at")
    flow: bool
    col: int

    @property
    def value_ends(self) -> array[int]:
        at = self.at
        return self.buf[at + 3 : at + 3 + ~self.buf[at + 2]]

    @value_ends.setter
    def value_ends(self, values: Iterable[int]) -> None:
        self._put(3, values, 1)


class ComplexKey(NamedTuple):
    """A mapping key that is itself a collection (``? [a, b]``); kept only as a marker."""

    offset: int


class Doc:
    """One YAML document: its root value and where its content lies."""

    __slots__ = ("root", "start", "end")

    def __init__(self, root: Any, start: int, end: int) -> None:
        self.root, self.start, self.end = root, start, end
