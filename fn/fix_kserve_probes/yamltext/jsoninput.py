"""Valid JSON that a YAML 1.1 reader (libyaml) cannot read as written.

JSON allows surrogate escapes (``"\\ud83d\\ude80"``, what ``json.dumps`` writes for an
emoji), raw DEL and C1 control characters, and raw NEL/LS/PS inside strings; libyaml
refuses the first two and reads the last as line breaks. The scanner gets a copy with
same-length stand-ins (private-use characters), so every offset stays right, and the
real values from ``json`` are put back into the scanned data afterwards.

Concatenated JSON (``jq .`` or ``yq -o json .`` output: ``{...}{...}``, one object per
line, or pretty-printed objects back to back) is a stream of documents, as YAML's
``---`` makes one. YAML cannot read it as written, so each value is scanned on its own
and its positions are moved to where it sits in the whole text; edits then splice into
the one text, which keeps its form.
"""

from __future__ import annotations

import itertools
import json
import re
from array import array
from typing import Any

from .errors import TextError
from .scanner import Doc, Limits, Scan, YMap, YSeq, scan
from .source import looks_like_json

# A \\u escape of a surrogate (with an even number of backslashes before it), or a raw
# character libyaml refuses or reads as a line break.
_PROBLEM = re.compile(r"(?<!\\)((?:\\\\)*)(\\u[dD][89a-fA-F][0-9a-fA-F]{2})|[\x7f-\x9f\u2028\u2029]")
_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, the only thing allowed between documents
_DECODER = json.JSONDecoder()
Value = tuple[int, int, Any]  # where a JSON value starts and ends in the text, and the value


def scan_text(text: str, limits: Limits | None = None) -> Scan:
    """Scan ``text``: YAML, one JSON document, or concatenated JSON documents."""
    values = documents(text)
    if values is not None:
        return _scan_documents(text, values, limits)
    stood = stand_in(text)
    try:
        scanned = scan(stood or text, limits)
    except TextError as err:
        raise _after_one_document(text) or err from None
    if stood is not None:
        overlay(scanned, text)
    return scanned


def _after_one_document(text: str) -> TextError | None:
    """The error for JSON text YAML refused because something follows its one document
    (YAML's own message, "did not find expected <document start>", hides that); None
    where what follows is YAML's (``---``, ``...``, a comment) or there is no such document."""
    first = _first_value(text)
    if first is None:
        return None
    at = first[3]
    if at == len(text) or text.startswith(("#", "---", "...", "{", "["), at):
        return None  # YAML's markers or a comment; or a JSON value too deep for json (the scanner's limit)
    return _error(text, at, "something other than JSON follows the JSON document")


def _first_value(text: str) -> tuple[int, int, Any, int] | None:
    """Where the first JSON value of ``text`` starts and ends, the value, and where what
    follows it starts; None when ``text`` does not open with a JSON value json can read."""
    if not looks_like_json(text):
        return None
    start = _skip(text, 0)
    try:
        value, end = _DECODER.raw_decode(text, start)
    except (ValueError, RecursionError):
        return None  # no JSON, or too deep for json: the YAML scanner reports what is wrong (or too deep)
    return start, end, value, _skip(text, end)


def documents(text: str) -> list[Value] | None:
    """Each value of concatenated JSON, or None when ``text`` is not two or more JSON values
    (one JSON document, or YAML: a flow document followed by ``---``, ``...`` or a comment
    is YAML's). Raises ``TextError`` when a later value is cut short or something other
    than JSON follows one: the input is concatenated JSON gone wrong."""
    found = _first_value(text)
    if found is None:
        return None
    start, end, first, at = found
    if at == len(text) or text[at] not in "{[":
        return None
    values: list[Value] = [(start, end, first)]
    while at < len(text):
        if text[at] not in "{[":
            raise _error(text, at, f"concatenated JSON holds something else after document {len(values)}")
        try:
            value, end = _DECODER.raw_decode(text, at)
        except json.JSONDecodeError as err:
            raise TextError(f"invalid JSON: document {len(values) + 1} of concatenated JSON: {err.msg}",
                            line=err.lineno, column=err.colno) from None
        except RecursionError:
            return None  # the scanner stops it at its nesting limit, with the position
        values.append((at, end, value))
        at = _skip(text, end)
    return values


def _skip(text: str, at: int) -> int:
    """Past the whitespace at ``at``."""
    space = _SPACE.match(text, at)
    return space.end() if space else at


def _error(text: str, at: int, message: str) -> TextError:
    return TextError(message, line=text.count("\n", 0, at) + 1, column=at - text.rfind("\n", 0, at))


def _scan_documents(text: str, values: list[Value], limits: Limits | None) -> Scan:
    """One scan of every value, each scanned alone and moved to its place in ``text``."""
    docs: list[Doc] = []
    specials: list[int] = []
    for start, end, value in values:
        piece = text[start:end]
        stood = stand_in(piece)
        try:
            (doc,) = scan(stood or piece, limits).docs
        except TextError as err:
            raise _moved_error(text, start, err) from err
        if stood is not None:
            doc.root = _overlay(doc.root, value)
        column = start - (text.rfind("\n", 0, start) + 1)  # of the value's first line
        first_line = piece.find("\n")  # where that line ends within the piece
        first_line = len(piece) if first_line < 0 else first_line
        _move(doc.root, start, first_line, column)
        docs.append(Doc(doc.root, doc.start + start, doc.end + start))
    return Scan(docs, specials, [])


def _moved_error(text: str, start: int, err: TextError) -> TextError:
    """``err`` (about a value scanned alone) with its position in the whole text."""
    if err.line is None:
        return err
    column = err.column
    if err.line == 1 and column is not None:
        column += start - (text.rfind("\n", 0, start) + 1)
    return type(err)(err.message, line=err.line + text.count("\n", 0, start), column=column)


def _move(root: Any, by: int, first_line: int, column: int) -> None:
    """Every position of ``root``'s nodes ``by`` characters on; the columns of those on the
    value's first line (before ``first_line``) ``column`` on. JSON nodes are never shared."""
    stack = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, (YMap, YSeq)):
            continue
        if node.start < first_line:
            node.col += column
        node.start += by
        node.end += by
        node.value_ends = array("q", [v + by for v in node.value_ends])
        if isinstance(node, YMap):
            node.key_starts = array("q", [k + by for k in node.key_starts])
            stack.extend(node.values())
        else:
            stack.extend(node)


def stand_in(text: str) -> str | None:
    """The text with same-length stand-ins, or None when it needs none (or is no JSON)."""
    if not looks_like_json(text) or not _PROBLEM.search(text):
        return None
    try:
        json.loads(text)
    except ValueError:
        return None  # not JSON: the scanner reports whatever is wrong with it
    # Each stand-in is a distinct private-use character, so two keys that differ only in
    # such characters stay two keys for the scanner's duplicate check.
    count = itertools.count()

    def replace(m: re.Match[str]) -> str:
        code = 0xE000 + next(count) % 0x1900
        return m.group(1) + f"\\u{code:04x}" if m.group(2) else chr(code)

    return _PROBLEM.sub(replace, text)


def overlay(scanned: Scan, text: str) -> None:
    """Put the values ``json`` reads from ``text`` into the scanned documents."""
    (doc,) = scanned.docs
    doc.root = _overlay(doc.root, json.loads(text))


def _overlay(node: Any, value: Any) -> Any:
    if isinstance(node, YMap) and isinstance(value, dict):
        pairs = list(zip(list(node.values()), value.items(), strict=True))
        node.clear()
        for child, (key, real) in pairs:
            node[key] = _overlay(child, real)
        return node
    if isinstance(node, YSeq) and isinstance(value, list):
        for i, real in enumerate(value):
            node[i] = _overlay(node[i], real)
        return node
    return value
