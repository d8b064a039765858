"""Apply key operations to scanned text: the splicer first, the round-trip applier where
the splicer refuses.

The splicer edits one resource's spans and keeps every other byte. A resource it
refuses (anchors, aliases, tags, odd layouts) is re-dumped alone by the round-trip
applier, unless its anchors are shared with other resources; then, and when the
round-trip applier is asked for outright, the whole input is re-dumped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple

from . import roundtrip, splice
from .errors import TextError
from .ops import MapOp, Path, Refusal, Span
from .scanner import Scan, YMap
from .source import Text
from .spans import apply_spans

Applier = Literal["splice", "roundtrip"]
Log = Callable[[str], None]
# Line breaks YAML knows besides LF and CRLF (source.py refuses a bare CR). In a YAML
# resource they would break the splicer's line arithmetic; JSON has them only in strings.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")


class Resource(NamedTuple):
    """One resource to edit: where it sits and how messages name it."""

    doc: int  # the document that holds it
    prefix: Path  # from that document's root to the resource
    node: YMap
    label: str


class Applied(NamedTuple):
    output: str
    spans: list[Span] | None  # what replaced what; None after a whole-input fallback
    fallbacks: list[str]  # resources (or "the whole input") the round-trip applier re-dumped


def apply(text: Text, scanned: Scan, edits: Sequence[tuple[Resource, list[MapOp]]],
          root_ops: Sequence[tuple[int, MapOp]], log: Log, applier: Applier = "splice") -> Applied:
    """The edited text. Raises ``TextError`` only when no applier can take the input."""
    if not edits and not root_ops:
        return Applied(text.body, [], [])
    spliced = _splice(text, scanned, edits, root_ops, log) if applier == "splice" \
        else Refusal("the round-trip applier was asked for")
    if not isinstance(spliced, Refusal):
        return spliced
    log(f"round-trip applier for the whole input: {spliced.reason}")
    return _whole(text, edits, root_ops)


def _splice(text: Text, scanned: Scan, edits: Sequence[tuple[Resource, list[MapOp]]],
            root_ops: Sequence[tuple[int, MapOp]], log: Log) -> Applied | Refusal:
    json_doc = text.json
    spans: list[Span] = []
    fallbacks: list[str] = []
    for resource, ops in edits:
        found = _splice_resource(text, scanned, resource.node, ops, json_doc)
        if isinstance(found, Refusal):
            log(f"{resource.label}: round-trip applier for this resource: {found.reason}")
            if scanned.shares_anchors(resource.node.start, resource.node.end):
                return Refusal(f"{resource.label} shares anchors with other resources")
            redumped = roundtrip.item_span(text.body, resource.node, ops, text.newline)
            if isinstance(redumped, Refusal):
                return Refusal(f"{resource.label}: {redumped.reason}")
            spans.append(redumped)
            fallbacks.append(resource.label)
        else:
            spans.extend(found)
    for doc, op in root_ops:
        found = splice.spans_for(text.body, scanned.docs[doc].root, [op], text.newline, json_doc)
        if isinstance(found, Refusal):
            return found
        spans.extend(found)
    output = apply_spans(text.body, spans)
    return output if isinstance(output, Refusal) else Applied(output, spans, fallbacks)


def _splice_resource(text: Text, scanned: Scan, node: YMap, ops: list[MapOp], json_doc: bool) -> list[Span] | Refusal:
    """The resource's spans. One with anchors, aliases, tags, complex or merge keys is
    spliced too when no edit touches them (``splice.spans_for``'s guard) and its anchors
    stay inside it: the round-trip applier would re-dump all of it (issue 11)."""
    special = scanned.has_specials(node.start, node.end)
    if special and scanned.shares_anchors(node.start, node.end):
        return Refusal("it shares anchors or aliases with other resources")
    body = text.body[node.start : node.end] if not json_doc else ""
    if any(c in body for c in _OTHER_BREAKS):
        return Refusal("it has NEL, LS or PS line breaks")
    found = splice.spans_for(text.body, node, ops, text.newline, json_doc, scanned.has_specials if special else None)
    if isinstance(found, Refusal) and special:
        return Refusal(f"it has anchors, aliases, tags, complex keys or merge keys ({found.reason})")
    return found


def _whole(text: Text, edits: Sequence[tuple[Resource, list[MapOp]]], root_ops: Sequence[tuple[int, MapOp]]) -> Applied:
    from ruamel.yaml.error import YAMLError

    doc_ops = [(r.doc, op._replace(mapping=r.prefix + op.mapping)) for r, ops in edits for op in ops]
    doc_ops.extend(root_ops)
    try:
        output = roundtrip.apply(text.body, doc_ops)
    except YAMLError as err:
        names = ", ".join(r.label for r, _ in edits)
        problem = str(getattr(err, "problem", None) or err).splitlines()[0]
        raise TextError(f"cannot rewrite {names}: the text splicer cannot edit around its anchors or aliases, "
                        f"and ruamel.yaml's round-trip reader, which could, refuses the input ({problem})") from err
    output = output.replace("\n", text.newline) if text.newline != "\n" else output
    return Applied(output, None, ["the whole input"])
