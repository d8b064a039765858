"""Valid JSON that a YAML 1.1 reader (libyaml) cannot read as written.

JSON allows surrogate escapes (``"\\ud83d\\ude80"``, what ``json.dumps`` writes for an
emoji), raw DEL and C1 control characters, and raw NEL/LS/PS inside strings; libyaml
refuses the first two and reads the last as line breaks. The scanner gets a copy with
same-length stand-ins (private-use characters), so every offset stays right, and the
real values from ``json`` are put back into the scanned data afterwards.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

from .scanner import Scan, YMap, YSeq
from .source import looks_like_json

# A \\u escape of a surrogate (with an even number of backslashes before it), or a raw
# character libyaml refuses or reads as a line break.
_PROBLEM = re.compile(r"(?<!\\)((?:\\\\)*)(\\u[dD][89a-fA-F][0-9a-fA-F]{2})|[\x7f-\x9f\u2028\u2029]")


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
