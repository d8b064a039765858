"""A ResourceList's items as pieces of its text, and the line forms ``skim.py`` reads.

Building the scanner's tree costs more than libyaml's own parse, and most items of a
package are never changed. ``skim.py`` picks the items to leave unread; this module
cuts the text and checks the pieces, so that a wrong guess costs only time:

- ``item_pieces`` cuts the text where kyaml's layout starts each item (a ``-`` at
  column 0 under a root ``items:``). A cut inside a multi-line quoted scalar or flow
  collection leaves the piece before it unterminated, so a piece that ``parses`` alone
  is a whole item (``each_parses`` checks many at once);
- ``masking.py`` scans the text with ``{}`` standing in for the pieces left unread.

``plain_block`` is the line form in which a piece's structure is its indentation, for
reading a few keys of it with regular expressions (``kserve/quiet.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .scalars import resolve_plain

Piece = tuple[int, int]  # [start, end) of one item in the text

# Each starts with a line break: a literal prefix lets ``re`` jump from one to the next.
_ITEMS = re.compile(r"\nitems:[ ]*(?:#[^\n]*)?(?=\n)")
_ENTRY = re.compile(r"\n-(?=[ \t\n])")
_TAIL = re.compile(r"\n[^\s#-]")  # the root key after the items
_BLANKS = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*")
_MAPPING = re.compile(r"-[ ]+(?:#[^\n]*\n(?:[ ]*(?:#[^\n]*)?\n)*[ ]+)?[A-Za-z_][A-Za-z0-9_./-]*:(?:[ ]|\n)")

# Each line matches these in one way only (no two ways to split spaces, no lazy ends): a
# line that does not fit fails at once, and no backtracking runs through the lines before.
_KEY = r"[A-Za-z_][A-Za-z0-9_./-]*"
_START = r"""[^\s\-?:,\[\]{}#&*!|>'"%@`]"""  # a plain scalar that starts with no indicator
_PLAIN = rf"{_START}[^\s#:]*(?:(?::(?=[^\s#])|[ ]+(?=[^\s#:]))[^\s#:]*)*"  # no "#", no ": ", no blank at the end
_DQ = r'"[^"\\\n]*"'
_SQ = r"'(?:[^'\n]|'')*'"
_FLOW_CHAR = r"""[^\s,\[\]{}#'":]"""
_ITEM = rf"(?:{_DQ}|{_SQ}|{_START}{_FLOW_CHAR}*(?:[ ]+(?={_FLOW_CHAR}){_FLOW_CHAR}*)*)"
_FLOW = rf"(?:\[[ ]*(?:{_ITEM}(?:[ ]*,[ ]*{_ITEM})*(?:[ ]*,)?)?[ ]*\]|\{{\}})"
_END = r"(?:[ ]+#[^\n]*|[ ]*)"  # a comment, or blanks
_VALUE = rf"(?:(?:{_DQ}|{_SQ}|{_FLOW})[ ]*|{_PLAIN}{_END})"  # no comment after quotes or brackets
_LINE = rf"[ ]*(?:#[^\n]*|-(?:[ ]+{_VALUE}|{_END})|(?:-[ ]+)?{_KEY}:(?:[ ]+{_VALUE}|{_END}))?"
_PLAIN_BLOCK = re.compile(rf"(?:{_LINE}\n)*{_LINE}")
# A "- ..." line deeper than a "key: plain" or "- plain" line above it continues that
# plain scalar ("a: b" then "    - c" reads as "b - c"): its value is not whole on its line.
_DASH_LINE = re.compile(r"\n([ ]+)-(?=[ \n]|$)")
_PLAIN_VALUE_LINE = re.compile(rf"([ ]*)(?:(?:-[ ]+)?{_KEY}:[ ]+|-[ ]+(?!{_KEY}:(?:[ ]|\n|$))){_START}")
_SCALAR = re.compile(rf"({_DQ}|{_SQ})[ ]*|({_PLAIN}){_END}")


def item_pieces(text: str) -> list[Piece] | None:
    """Each item of a ResourceList laid out as kyaml writes it (``items:`` at column 0,
    its entries ``- `` at column 0); None for any other layout."""
    found = _ITEMS.search(text)
    if found is None or _ITEMS.search(text, found.end()) is not None or text.startswith("items:"):
        return None
    at = found.end() + 1
    tail = _TAIL.search(text, at - 1)
    end = tail.start() + 1 if tail else len(text)
    starts = [m.start() + 1 for m in _ENTRY.finditer(text, at - 1, end)]
    if not starts or _BLANKS.fullmatch(text, at, starts[0]) is None:
        return None
    return list(zip(starts, [*starts[1:], end], strict=True))


def is_mapping_entry(piece: str) -> bool:
    """The entry's value is a block mapping (its first key is a plain word); with
    ``parses``, that is what libyaml reads."""
    return _MAPPING.match(piece) is not None


def plain_block(text: str) -> bool:
    """Every line of ``text`` is blank, a comment, ``key: value``, ``- key: value``,
    ``- value`` or ``-``, with plain-word keys and each value whole on its line (plain
    without ``#``, quoted without escapes, a flat flow sequence, or ``{}``). Such text,
    if it ``parses``, has its structure in its indentation and nowhere else."""
    return _PLAIN_BLOCK.fullmatch(text) is not None and not _continued(text)


def _continued(text: str) -> bool:
    """A ``-`` line of ``text`` continues a plain scalar on the line above it (``_DASH_LINE``)."""
    for m in _DASH_LINE.finditer(text):
        above = m.start()
        while above > 0:  # past blank lines, which a plain scalar folds
            start = text.rfind("\n", 0, above) + 1
            if text[start:above].strip(" "):
                break
            above = start - 1
        line = _PLAIN_VALUE_LINE.match(text, text.rfind("\n", 0, above) + 1) if above > 0 else None
        if line is not None and len(line.group(1)) < len(m.group(1)):
            return True
    return False


def scalar(token: str) -> Any:
    """The value of one scalar as a ``plain_block`` line writes it, comment and all;
    ``...`` (Ellipsis) when it is not a scalar written that way."""
    m = _SCALAR.fullmatch(token)
    if m is None:
        return ...
    quoted = m.group(1)
    if quoted is None:
        return resolve_plain(m.group(2).rstrip())
    return quoted[1:-1] if quoted[0] == '"' else quoted[1:-1].replace("''", "'")


def parses(text: str) -> bool:
    """libyaml parses ``text`` without an error, building nothing (C speed).

    False without PyYAML's C binding: the pure-Python parser is no quicker than a scan.
    """
    try:
        from yaml._yaml import CParser
    except ImportError:
        return False
    from yaml.error import YAMLError

    try:
        CParser(text).raw_parse()
    except YAMLError:
        return False
    return True


DOCUMENT = "---\n"
_BATCH = 1 << 18  # characters of pieces per parse


def each_parses(text: str, pieces: Sequence[Piece]) -> list[bool]:
    """For each of ``pieces`` (each ending a line), whether it ``parses`` alone.

    libyaml gets a batch of them at once, each opening a document (``---``): setting up a
    parser costs about as much as parsing a small item. A piece that does not parse alone
    fails its batch, as one left open (a quoted scalar, a flow collection) meets the next
    ``---``, which libyaml refuses there; one that does is a whole document before it. A
    batch that fails, or holds a line starting with ``%`` (a directive ending a piece
    would be read as the next document's), is checked piece by piece."""
    verdicts: list[bool] = []
    at = 0
    while at < len(pieces):
        size = 0
        upto = at
        while upto < len(pieces) and size < _BATCH:  # at least one: size starts at 0
            size += pieces[upto][1] - pieces[upto][0]
            upto += 1
        verdicts += _batch_parses(text, pieces[at:upto])
        at = upto
    return verdicts


def _batch_parses(text: str, batch: Sequence[Piece]) -> list[bool]:
    if all(text[end - 1] == "\n" for _, end in batch):
        joined = DOCUMENT + DOCUMENT.join(text[start:end] for start, end in batch)
        if "\n%" not in joined and parses(joined):
            return [True] * len(batch)
    return [parses(text[start:end]) for start, end in batch]
