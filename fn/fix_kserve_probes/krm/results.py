"""Results: what the function tells the user, as values that render to the KRM
function spec's shape (kpt's ``results``) or to one stderr line each.

The planner's findings and edits become results here; nothing here reads YAML text, but a
result keeps where its key sits in the source (the offsets the scanner recorded), for
``--results`` (``report.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

from ..kserve.decisions import Edit, Finding
from ..kserve.plaindata import annotations_of
from ..yamltext import emit
from ..yamltext.ops import Path
from ..yamltext.scanner import YMap, YSeq
from .resourcelist import Input, Item

Severity = Literal["error", "warning", "info"]
EDIT_RULE, VALIDATE_RULE, CONFIG_RULE = "probe-rewritten", "probe-needs-fix", "config-invalid"


class Result(NamedTuple):
    message: str
    severity: Severity
    resource_ref: dict[str, str] | None = None
    field: dict[str, Any] | None = None
    file: dict[str, Any] | None = None
    # Not in kpt's results (``to_dict`` leaves them out): for --results (krm/report.py).
    rule: str = ""  # the problem class (docs/results.md)
    source: int | None = None  # which source of the package holds the resource (``Item.source``)
    offset: int | None = None  # where in that source's text: the key the result is about

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message, "severity": self.severity}
        for key, value in (("resourceRef", self.resource_ref), ("field", self.field), ("file", self.file)):
            if value:
                out[key] = value
        return out

    def line(self) -> str:
        """One line for stderr, in the shape kyaml prints results."""
        where = ""
        if self.resource_ref:
            r = self.resource_ref
            where = "/".join(x for x in (r.get("apiVersion"), r.get("kind"), r.get("namespace"), r.get("name")) if x)
            if self.file and self.file.get("path"):
                where += f" ({self.file['path']})"
            if self.field:
                where += f" {self.field['path']}"
            where += ": "
        return f"[{self.severity}] {where}{self.message}"


def file_ref(item: Item) -> dict[str, Any] | None:
    if not item.file_path:
        return None
    ref: dict[str, Any] = {"path": item.file_path}
    if item.file_index:
        ref["index"] = item.file_index
    return ref


def field_path(path: Path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def from_plan(inp: Input, edits: Sequence[Edit], findings: Sequence[Finding], validate: bool) -> list[Result]:
    """One result per edit (info; an error in validate mode) and per finding, by resource."""
    ranked: list[tuple[int, int, Result]] = []
    severity: Severity = "error" if validate else "info"
    for n, edit in enumerate(edits):
        item = inp.items[edit.item]
        value = {"path": field_path(edit.path)}
        if edit.action != "add":
            value["currentValue"] = _shown(edit.old)
        if edit.action != "remove":
            value["proposedValue"] = _shown(edit.new)
        message = f"{edit.reason} (validate mode: not changed)" if validate else edit.reason
        rule = VALIDATE_RULE if validate else EDIT_RULE
        ranked.append((edit.item, n, Result(message, severity, item.ref, value, file_ref(item), rule, item.source,
                                            key_offset(item.data, edit.path))))
    for n, finding in enumerate(findings, start=len(edits)):
        about = inp.items[finding.item] if finding.item is not None else None
        where = {"path": field_path(finding.path)} if finding.path is not None and about else None
        result = Result(finding.message, finding.severity, about.ref if about else None, where,
                        file_ref(about) if about else None, finding.rule, about.source if about else None,
                        key_offset(about.data, finding.path or ()) if about else None)
        ranked.append((finding.item if finding.item is not None else len(inp.items), n, result))
    return [r for _, _, r in sorted(ranked, key=lambda t: (t[0], t[1]))]


def config_result(config: Mapping[str, Any] | None, path: str, message: str, source: int = 0) -> Result:
    """An invalid functionConfig field, as an error about the config resource itself.

    ``source``: the package source whose text holds ``config`` (a ResourceList's own
    functionConfig: the first); the offset is kept only when ``config`` was scanned.
    """
    config = config or {}
    meta = config.get("metadata") if isinstance(config.get("metadata"), Mapping) else {}
    ref = {"apiVersion": str(config.get("apiVersion", "")), "kind": str(config.get("kind", "")),
           "name": str(meta.get("name", "")) if isinstance(meta, Mapping) else ""}
    notes = annotations_of(config)
    file_path = notes.get("config.kubernetes.io/path") or notes.get("internal.config.kubernetes.io/path")
    steps = _config_steps(path)
    offset = key_offset(config, steps) if isinstance(config, YMap) and steps is not None else None
    return Result(f"invalid function config: {message}", "error", ref, {"path": path},
                  {"path": str(file_path)} if file_path else None, CONFIG_RULE,
                  source if offset is not None else None, offset)


def key_offset(node: Any, path: Sequence[Any], *, whole: bool = False) -> int | None:
    """The offset in the scanned text of the key ``path`` ends at (from ``node``, a
    scanned YMap or YSeq), or of the last node on ``path`` that exists; None for plain
    data, and with ``whole`` when ``path`` does not exist to its end.

    A key gives its ``key_starts`` entry; a list index, the start of the item when the
    item is a collection (scalar items have no recorded place). Merged keys (``<<``) have
    no place of their own, so the place stays at the mapping that merges them.
    """
    if not isinstance(node, (YMap, YSeq)):
        return None
    at, placed = node.start, True
    for step in path:
        if isinstance(node, YMap):
            held = step in node
        else:
            held = isinstance(node, YSeq) and isinstance(step, int) and 0 <= step < len(node)
        if not held:
            return None if whole else at
        child = node[step]
        if placed and isinstance(node, YMap):
            index = next(i for i, key in enumerate(node) if key == step)
            placed = index < len(node.key_starts)
            at = node.key_starts[index] if placed else at
        elif placed:
            placed = isinstance(child, (YMap, YSeq))
            at = child.start if placed else at
        node = child
    return at


def config_field_offset(config: Any, path: str) -> int | None:
    """The offset of a config field's own key in the scanned config; None when the config
    does not hold that field (a value from ``--set``, a default, a missing required key)."""
    steps = _config_steps(path)
    return key_offset(config, steps, whole=True) if steps else None


_STEP = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def _config_steps(path: str) -> list[Any] | None:
    """A config problem's path (``spec.extraTargets[0].kind``) as steps; a ConfigMap's
    key (``data.selector.labels``) is one step after ``data``; ``--set`` ones are no path."""
    if path.startswith("--"):
        return None
    if path.startswith("data."):
        return ["data", path[len("data."):]]
    return [int(m[1]) if m[1] is not None else m[2] for m in _STEP.finditer(path)]


def _shown(value: Any) -> Any:
    """A value for a result: a plain copy, unless aliases make it enormous."""
    copied = emit.plain(value)
    return "(not shown: it is over 10,000 nodes or 64 KiB of text)" if copied is emit.TOO_LARGE else copied
