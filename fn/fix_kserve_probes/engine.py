"""One run over decoded text: read, configure, plan, apply, report. No IO here.

The splicer applies the plan to the original text; where it cannot prove an edit
safe (anchors, aliases, tags, odd layouts) the round-trip applier takes the same ops.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from . import jsoninput, krm, splice
from .edits import MISSING, Edit, MapOp, Path, mapping_ops
from .errors import ConfigError, FnError, InputError
from .plaindata import annotations_of
from .plan import Finding, plan
from .settings import Settings
from .source import Text
from .yamlscan import Limits, Scan, scan

Log = Callable[[str], None]
KUSTOMIZE_FUNCTION = "config.kubernetes.io/function"


class Outcome(NamedTuple):
    output: str
    results: list[krm.Result]
    form: str  # resourcelist or stream
    changed: bool
    under_kustomize: bool = False
    settings: Settings = Settings()
    fatal: FnError | None = None  # bad input or config, already reported as an error result
    spans: list[tuple[int, int, str]] | None = None  # what replaced what; None after a whole-input fallback
    fallbacks: list[str] = []  # noqa: RUF012 - never mutated; resources re-dumped by the round-trip applier

    @property
    def failed(self) -> bool:
        return any(r.severity == "error" for r in self.results)


def run(text: Text, *, config: Mapping[str, Any] | None = None, settings: Settings | None = None,
        origin: str | None = None, limits: Limits | None = None, log: Log = lambda _: None,
        applier: str = "splice") -> Outcome:
    """Raises ``FnError`` only when no ResourceList could be read to carry the error.

    ``settings`` (already validated) or else a raw ``config`` replace the input's own
    functionConfig; ``applier="roundtrip"`` forces the reference applier (for
    differential tests).
    """
    stand_in = jsoninput.stand_in(text.body)
    scanned = scan(stand_in or text.body, limits)
    if stand_in is not None:
        jsoninput.overlay(scanned, text.body)
    try:
        inp = krm.read(scanned, origin)
    except InputError as err:
        found = krm.resource_list_root(scanned)
        if found is None:
            raise
        results = [krm.Result(str(err), "error")]
        shell = krm.Input("resourcelist", [], None, found[1], found[0])
        output, spans, _ = _apply(text, scanned, shell, [], results, log, applier)
        return Outcome(output, results, "resourcelist", False, fatal=err, spans=spans)
    raw = config if config is not None else inp.function_config
    kustomize = isinstance(inp.function_config, Mapping) and KUSTOMIZE_FUNCTION in annotations_of(inp.function_config)
    try:
        settings = settings if settings is not None else _settings(raw)
    except ConfigError as err:
        if inp.form != "resourcelist" or config is not None:
            raise
        results = [_config_result(inp.function_config, path, msg) for path, msg in err.problems]
        output, spans, _ = _apply(text, scanned, inp, [], results, log, applier)
        return Outcome(output, results, inp.form, False, kustomize, fatal=err, spans=spans)
    # kpt's local-config items (the Kptfile, function configs) are never applied: not ours to change.
    decided = plan([{} if _local_config(item.data) else item.data for item in inp.items], settings)
    results = _results(inp, decided.edits, decided.findings, settings)
    edits = decided.edits if settings.mode == "fix" else []
    try:
        output, spans, fallbacks = _apply(text, scanned, inp, edits, results, log, applier)
    except InputError as err:  # the round-trip applier could not take over
        if inp.form != "resourcelist":
            raise
        failure = [krm.Result(str(err), "error")]
        output, spans, _ = _apply(text, scanned, inp, [], failure, log, applier)
        return Outcome(output, failure, inp.form, False, kustomize, settings, fatal=err, spans=spans)
    return Outcome(output, results, inp.form, bool(edits), kustomize, settings, spans=spans, fallbacks=fallbacks)


def _local_config(item: Mapping[str, Any]) -> bool:
    return annotations_of(item).get("config.kubernetes.io/local-config") in ("true", True)


def _settings(raw: Mapping[str, Any] | None) -> Settings:
    from .config import load  # pydantic only once a non-empty config is validated

    return load(raw)


def _apply(text: Text, scanned: Scan, inp: krm.Input, edits: list[Edit], results: list[krm.Result], log: Log,
           applier: str) -> tuple[str, list[splice.Span] | None, list[str]]:
    """The output text, the spans that made it (None after a whole-input fallback), and
    the resources that went through the round-trip applier."""
    by_item: dict[int, list[MapOp]] = {}
    for edit in edits:
        by_item.setdefault(edit.item, []).extend(mapping_ops(edit))
    root_ops = krm.output_ops(inp, results)
    if not by_item and not root_ops:
        return text.body, [], []
    json_doc = _JSON_START.match(text.body) is not None
    try:
        if applier == "roundtrip":
            raise splice.Unsafe("the round-trip applier was asked for")
        spans: list[splice.Span] = []
        fallbacks: list[str] = []
        for index, ops in by_item.items():
            item = inp.items[index]
            try:
                spans.extend(_splice_item(text, scanned, item, ops, json_doc))
            except splice.Unsafe as why:
                log(f"{item.describe()}: round-trip applier for this resource: {why}")
                if scanned.shares_anchors(item.data.start, item.data.end):
                    raise splice.Unsafe(f"{item.describe()} shares anchors with other resources") from None
                from . import roundtrip

                spans.append(roundtrip.item_span(text.body, item.data, ops, text.newline))
                fallbacks.append(item.describe())
        for doc, op in root_ops:
            spans.extend(splice.spans_for(text.body, scanned.docs[doc].root, [op], text.newline, json_doc))
        return splice.apply_spans(text.body, spans), spans, fallbacks
    except splice.Unsafe as why:
        log(f"round-trip applier for the whole input: {why}")
        from ruamel.yaml.error import YAMLError

        from . import roundtrip

        doc_ops: list[tuple[int, MapOp]] = [(inp.items[i].doc, op._replace(mapping=inp.items[i].prefix + op.mapping))
                                            for i, ops in by_item.items() for op in ops]
        doc_ops.extend(root_ops)
        try:
            output = roundtrip.apply(text.body, doc_ops)
        except YAMLError as err:
            names = ", ".join(inp.items[i].describe() for i in by_item)
            problem = str(getattr(err, "problem", None) or err).splitlines()[0]
            raise InputError(f"cannot rewrite {names}: the text splicer cannot edit around its anchors or aliases, "
                             f"and ruamel.yaml's round-trip reader, which could, refuses the input ({problem})") from err
        return (output.replace("\n", text.newline) if text.newline != "\n" else output), None, ["the whole input"]


# Line breaks YAML knows besides LF and CRLF (source.py refuses a bare CR). In a YAML
# resource they would break the splicer's line arithmetic; JSON has them only in strings.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")
_JSON_START = re.compile(r"[ \t\r\n]*[\[{]")


def _splice_item(text: Text, scanned: Scan, item: krm.Item, ops: list[MapOp], json_doc: bool) -> list[splice.Span]:
    data = item.data
    if scanned.has_specials(data.start, data.end):
        raise splice.Unsafe("it has anchors, aliases, tags, complex keys or merge keys")
    if not json_doc and any(c in text.body[data.start : data.end] for c in _OTHER_BREAKS):
        raise splice.Unsafe("it has NEL, LS or PS line breaks")
    return splice.spans_for(text.body, data, ops, text.newline, json_doc)


def _results(inp: krm.Input, edits: list[Edit], findings: list[Finding], settings: Settings) -> list[krm.Result]:
    ranked: list[tuple[int, int, krm.Result]] = []
    severity: krm.Severity = "error" if settings.mode == "validate" else "info"
    for n, edit in enumerate(edits):
        item = inp.items[edit.item]
        value = {"path": field_path(edit.path)}
        if edit.old is not MISSING:
            value["currentValue"] = _shown(edit.old)
        if edit.new is not MISSING:
            value["proposedValue"] = _shown(edit.new)
        message = edit.reason if settings.mode == "fix" else f"{edit.reason} (validate mode: not changed)"
        ranked.append((edit.item, n, krm.Result(message, severity, item.ref, value, krm.file_ref(item))))
    for n, finding in enumerate(findings, start=len(edits)):
        about = inp.items[finding.item] if finding.item is not None else None
        where = {"path": field_path(finding.path)} if finding.path is not None and about else None
        result = krm.Result(finding.message, finding.severity, about.ref if about else None, where,
                            krm.file_ref(about) if about else None)
        ranked.append((finding.item if finding.item is not None else len(inp.items), n, result))
    return [r for _, _, r in sorted(ranked, key=lambda t: (t[0], t[1]))]


def _config_result(config: Mapping[str, Any] | None, path: str, message: str) -> krm.Result:
    config = config or {}
    meta = config.get("metadata") if isinstance(config.get("metadata"), Mapping) else {}
    ref = {"apiVersion": str(config.get("apiVersion", "")), "kind": str(config.get("kind", "")),
           "name": str(meta.get("name", "")) if isinstance(meta, Mapping) else ""}
    notes = annotations_of(config)
    file_path = notes.get("config.kubernetes.io/path") or notes.get("internal.config.kubernetes.io/path")
    return krm.Result(f"invalid function config: {message}", "error", ref, {"path": path},
                      {"path": str(file_path)} if file_path else None)


def _shown(value: Any) -> Any:
    """A value for a result: a plain copy, unless aliases make it enormous."""
    from . import emit

    try:
        return emit.plain(value)
    except emit.TooLarge:
        return "(not shown: its aliases expand it past 10,000 nodes)"


def field_path(path: Path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out
