"""One run over decoded text: scan, read, configure, plan, report, apply. No IO here.

The layers meet only here: the text engine (``yamltext``) reads and writes the text,
the KRM layer (``krm``) finds the resources, the config and the results, and the
KServe layer (``kserve``) decides. Each speaks its own plain data; this module
translates between them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from .errors import ConfigError, FnError, InputError, InputErrors, from_text_error
from .krm import results as krm_results
from .krm.config import load
from .krm.function_config import FunctionConfig
from .krm.resourcelist import Form, Input, Item, output_ops, read, resource_list_root
from .krm.results import Result
from .krm.selection import scope
from .krm.summary import Summary, summarize
from .kserve.decisions import Edit, Finding
from .kserve.plaindata import annotations_of
from .kserve.plan import Plan, plan
from .yamltext import apply as text_apply
from .yamltext import jsoninput
from .yamltext.errors import TextError
from .yamltext.ops import MapOp, Span, key_ops
from .yamltext.scanner import Limits, Scan
from .yamltext.source import Text

Log = Callable[[str], None]
T = TypeVar("T")
R = TypeVar("R")
KUSTOMIZE_FUNCTION = "config.kubernetes.io/function"
LOCAL_CONFIG = "config.kubernetes.io/local-config"
RUNTIME_KINDS = ("ServingRuntime", "ClusterServingRuntime")
SKIM_FROM = 1 << 16  # characters: a smaller ResourceList is read whole (skim.py is not even imported)


class Source(NamedTuple):
    """One text of a package: stdin, a file or a context file."""

    text: Text
    origin: str | None = None  # the file it came from; None for stdin


class Outcome(NamedTuple):
    outputs: tuple[str, ...]  # one per source, in order
    results: list[Result]
    form: Form
    changed: bool
    under_kustomize: bool = False
    config: FunctionConfig = FunctionConfig()
    fatal: FnError | None = None  # bad input or config, already reported as an error result
    spans: list[Span] | None = None  # first source: what replaced what; None after a whole-input fallback
    fallbacks: tuple[str, ...] = ()  # resources re-dumped by the round-trip applier
    summary: Summary | None = None  # what the plan changes; None when the input or config was refused
    context: tuple[Source, ...] = ()  # the read-only sources, after the package's (results index both)

    @property
    def output(self) -> str:
        """The output of a package of one source (stdin)."""
        return self.outputs[0]

    @property
    def failed(self) -> bool:
        return any(r.severity == "error" for r in self.results)


ReadContext = Callable[[Sequence[str]], Sequence[Source]]


def run(text: Text, *, config: FunctionConfig | None = None, origin: str | None = None, limits: Limits | None = None,
        log: Log = lambda _: None, applier: text_apply.Applier = "splice") -> Outcome:
    """A package of one source."""
    return run_package([Source(text, origin)], config=config, limits=limits, log=log, applier=applier)


def run_package(sources: Sequence[Source], *, context: Sequence[Source] = (), config: FunctionConfig | None = None,
                limits: Limits | None = None, log: Log = lambda _: None, applier: text_apply.Applier = "splice",
                read_context: ReadContext | None = None, skim: bool = True) -> Outcome:
    """Plan every source (and the read-only ``context``) as one input; edit each source.

    Raises ``FnError`` only when no ResourceList could be read to carry the error.
    ``config`` (already validated) replaces the input's own functionConfig;
    ``read_context`` reads the files a config lists as context (IO is the caller's);
    ``applier="roundtrip"`` forces the reference applier (for differential tests);
    ``skim=False`` reads every item of a ResourceList (``skim.py``; the same outcome).
    """
    scans, skimmed = _scans(sources, limits, skim and not context, log)
    try:
        inputs = _each(list(zip(scans, sources, strict=True)), lambda pair: _read(pair[0], pair[1].origin))
    except InputError as err:
        found = resource_list_root(scans[0]) if len(sources) == 1 else None
        if found is None:
            raise
        results = [Result(str(err), "error", rule="input-invalid")]
        shell = Input("resourcelist", [], None, found[1], found[0])
        empty = _apply(sources[0].text, scans[0], [], shell, [], results, log, applier)
        return Outcome((empty.output,), results, "resourcelist", False, fatal=err, spans=empty.spans)
    inp = inputs[0] if inputs[0].form == "resourcelist" else Input("stream", [])
    if len(sources) > 1 and any(i.form == "resourcelist" for i in inputs):
        raise InputError("a ResourceList must be the only input: it cannot be planned with other files")
    kustomize = inp.function_config is not None and KUSTOMIZE_FUNCTION in annotations_of(inp.function_config)
    try:
        config = config if config is not None else load(inp.function_config)  # pydantic only for a non-empty one
    except ConfigError as err:
        if inp.form != "resourcelist":
            raise
        results = [krm_results.config_result(inp.function_config, path, msg) for path, msg in err.problems]
        applied = _apply(sources[0].text, scans[0], inp.items, inp, [], results, log, applier)
        return Outcome((applied.output,), results, inp.form, False, kustomize, fatal=err, spans=applied.spans)
    if skimmed and (config.selection.extra_targets or config.inputs.context):  # they may read any item
        return run_package(sources, config=config, limits=limits, log=log, applier=applier, read_context=read_context,
                           skim=False)
    context = _read_context(context, config, read_context, inputs, limits)
    items = [item._replace(source=k) for k, one in enumerate(inputs) for item in one.items]
    decided = _context_only(decide(items, config), items, len(sources))
    validate = config.settings.mode == "validate"
    results = krm_results.from_plan(inp._replace(items=items), decided.edits, decided.findings, validate)
    resources = sum(1 for item in items if item.source < len(sources) and not _local_config(item.data))
    summary = summarize(items, decided.edits, (r.severity for r in results), resources)
    if inp.form == "resourcelist" and not kustomize:  # kpt shows results, not the function's stderr
        results.append(Result(summary.text(would=validate), "info", rule="run-summary"))
    edits = [] if validate else decided.edits
    try:
        outputs = [_apply(s.text, scans[k], items, inp if k == 0 else Input("stream", []),
                          [e for e in edits if items[e.item].source == k], results, log, applier)
                   for k, s in enumerate(sources)]
    except InputError as err:  # the round-trip applier could not take over
        if inp.form != "resourcelist":
            raise
        failure = [Result(str(err), "error", rule="input-invalid")]
        kept = _apply(sources[0].text, scans[0], items, inp, [], failure, log, applier)
        return Outcome((kept.output,), failure, inp.form, False, kustomize, config, fatal=err, spans=kept.spans)
    return Outcome(tuple(a.output for a in outputs), results, inp.form, bool(edits), kustomize, config,
                   spans=outputs[0].spans, fallbacks=tuple(f for a in outputs for f in a.fallbacks), summary=summary,
                   context=tuple(context))


def _read_context(given: Sequence[Source], config: FunctionConfig, read_context: ReadContext | None,
                  inputs: list[Input], limits: Limits | None) -> list[Source]:
    """The read-only sources (``given``, then the config's), each read onto ``inputs``."""
    context = [*given, *(read_context(config.inputs.context) if read_context and config.inputs.context else ())]
    for extra in context:
        inputs.append(_read(_scan(extra.text, limits, extra.origin), extra.origin))
        if inputs[-1].form == "resourcelist":
            raise InputError(f"{extra.origin or 'context'}: a ResourceList cannot be context")
    return context


def _scans(sources: Sequence[Source], limits: Limits | None, skim: bool, log: Log) -> tuple[list[Scan], bool]:
    """Each source's scan; a big ResourceList's skimmed when ``skim`` (True: it was)."""
    skimmed = None
    if skim and len(sources) == 1 and len(sources[0].text.body) >= SKIM_FROM:
        from . import skim as skimming

        skimmed = skimming.skim(sources[0].text.body, limits)
    if skimmed is not None:
        log(f"skimmed: {skimmed.unread} of {skimmed.items} items checked by libyaml only, not read")
        return [skimmed.scan], True
    return _each(sources, lambda s: _scan(s.text, limits, s.origin)), False


def _each(values: Sequence[T], step: Callable[[T], R]) -> list[R]:
    """``step`` of every value; with several, every InputError is collected, then raised together."""
    if len(values) == 1:
        return [step(values[0])]
    done: list[R] = []
    failed: list[InputError] = []
    for value in values:
        try:
            done.append(step(value))
        except InputError as err:
            failed.extend(err.errors if isinstance(err, InputErrors) else [err])
    if failed:
        raise failed[0] if len(failed) == 1 else InputErrors(failed)
    return done


def _read(scanned: Scan, origin: str | None) -> Input:
    try:
        return read(scanned, origin)
    except InputError as err:
        if origin is None:
            raise
        raise _named(err, origin) from err


def _named(error: InputError, origin: str | None) -> InputError:
    """``error`` with the file it is about in front of its message (stdin: as it is)."""
    if origin is None:
        return error
    return type(error)(f"{origin}: {error.message}", line=error.line, column=error.column, origin=origin)


def _context_only(decided: Plan, items: Sequence[Item], sources: int) -> Plan:
    """Context is read, never written: the edits a context runtime would need (it merges into
    the input's pods) become one warning per runtime; a context InferenceService is only read."""
    kept = [e for e in decided.edits if items[e.item].source < sources]
    untouched: dict[int, list[str]] = {}
    for edit in decided.edits:
        if items[edit.item].source >= sources and items[edit.item].data.get("kind") in RUNTIME_KINDS:
            untouched.setdefault(edit.item, []).append(krm_results.field_path(edit.path))
    findings = [f for f in decided.findings if f.item is None or items[f.item].source < sources]
    for i, paths in untouched.items():
        findings.append(Finding("warning", f"read-only context: would change {', '.join(dict.fromkeys(paths))}; "
                                "fix it where it is kept, or KServe merges it with the fixed probes", i, rule="read-only-context"))
    return Plan(kept, findings)


def decide(items: Sequence[Item], config: FunctionConfig) -> Plan:
    """The plan over the input's items. kpt's local-config items (the Kptfile, function
    configs) are never applied, so never ours to change: the planner sees them empty."""
    data: list[Mapping[str, Any]] = [{} if _local_config(item.data) else item.data for item in items]
    return plan(data, config.settings, scope(data, config.selection))


def _scan(text: Text, limits: Limits | None, origin: str | None = None) -> Scan:
    try:
        scanned = jsoninput.scan_text(text.body, limits)  # YAML, JSON, or concatenated JSON documents
    except TextError as err:
        raise _named(from_text_error(err), origin) from err
    return scanned


def _local_config(item: Mapping[str, Any]) -> bool:
    return bool(item) and annotations_of(item).get(LOCAL_CONFIG) in ("true", True)  # {}: an item skim.py left unread


def _apply(text: Text, scanned: Scan, items: Sequence[Item], inp: Input, edits: list[Edit], results: list[Result],
           log: Log, applier: text_apply.Applier) -> text_apply.Applied:
    """The edits (to ``items`` of this text) and the ResourceList's own new keys, applied to the text."""
    by_item: dict[int, list[MapOp]] = {}
    for edit in edits:
        by_item.setdefault(edit.item, []).extend(key_ops(edit.path, edit.action, edit.old, edit.new, edit.after))
    resources = [(_resource(items[i]), ops) for i, ops in by_item.items()]
    root_ops = output_ops(inp, [r.to_dict() for r in results])
    try:
        return text_apply.apply(text, scanned, resources, root_ops, log, applier)
    except TextError as err:
        raise from_text_error(err) from err


def _resource(item: Item) -> text_apply.Resource:
    return text_apply.Resource(item.doc, item.prefix, item.data, item.describe())
