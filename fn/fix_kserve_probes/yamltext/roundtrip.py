"""The reference applier: load with ruamel.yaml's round-trip loader, change, dump.

Slow and less exact than the splicer, but it understands anchors, tags and every
scalar form. It is the fallback for what the splicer cannot prove safe, and the
reference the splicer is tested against. JSON input is changed through ``json``.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import warnings
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any

from . import emit, jsoninput
from .errors import TextError, TextLimitError
from .ops import Append, MapOp, Path, Put, Refusal, Remove, Span
from .scanner import YMap, scan
from .source import looks_like_json

DocOp = tuple[int, MapOp]  # (document index, op with a path from the document root)


def apply(text: str, doc_ops: Iterable[DocOp]) -> str:
    """The whole input, re-dumped: the last resort."""
    ops = list(doc_ops)
    if looks_like_json(text):
        try:
            return _apply_json(text, ops)
        except ValueError:
            pass  # YAML flow style, not JSON
    yaml = _yaml(text.split("\n---", 1)[0])
    yaml.explicit_start = text.lstrip().startswith("---")
    with _quiet():
        docs = list(yaml.load_all(text))
    _apply_all(docs, ops)
    out = io.StringIO()
    yaml.dump_all(docs, out)
    dumped = out.getvalue()
    if not _reads_back(dumped):
        raise TextError(f"cannot rewrite the input: {BROKEN_DUMP}; nothing is written")
    return dumped if text.endswith("\n") else dumped.rstrip("\n")  # no final line break added


# ruamel.yaml 0.19.1 writes "f: # c" / "- {n: a} # c" / "- n: t" / "  b: true" back as
# "- n: t b: true" (tests/yamltext/test_roundtrip.py): what it writes is read again first.
BROKEN_DUMP = "ruamel.yaml's round-trip writer wrote YAML that does not read back"


def _reads_back(dumped: str) -> bool:
    """``dumped`` parses as YAML (with the scanner, as the function's next run would)."""
    try:
        scan(dumped)
    except TextError:
        return False
    return True


def item_span(text: str, node: Any, ops: list[MapOp], newline: str) -> Span | Refusal:
    """Re-dump one resource and return the span that replaces it.

    A block-style resource's lines are read on their own (the first padded to its
    column), changed and dumped, then shifted back to that column; a flow-style one is
    read and dumped back onto its line. Every byte outside the resource stays as it was.
    A ``Refusal`` says why the resource cannot stand alone.
    """
    if not isinstance(node, YMap):
        return Refusal("the resource is not a mapping")
    if node.flow:
        dumped = _redump(text[node.start : node.end].replace("\r\n", "\n"), ops)
        if isinstance(dumped, Refusal):
            return dumped
        if "\n" in dumped.rstrip("\n"):
            return Refusal("the resource would not dump back onto its own line")
        return node.start, node.end, dumped.rstrip("\n")
    line_start = text.rfind("\n", 0, node.start) + 1
    width = node.start - line_start
    nl = text.find("\n", node.end)
    end = len(text) if nl < 0 else (node.end if text[node.end - 1] == "\n" else nl + 1)
    # ruamel keeps a comment's CR as part of its text: read LF lines, and put CRLF back after.
    dumped = _redump((" " * width + text[node.start : end]).replace("\r\n", "\n"), ops)
    if isinstance(dumped, Refusal):
        return dumped
    first, *rest = dumped.splitlines(keepends=True)
    shifted = first + "".join(" " * width + line if line.strip() else line for line in rest)
    if not text.endswith("\n") and end == len(text):
        shifted = shifted.rstrip("\n")
    return node.start, end, shifted.replace("\n", newline) if newline != "\n" else shifted


def _redump(source: str, ops: list[MapOp]) -> str | Refusal:
    """``source`` (one resource) read, changed by ``ops`` and dumped in its own style."""
    from ruamel.yaml.error import YAMLError

    yaml = _yaml(source)
    try:
        with _quiet():
            doc = yaml.load(source)
    except YAMLError as err:
        return Refusal(f"the resource cannot be read on its own ({str(err).splitlines()[0]})")
    _apply_all([doc], [(0, op) for op in ops])
    out = io.StringIO()
    yaml.dump(doc, out)
    dumped = out.getvalue()
    return dumped if _reads_back(dumped) else Refusal(BROKEN_DUMP)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """No ruamel warning on stderr: a ``ReusedAnchorWarning`` (an anchor name defined again,
    which YAML allows) is ruamel's multi-line note, not the function's one line."""
    from ruamel.yaml.error import ReusedAnchorWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReusedAnchorWarning)
        yield


def _yaml(sample: str) -> Any:
    """A round-trip YAML instance that writes the way ``sample`` is written."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 20  # never fold long lines
    indent, dash_offset = guess_indent(sample)
    # ruamel's ``sequence`` is the column of an item's content: the dash's offset, the
    # dash and one space, whatever the mapping indent (``-   name:`` otherwise, at 4).
    yaml.indent(mapping=indent, sequence=dash_offset + 2, offset=dash_offset)
    return yaml


def guess_indent(text: str) -> tuple[int, int]:
    """(mapping indent, dash offset) from the first nested key and the first nested list.

    Looks only at block lines that end a key (``key:``, a comment allowed after it) and
    the line after; falls back to kpt's compact style, (2, 0). Never negative.
    """
    indent = dash = None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for line, nxt in itertools.pairwise(lines):
        head = line.split(" #", 1)[0].rstrip()
        if not head.endswith(":") or head.lstrip().startswith(("{", "[")):
            continue
        col = len(line) - len(line.lstrip(" ").lstrip("- "))
        inner = len(nxt) - len(nxt.lstrip(" "))
        if nxt.lstrip().startswith("- "):
            dash = dash if dash is not None else inner - col
        elif inner > col and indent is None:
            indent = inner - col
        if indent is not None and dash is not None:
            break
    indent = indent if indent and 1 < indent <= 8 else 2
    dash = dash if dash is not None and 0 <= dash < indent + 1 else 0
    return indent, min(dash, indent)


def _apply_json(text: str, ops: list[DocOp]) -> str:
    """One JSON document, or concatenated ones (joined as they were), re-dumped."""
    values = jsoninput.documents(text) or [(len(text) - len(text.lstrip()), len(text.rstrip()), json.loads(text))]
    docs = [value for _, _, value in values]
    _apply_all(docs, ops)
    # The text between documents (and around them) as it was; in LF, as the dump is: the
    # caller turns every line break back into the input's (CRLF).
    starts = [a for a, _, _ in values[1:]] + [len(text)]
    gaps = [text[end:start].replace("\r\n", "\n") for (_, end, _), start in zip(values, starts, strict=True)]
    dumped = (json.dumps(doc, indent=2 if "\n" in text[a:b].strip() else None, ensure_ascii=False)
              for doc, (a, b, _) in zip(docs, values, strict=True))
    head = text[: values[0][0]].replace("\r\n", "\n")
    return head + "".join(d + gap for d, gap in zip(dumped, gaps, strict=True))


def _apply_all(docs: list[Any], ops: list[DocOp]) -> None:
    by_mapping: dict[tuple[int, Path], list[MapOp]] = {}
    for doc, op in ops:
        by_mapping.setdefault((doc, op.mapping), []).append(op)
    for (doc, path), group in by_mapping.items():
        node = docs[doc]
        for step in path:
            node = _unshared(node, step)
        _apply_to_mapping(node, group)


def _unshared(parent: Any, step: Any) -> Any:
    """``parent[step]``, first copied into place if it is shared.

    An anchored node is the same object at every alias, and a key merged in with ``<<``
    belongs to the merged mapping; changing either there would change every place that
    uses it (a livenessProbe aliasing the readinessProbe, say). The copy takes this
    place only; the others keep the original, anchor and all.
    """
    import copy

    step = _held_key(parent, step)
    child = parent[step]
    anchor = getattr(child, "anchor", None)
    own_keys = getattr(parent, "_ok", None)  # ruamel's own (not merged-in, <<) keys of a CommentedMap
    merged_in = own_keys is not None and step not in own_keys
    if merged_in or (anchor is not None and getattr(anchor, "value", None)):
        child = copy.deepcopy(child)
        if getattr(child, "anchor", None) is not None:
            child.anchor.value = None
        parent[step] = child  # a key of this mapping's own, over the merged or shared one
    return child


def _plain(value: Any) -> Any:
    """Scanner values (dict/list subclasses that carry positions) as plain dicts and lists.

    Strings that need quotes for a YAML 1.1 reader (libyaml, go-yaml) are marked double
    quoted: ruamel's YAML 1.2 emitter would write ``[a http://b]`` plain in flow style.
    """
    copied = emit.plain(value)
    if copied is emit.TOO_LARGE:
        raise TextLimitError("a rewritten probe is larger than 10,000 nodes once its aliases are followed")
    return _quoted(copied)


def _quoted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _quoted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_quoted(v) for v in value]
    if isinstance(value, str) and emit.needs_quotes(value):
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        return DoubleQuotedScalarString(value)
    return value


def _held_key(node: Any, key: Any) -> Any:
    """``key`` as ``node`` (a mapping) holds it. ruamel keeps a tagged key (``!!str k``) as a
    TaggedScalar, which neither equals nor hashes as the string the scanner read."""
    if not isinstance(key, str) or not isinstance(node, Mapping) or key in node:
        return key
    return next((k for k in node if getattr(k, "value", None) == key and isinstance(k.value, str)), key)


def _held_keys(mapping: Mapping[Any, Any], op: MapOp) -> MapOp:
    op = op._replace(key=_held_key(mapping, op.key))
    if isinstance(op, Put) and op.at.key is not None:
        op = op._replace(at=op.at._replace(key=_held_key(mapping, op.at.key)))
    return op


def _apply_to_mapping(mapping: MutableMapping[str, Any], ops: list[MapOp]) -> None:
    ops = [_held_keys(mapping, op) for op in ops]
    for append in (op for op in ops if isinstance(op, Append)):
        mapping[append.key].extend(_plain(append.values))
    ops = [Put(op.mapping, op.key, _plain(op.value), op.at) if isinstance(op, Put) else op
           for op in ops if not isinstance(op, Append)]
    keys = list(mapping)
    removed = {op.key for op in ops if isinstance(op, Remove)}
    before: dict[str | None, list[tuple[str, Any]]] = {}  # new keys, by the key they precede
    for op in ops:
        if not isinstance(op, Put):
            continue
        if op.key in mapping:
            mapping[op.key] = op.value
            continue
        kind, anchor = op.at
        if kind == "in-place-of" and anchor in removed:
            slot: str | None = anchor
        elif kind == "after" and anchor is not None and anchor in mapping:
            nxt = keys.index(anchor) + 1
            slot = keys[nxt] if nxt < len(keys) else None
        else:
            slot = None
        before.setdefault(slot, []).append((op.key, op.value))
    order: list[tuple[str, Any]] = []
    for k in keys:
        order.extend(before.get(k, []))
        if k not in removed:
            order.append((k, mapping[k]))
    order.extend(before.get(None, []))
    for k in removed:
        del mapping[k]
    insert = getattr(mapping, "insert", None)
    if insert is None:  # a plain dict from JSON: rebuild in order
        mapping.clear()
        mapping.update(order)
        return
    for pos, (k, v) in enumerate(order):
        if k not in mapping:
            insert(pos, k, v)
