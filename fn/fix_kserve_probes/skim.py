"""Skimming a ResourceList: the items the planner leaves alone are checked, not read.

Scanning builds a tree of every item, which costs more than libyaml's parse itself; in
a package most items are ConfigMaps, Deployments and InferenceServices without an
agent, which the planner passes over. ``skim`` finds those from their text
(``kserve/quiet.py``), checks each with libyaml alone (``yamltext/pieces.py``), and
scans the ResourceList with ``{}`` standing in for them: the engine then runs as usual,
edits the items it read and copies the rest from the input.

Every step is checked, and any doubt means a full scan: the output is the same either
way (``tests/test_skim.py`` runs both on every input it has). One difference is
documented: an item left unread is checked by libyaml, not for repeated keys, as
kyaml already refuses them when kpt or kustomize reads a package.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .kserve import quiet
from .kserve.components import ISVC
from .yamltext import masking
from .yamltext import pieces as text_pieces
from .yamltext.errors import TextError
from .yamltext.scanner import Limits, Scan, scan

# Characters that make an item's own text mean more than it says (aliases, anchors a
# later item may name, tags the scanner refuses): such an item is always read.
UNSAFE = ("*", "&", "!")
# Line breaks other than "\n" (libyaml also breaks lines at CR, NEL, LS and PS): the cuts
# and the line forms read "\n" only, so a text with any of them is read whole.
OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
# A line at column 0 inside an item other than a comment: a document marker, a directive,
# a quoted scalar's continuation. The cut may be wrong there: the item is read.
_COLUMN_ZERO = re.compile(r"\n[^ #\n]")
# Nesting on one line without a bracket: "- - x", "? x" (see ``_shallow``). Each opens
# with a literal, so ``re`` jumps from one candidate to the next.
_DASHES = re.compile(r"-[ \t]+-(?=[ \t\n])")
_QUESTION = re.compile(r"(?:^|[ \t])\?(?=[ \t\n])", re.M)
SMALLEST = 8  # items this many or fewer are not worth skimming
MIN_SKIPPED = 2


class Skimmed(NamedTuple):
    scan: Scan
    unread: int  # items stood in for
    items: int  # of the ResourceList's items


def skim(text: str, limits: Limits | None = None) -> Skimmed | None:
    """The scan of ``text`` (a ResourceList) with the items the planner leaves alone
    unread; None when there are too few of them, or anything is unsure."""
    if any(c in text for c in OTHER_BREAKS):
        return None
    found = text_pieces.item_pieces(text)
    if found is None or len(found) <= SMALLEST:
        return None
    limits = limits or Limits()
    # Each item is sliced once per pass, not kept: a list of them is a second copy of the
    # input, which the heap keeps (125 MB → 159 MB at 20,000 InferenceServices).
    # The test reads words, so a text without them has no item with them: one search.
    isvcs_too = not quiet.runtime_may_inject(text) or not any(quiet.runtime_may_inject(text[a:b]) for a, b in found)
    present = _Present.of(text)
    passed = [k for k, (a, b) in enumerate(found[:-1]) if _unread(text[a:b], isvcs_too, limits, present)]
    unread = [k for k, ok in zip(passed, text_pieces.each_parses(text, [found[k] for k in passed]), strict=True) if ok]
    if len(unread) < MIN_SKIPPED:
        return None
    stood_in = [found[k] for k in unread]
    shifts = masking.Shifts.of(text, stood_in)
    if shifts is None:
        return None
    try:
        short = scan(text, limits, masking.Masked(text, stood_in, shifts))
    except TextError:
        return None  # let the full scan say what is wrong, where
    scanned = masking.unshift(short, shifts, unread, len(found))
    if scanned is None or not masking.aligned(scanned.docs, found, unread):
        return None
    return Skimmed(scanned, len(unread), len(found))


class _Present(NamedTuple):
    """The signs of the per-item tests that the whole text holds, each found with one
    search: a sign it lacks is in none of its items, which are searched for the others
    only. (Words are searched for in each item: as quick as in the whole text, measured.)"""

    unsafe: tuple[str, ...]
    nested: bool  # "- - x" or "? x" somewhere

    @classmethod
    def of(cls, text: str) -> _Present:
        return cls(tuple(c for c in UNSAFE if c in text), _nested(text))


def _unread(piece: str, isvcs_too: bool, limits: Limits, present: _Present) -> bool:
    """The planner leaves this item alone, and the scanner would accept it if libyaml
    ``parses`` it (``each_parses``, for all such items at once)."""
    if any(c in piece for c in present.unsafe) or not text_pieces.is_mapping_entry(piece) \
            or _COLUMN_ZERO.search(piece):
        return False
    words = quiet.planner_words(piece)
    if words and not (words == (ISVC,) and isvcs_too
                      and quiet.agent_free(piece, text_pieces.scalar, text_pieces.plain_block)):
        return False
    return _shallow(piece, limits, present.nested)


def _nested(text: str) -> bool:
    """Nesting on one line without a bracket: ``- - x``, ``? x`` (see ``_shallow``)."""
    return _DASHES.search(text) is not None or ("?" in text and _QUESTION.search(text) is not None)


def _shallow(piece: str, limits: Limits, may_nest: bool) -> bool:
    """The item nests less deeply than the scanner's limit. Without ``- - `` or ``? ``
    on a line (``_nested``; not searched for when ``may_nest`` is False: the whole text
    has none), a level needs a bracket or a column of indentation, and each column holds
    at most two (a mapping and its compact sequence: ``key:`` then ``- `` below it), and
    the item's own line two more."""
    if may_nest and _nested(piece):
        return False
    brackets = piece.count("[") + piece.count("{")
    columns = (limits.max_depth - brackets - 4) // 2
    return columns > 0 and f"\n{' ' * columns}" not in piece

