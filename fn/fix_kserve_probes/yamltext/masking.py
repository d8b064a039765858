"""A scan of a ResourceList with ``- {}`` standing in for some of its items (``skim.py``).

The parser reads ``Masked``: the text with each stood-in item replaced by ``- {}`` and the
item's own line breaks, so every line number and column stays right while libyaml reads
about a twentieth of the characters (blanks in the stand-ins' place cost half the scan).
``unshift`` then moves every offset the scan recorded to its place in the text, and
``aligned`` checks that the scan saw exactly the items meant, the stand-ins where they
were put: a wrong guess costs only time.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence

from .nodes import Doc, YMap, YSeq
from .pieces import Piece
from .scanner import Scan

STAND_IN = "- {}"


class Masked:
    """``text`` with each of ``pieces`` (in order, as ``Shifts.of`` accepts them) replaced
    by ``- {}`` and its own line breaks, read a batch at a time: the parser's stream."""

    __slots__ = ("_parts",)
    BATCH = 1 << 18  # characters, as parser._Pieces

    def __init__(self, text: str, pieces: Sequence[Piece], shifts: Shifts) -> None:
        self._parts = _masked_parts(text, pieces, shifts.breaks, self.BATCH)

    def read(self, _size: int) -> str:
        batch: list[str] = []
        held = 0
        for part in self._parts:
            batch.append(part)
            held += len(part)
            if held >= self.BATCH:
                break
        return "".join(batch)


def _masked_parts(text: str, pieces: Sequence[Piece], breaks: Sequence[int], most: int) -> Iterator[str]:
    at = 0
    for (start, end), lines in zip([*pieces, (len(text), len(text))], [*breaks, 0], strict=True):
        for cut in range(at, start, most):
            yield text[cut : min(cut + most, start)]
        if start < end:
            yield STAND_IN + "\n" * lines
        at = end


class Shifts:
    """Offsets of the ``Masked`` text as offsets of the text: each stand-in before an
    offset is shorter than its item by a known number of characters."""

    __slots__ = ("breaks", "ends", "after")

    def __init__(self, pieces: Sequence[Piece], breaks: Sequence[int]) -> None:
        self.breaks = breaks  # line breaks in each piece
        self.ends: list[int] = []  # where each stand-in ends in the masked text
        self.after: list[int] = [0]  # the characters left out up to the end of each
        for (start, end), lines in zip(pieces, breaks, strict=True):
            short = len(STAND_IN) + lines
            self.ends.append(start - self.after[-1] + short)
            self.after.append(self.after[-1] + end - start - short)

    @classmethod
    def of(cls, text: str, pieces: Sequence[Piece]) -> Shifts | None:
        """None unless each of ``pieces`` ends a line and is no shorter than its stand-in."""
        breaks = [text.count("\n", start, end) for start, end in pieces]
        if not all(end - start >= len(STAND_IN) + lines and text[end - 1] == "\n"
                   for (start, end), lines in zip(pieces, breaks, strict=True)):
            return None
        return cls(pieces, breaks)

    def __call__(self, offset: int) -> int:
        return offset + self.after[bisect_right(self.ends, offset)]


def unshift(scanned: Scan, shifts: Shifts, stood_in: Sequence[int], count: int) -> Scan | None:
    """``scanned`` (of the ``Masked`` text) with every offset moved to the text; None
    unless it is one ResourceList of ``count`` items (the pieces cut) that each hold their
    own nodes."""
    items = _items(scanned.docs)
    if items is None or len(items) != count:
        return None  # fewer items than pieces: a cut inside a quoted scalar, say
    per_item = _move_items(items, shifts, stood_in)
    if per_item is None:
        return None
    buf, at, count = items.buf, items.at, len(items)
    buf[at + 3 : at + 3 + count] = array(buf.typecode, map(int.__add__, buf[at + 3 : at + 3 + count], per_item))
    buf[at], buf[at + 1] = shifts(buf[at]), shifts(buf[at + 1])
    # The rest: the root mapping, and what follows the items (functionConfig).
    buf[at + 3 + count :] = array(buf.typecode, [shifts(x) if x >= 0 else x for x in buf[at + 3 + count :]])
    return Scan([Doc(d.root, shifts(d.start), shifts(d.end)) for d in scanned.docs], [shifts(s) for s in scanned.specials],
                [(shifts(a), shifts(b)) for a, b in scanned.links],
                [(shifts(a), shifts(b)) for a, b in scanned.by_anchor])


def _move_items(items: YSeq, shifts: Shifts, stood_in: Sequence[int]) -> list[int] | None:
    """Move the offsets of each item's nodes; how far each item moved (None if an item's
    nodes are not its own). Each item's nodes sit in ``buf`` after the item before's, the
    item's own last (the scanner appends a node when it ends): they all move alike.
    Before the first item's come the nodes of root keys before ``items``, which stay."""
    buf, after = items.buf, shifts.after
    per_item: list[int] = []
    done = left_out = 0
    stood = bytearray(len(items))
    for k in stood_in:
        stood[k] = 1
    for k, item in enumerate(items):
        by = after[left_out]
        per_item.append(by)
        left_out += stood[k]
        cls = item.__class__
        if cls is not YMap and cls is not YSeq:
            continue  # a scalar: no nodes
        at = item.at
        if item.buf is not buf or at < done:
            return None  # an alias of a node elsewhere
        if stood[k]:  # "{}": start, end, no entries
            if at != done and done:
                return None
            buf[at] += by
            buf[at + 1] += by
            done = at + 3
            continue
        end = at + 3 + (2 if cls is YMap else 1) * ~buf[at + 2]
        _move(buf, done, end, by)
        done = end
    return per_item if items.at == done else None


def _items(docs: Sequence[Doc]) -> YSeq | None:
    """The items of the one ResourceList the documents hold, if that is what they hold."""
    roots = [d.root for d in docs if d.root is not None]
    items = roots[0].get("items") if len(roots) == 1 and isinstance(roots[0], YMap) else None
    return items if isinstance(items, YSeq) else None


def _move(buf: array[int], start: int, end: int, by: int) -> None:
    if by and start < end:
        buf[start:end] = array(buf.typecode, [x + by if x >= 0 else x for x in buf[start:end]])  # counts are below 0


def aligned(docs: Sequence[Doc], pieces: Sequence[Piece], stood_in: Sequence[int]) -> bool:
    """The scan read one ResourceList whose items are exactly ``pieces``, with an empty
    flow mapping where each of ``stood_in`` was."""
    items = _items(docs)
    if items is None or len(items) != len(pieces) or items.flow:
        return False
    ends = items.value_ends
    if any(not start < ends[k] <= end for k, (start, end) in enumerate(pieces)):
        return False
    return all(isinstance(items[k], YMap) and items[k].flow and not items[k]
               and items[k].start == pieces[k][0] + 2 for k in stood_in)
