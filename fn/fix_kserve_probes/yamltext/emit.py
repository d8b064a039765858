"""Render small plain values (probes, results) as YAML or JSON text.

Only what edits need: dicts, lists, str, int, float, bool, None. Strings stay plain
when that cannot change their type on a YAML 1.1 or 1.2 reader; otherwise they are
double-quoted, which is valid JSON and valid YAML alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from .scalars import resolve_plain
from .scanner import YMap, YSeq

_PLAIN = re.compile(r"(?:[A-Za-z_/.]|-[A-Za-z])[A-Za-z0-9_/.\-]*\Z")

# Left raw by json.dumps(ensure_ascii=False) but refused by YAML 1.1 readers (DEL, C1
# controls, lone surrogates) or read as line breaks (NEL, LS, PS), or a BOM: escaped.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


class _TooLarge(Exception):
    pass


class _TooLargeMarker:
    def __repr__(self) -> str:
        return "TOO_LARGE"


TOO_LARGE: Any = _TooLargeMarker()  # what ``plain`` returns for a value past its limit
_SCALARS = frozenset((str, int, float, bool, type(None)))  # never a mapping or a list: no ABC check


def plain(value: Any, limit: int = 10_000, max_chars: int = 64 * 1024) -> Any:
    """A plain dict/list copy of ``value``, at most ``limit`` nodes and ``max_chars``
    characters of strings (keys and values); else ``TOO_LARGE``.

    Scanned data shares an anchored node wherever it is aliased; a copy repeats it, so
    an alias bomb would explode here: past ``limit`` nodes the copy stops, and past
    ``max_chars`` too, since one 1 MB string aliased 2,000 times is few nodes but 2 GB.
    """
    budget = [limit, max_chars]

    def copy(v: Any) -> Any:
        budget[0] -= 1
        t = type(v)
        if t is str or (t not in _SCALARS and isinstance(v, str)):
            budget[1] -= len(v)
        if budget[0] < 0 or budget[1] < 0:
            raise _TooLarge
        if t is YMap or t is dict or (t not in _SCALARS and isinstance(v, Mapping)):
            budget[1] -= sum(len(k) for k in v if k.__class__ is str or isinstance(k, str))
            return {k: copy(x) for k, x in v.items()}
        if t is YSeq or t is list or (t not in _SCALARS and isinstance(v, list)):
            return [copy(x) for x in v]
        return v

    try:
        return copy(value)
    except _TooLarge:
        return TOO_LARGE


def scalar(value: Any, json_style: bool = False) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)  # what json.dumps writes for an int
    if isinstance(value, float):
        return json.dumps(value)
    text = str(value)
    if not json_style and not needs_quotes(text):
        return text
    return _UNSAFE.sub(_escape, json.dumps(text, ensure_ascii=False))


@lru_cache(maxsize=4096)  # keys, kinds and names repeat in every result: the rule runs once per string
def needs_quotes(text: str) -> bool:
    """The one quoting rule for new text: plain only when a YAML 1.1 reader (go-yaml v2:
    y, on, 0x1F, ...) and a YAML 1.2 reader both read it back as this very string."""
    return not (_PLAIN.match(text) and resolve_plain(text) == text)


def verbatim(value: Any, source: str) -> str | None:
    """A scanned one-line flow collection's own text in ``source``: a value moved to a new
    place (an exec command into a startupProbe) keeps its quoting (``["test", "-f", "x"]``).
    The splicer edits only resources without anchors or aliases, so the text stands alone."""
    if source and isinstance(value, (YMap, YSeq)) and value.flow and value.end <= len(source):
        text = source[value.start : value.end]
        if "\n" not in text and "#" not in text:
            return text
    return None


def _is_map(value: Any) -> bool:
    t = value.__class__
    return t is dict or t is YMap or (t not in _SCALARS and isinstance(value, Mapping))


def _is_seq(value: Any) -> bool:
    t = value.__class__
    return t is list or t is YSeq or t is tuple or (t not in _SCALARS and isinstance(value, Sequence))


def flow(value: Any, json_style: bool = False, source: str = "") -> str:
    """One-line flow form: ``{a: 1, b: [x]}``, or JSON when ``json_style``; a scanned flow
    collection of ``source`` as it was written there."""
    t = value.__class__
    if t is str or t is int or t is bool or value is None:
        return scalar(value, json_style)
    kept = verbatim(value, source) if source else None
    if kept is not None:
        return kept
    if _is_map(value):
        inner = ", ".join(f"{scalar(k, json_style)}: {flow(v, json_style, source)}" for k, v in value.items())
        return "{" + inner + "}"
    if _is_seq(value) and not isinstance(value, str):
        return "[" + ", ".join(flow(v, json_style, source) for v in value) + "]"
    return scalar(value, json_style)


def flow_lines(value: Any, json_style: bool, col: int, step: int, newline: str = "\n", fill: str = " ") -> str:
    """Flow form spread over lines, one entry per line, for a value whose key sits at ``col``
    (counted in ``fill`` characters: spaces, or tabs for tab-indented JSON)."""
    inner = fill * (col + step)
    if isinstance(value, Mapping) and value:
        entries = [f"{scalar(k, json_style)}: {flow_lines(v, json_style, col + step, step, newline, fill)}"
                   for k, v in value.items()]
    elif isinstance(value, list) and value and any(isinstance(v, (Mapping, list)) for v in value):
        entries = [flow_lines(v, json_style, col + step, step, newline, fill) for v in value]
    else:
        return flow(value, json_style)
    opening, closing = ("{", "}") if isinstance(value, Mapping) else ("[", "]")
    return opening + newline + inner + ("," + newline + inner).join(entries) + newline + fill * col + closing


def block_entry(key: str, value: Any, indent: int, step: int, newline: str = "\n", source: str = "") -> str:
    """``key: value`` as block lines at ``indent``, each ending with ``newline``.

    Nested mappings go one ``step`` deeper. Lists of mappings (results) are block
    sequences in kpt's compact style; other lists are written in flow style, which
    reads the same under any sequence-indent convention.
    """
    out: list[str] = []
    _entry(out, " " * indent, key, value, indent, step, newline, source)
    return "".join(out)


def _entry(out: list[str], lead: str, key: str, value: Any, indent: int, step: int, newline: str,
           source: str) -> None:
    """``block_entry`` into ``out``; ``lead`` is what its first line starts with (its
    indentation, or a sequence entry's dash)."""
    t = value.__class__
    if t is str or t is int or t is bool or value is None:
        out.append(f"{lead}{scalar(key)}: {scalar(value)}{newline}")
    elif value and _is_map(value) and (not source or verbatim(value, source) is None):
        out.append(f"{lead}{scalar(key)}:{newline}")
        deeper = indent + step
        pad = " " * deeper
        for k, v in value.items():
            _entry(out, pad, k, v, deeper, step, newline, source)
    elif isinstance(value, list) and value and all(_is_map(v) and v for v in value) \
            and (not source or verbatim(value, source) is None):
        out.append(f"{lead}{scalar(key)}:{newline}")
        _list_of_maps(out, value, indent, step, newline)
    else:
        out.append(f"{lead}{scalar(key)}: {flow(value, source=source)}{newline}")


def block_list_of_maps(items: Sequence[Mapping[str, Any]], indent: int, step: int, newline: str = "\n") -> str:
    """A block sequence of mappings with the dash at ``indent`` (kpt's compact style)."""
    out: list[str] = []
    _list_of_maps(out, items, indent, step, newline)
    return "".join(out)


def _list_of_maps(out: list[str], items: Sequence[Mapping[str, Any]], indent: int, step: int, newline: str) -> None:
    dash, pad = " " * indent + "- ", " " * (indent + 2)
    for item in items:
        lead = dash
        for k, v in item.items():
            _entry(out, lead, k, v, indent + 2, step, newline, "")
            lead = pad
