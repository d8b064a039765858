"""Apply key operations to the original text, changing only the edited spans.

Each operation is turned into a (start, end, replacement) span using the offsets the
scanner recorded. Block mappings are edited by whole lines at the mapping's own
indentation; flow mappings (YAML flow or JSON) by entries, keeping the commas right.
Whatever cannot be proven safe comes back as a ``Refusal`` with the reason, so the
caller can use the round-trip applier instead (inside this module a private exception
carries it out of the nested editors).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from . import emit
from .ops import Append, MapOp, Path, Put, Refusal, Remove, Span
from .reach import Guard, guarded
from .reach import Refused as _Refused
from .reach import node_at as _node_at
from .scanner import YMap, YSeq

_DASHES = re.compile(r" *(?:- +)+")  # each space in one place only: "(?: *- +)+" backtracked exponentially


def spans_for(text: str, root: Any, ops: Iterable[MapOp], newline: str, json_doc: bool,
              guard: Guard | None = None) -> list[Span] | Refusal:
    """Spans for all ``ops`` on one root node, grouped per mapping; or why not.

    ``guard(start, end)`` says whether anchors, aliases, tags, complex or merge keys lie in
    [start, end); given one, the spans are refused unless they leave every such place as
    it was: no anchored or tagged node on the way to an edit, none in a replaced or
    removed entry, none in a scanned value copied to a new place, no merge key in an
    edited mapping. Without one, the root must hold none of them.
    """
    try:
        return _spans_for(text, root, ops, newline, json_doc, guard)
    except _Refused as why:
        return Refusal(str(why))


def _spans_for(text: str, root: Any, ops: Iterable[MapOp], newline: str, json_doc: bool,
               guard: Guard | None) -> list[Span]:
    grouped: dict[Path, list[MapOp]] = defaultdict(list)
    for op in ops:
        grouped[op.mapping].append(op)
    spans: list[Span] = []
    for path, group in grouped.items():
        node, chain = _node_at(root, path, guard)
        if not isinstance(node, YMap):
            raise _Refused(f"{'.'.join(map(str, path)) or 'root'} is not a mapping")
        if guard is not None:
            guarded(node, group, guard)
        editor = _FlowEditor if node.flow else _BlockEditor
        found = editor(text, node, chain, newline, json_doc).spans(group)
        if guard is not None and any(start < end and guard(start, end) for start, end, _ in found):
            raise _Refused("an edit would replace or remove an anchor, alias or tag")
        spans.extend(found)
    return spans


class _Editor:
    def __init__(self, text: str, node: YMap, chain: list[Any], newline: str, json_doc: bool) -> None:
        self.text, self.node, self.chain, self.newline = text, node, chain, newline
        self.ks, self.ve = node.key_starts, node.value_ends  # built from the node's positions once
        self.keys = list(node)
        self.json = text[node.key_starts[0]] == '"' if node.key_starts else json_doc

    def index(self, key: str) -> int:
        i = self.keys.index(key) if key in self.node else -1
        if not 0 <= i < len(self.ks):  # absent, or merged in from elsewhere (<<)
            raise _Refused(f"key {key!r} has no place of its own in this mapping")
        return i

    def spans(self, ops: list[MapOp]) -> list[Span]:
        appends = [self.append(op) for op in ops if isinstance(op, Append)]
        removed = {self.index(op.key) for op in ops if isinstance(op, Remove)}
        replaced: dict[int, list[Put]] = defaultdict(list)
        appended: dict[int, list[Put]] = defaultdict(list)  # after entry i (-1: empty mapping)
        for op in ops:
            if not isinstance(op, Put):
                continue
            if op.key in self.node:
                replaced[self.index(op.key)].append(op)
                continue
            kind, anchor = op.at
            slot = self.index(anchor) if anchor is not None and anchor in self.node else None
            if kind in ("in-place-of", "after") and slot is not None and (slot in removed or slot in replaced):
                # The anchor goes away or is rewritten in this batch: take (or share) its slot.
                removed.discard(slot)
                replaced[slot].append(op)
            elif kind == "after" and anchor is not None and anchor in self.node:
                appended[self.index(anchor)].append(op)
            else:
                appended[len(self.keys) - 1].append(op)
        return [*appends, *self.layout(sorted(removed), replaced, appended)]

    def append(self, op: Append) -> Span:
        """New entries after the last one of a sequence, in its own style."""
        seq = self.node.get(op.key)
        if not isinstance(seq, YSeq):
            raise _Refused(f"{op.key} is not a sequence")
        if not seq:
            if not seq.flow:
                raise _Refused(f"{op.key} is an empty block sequence")
            pos = seq.end - 1  # inside the []
            return pos, pos, ", ".join(emit.flow(v, self.json) for v in op.values)
        pos = seq.value_ends[-1]
        if seq.flow:
            first = seq[0]
            start = first.start if isinstance(first, (YMap, YSeq)) else None
            line = self.text.rfind("\n", 0, start) + 1 if start is not None else 0
            if start is not None and "\n" in self.text[seq.start : start] and not self.text[line:start].strip():
                col = start - line  # one entry per line, as in pretty JSON
                sep = "," + self.newline + " " * col
                return pos, pos, "".join(sep + emit.flow_lines(v, self.json, col, 2, self.newline) for v in op.values)
            return pos, pos, "".join(", " + emit.flow(v, self.json) for v in op.values)
        if self.text[seq.start] != "-":  # a tag or anchor before the first entry
            raise _Refused(f"{op.key} does not start with its first entry")
        nl = self.text.find("\n", pos)
        at = pos if self.text[pos - 1] == "\n" else (nl + 1 if nl >= 0 else len(self.text))
        rendered = emit.block_list_of_maps(op.values, seq.col, 2, self.newline)
        if at == len(self.text) and not self.text.endswith("\n"):
            rendered = self.newline + rendered[: -len(self.newline)]
        return at, at, rendered

    def layout(self, removed: list[int], replaced: dict[int, list[Put]], appended: dict[int, list[Put]]) -> list[Span]:
        raise NotImplementedError


class _BlockEditor(_Editor):
    def line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1

    def line_after(self, pos: int) -> int:
        if pos > 0 and self.text[pos - 1] == "\n":
            return pos  # block scalars end at the start of the next line
        nl = self.text.find("\n", pos)
        return nl + 1 if nl >= 0 else len(self.text)

    def at_line_start(self, i: int) -> bool:
        """The key starts its line; else it follows the dash of a compact sequence entry."""
        start = self.ks[i]
        prefix = self.text[self.line_start(start) : start]
        if not prefix.strip(" "):
            return True
        if _DASHES.fullmatch(prefix):
            return False
        raise _Refused(f"key at offset {start} follows {prefix.strip()!r}, not a line start or a dash")

    def step(self) -> int:
        for value in self.node.values():
            if isinstance(value, YMap) and not value.flow and value.col > self.node.col:
                return value.col - self.node.col
        for parent in reversed(self.chain):
            if isinstance(parent, YMap) and not parent.flow and self.node.col > parent.col:
                return self.node.col - parent.col
        return 2

    def render(self, puts: list[Put]) -> str:
        col, step = self.node.col, self.step()
        return "".join(emit.block_entry(p.key, p.value, col, step, self.newline, self.text) for p in puts)

    def entry_span(self, i: int) -> tuple[int, int]:
        start = self.ks[i]
        return (self.line_start(start) if self.at_line_start(i) else start), self.line_after(self.ve[i])

    def insertion(self, pos: int, rendered: str) -> Span:
        if self.at_unterminated_end(pos):
            rendered = self.newline + rendered[: -len(self.newline)]
        return (pos, pos, rendered)

    def at_unterminated_end(self, pos: int) -> bool:
        """``pos`` is the end of a text whose last line has no line break (keep it so)."""
        return pos == len(self.text) and not self.text.endswith("\n")

    def layout(self, removed: list[int], replaced: dict[int, list[Put]], appended: dict[int, list[Put]]) -> list[Span]:
        if len(removed) == len(self.keys) and not replaced and not appended:
            raise _Refused("edit would empty a block mapping")
        spans: list[Span] = []
        for i in removed:
            start, end = self.entry_span(i)
            if not self.at_line_start(i):  # first key after "- ": pull the next key up
                if i + 1 >= len(self.keys) or (i + 1) in removed or (i + 1) in replaced:
                    raise _Refused("cannot remove the first key of a compact sequence entry")
                end = self.ks[i + 1]
            if spans and spans[-1][1] == start and spans[-1][2] == "":
                start = spans.pop()[0]  # the entry before is removed too: one span
            if self.at_unterminated_end(end) and self.text.endswith(self.newline, 0, start):
                start -= len(self.newline)  # the last line had no line break: leave none
            spans.append((start, end, ""))
        for i, puts in replaced.items():
            start, end = self.entry_span(i)
            rendered = self.render(puts)
            if not self.at_line_start(i):
                rendered = rendered.lstrip(" ")
            if self.at_unterminated_end(end):
                rendered = rendered[: -len(self.newline)]
            spans.append((start, end, rendered))
        for i, puts in appended.items():
            if i < 0:
                raise _Refused("cannot add to an empty block mapping")
            spans.append(self.insertion(self.line_after(self.ve[i]), self.render(puts)))
        return spans


class _FlowEditor(_Editor):
    def render(self, puts: list[Put]) -> str:
        layout = self.multiline_layout
        if layout is None:
            return ", ".join(f"{emit.scalar(p.key, self.json)}: {emit.flow(p.value, self.json, self.text)}"
                             for p in puts)
        col, step, fill = layout
        sep = "," + self.newline + fill * col
        return sep.join(
            f"{emit.scalar(p.key, self.json)}: {emit.flow_lines(p.value, self.json, col, step, self.newline, fill)}"
            for p in puts
        )

    @functools.cached_property
    def multiline_layout(self) -> tuple[int, int, str] | None:
        """(key column, indent step, indent character) when entries sit one per line, as in
        pretty JSON; the column and step count tabs where the key's line is indented by tabs."""
        ks = self.ks
        if not ks:
            return None
        line_start = self.text.rfind("\n", 0, ks[0]) + 1
        if self.text[line_start : ks[0]].strip() or "\n" not in self.text[self.node.start : ks[0]]:
            return None
        col = ks[0] - line_start
        fill = "\t" if col and self.text[line_start] == "\t" else " "
        brace_line = self.text.rfind("\n", 0, self.node.start) + 1
        indent = brace_line
        while self.text[indent] == fill:  # not lstrip: that would copy the rest of the input
            indent += 1
        return col, max(col - (indent - brace_line), 1), fill

    def separator(self) -> str:
        layout = self.multiline_layout
        return ", " if layout is None else "," + self.newline + layout[2] * layout[0]

    def layout(self, removed: list[int], replaced: dict[int, list[Put]], appended: dict[int, list[Put]]) -> list[Span]:
        ks, ve, n = self.ks, self.ve, len(self.keys)
        spans: list[Span] = []
        for run in _runs(removed):
            a, b = run[0], run[-1]
            if b + 1 < n:
                spans.append((ks[a], ks[b + 1], ""))
            elif a > 0:
                spans.append((ve[a - 1], ve[b], ""))
            else:
                spans.append((ks[a], ve[b], ""))
        for i, puts in replaced.items():
            spans.append((ks[i], ve[i], self.render(puts)))
        for i, puts in appended.items():
            if i < 0:
                pos = self.node.start + 1
                spans.append((pos, pos, self.render(puts)))
            else:
                spans.append((ve[i], ve[i], self.separator() + self.render(puts)))
        return spans


def _runs(indices: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs
