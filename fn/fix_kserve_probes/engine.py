"""One run over decoded text: scan, read, configure, plan, report, apply. No IO here.

The layers meet only here: the text engine (``yamltext``) reads and writes the text,
the KRM layer (``krm``) finds the resources, the config and the results, and the
KServe layer (``kserve``) decides. Each speaks its own plain data; this module
translates between them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from .errors import ConfigError, FnError, InputError, from_text_error
from .krm import results as krm_results
from .krm.function_config import FunctionConfig
from .krm.resourcelist import Form, Input, Item, output_ops, read, resource_list_root
from .krm.results import Result
from .krm.selection import scope
from .kserve.decisions import Edit
from .kserve.plaindata import annotations_of
from .kserve.plan import Plan, plan
from .yamltext import apply as text_apply
from .yamltext import jsoninput
from .yamltext.errors import TextError
from .yamltext.ops import MapOp, Span, key_ops
from .yamltext.scanner import Limits, Scan, scan
from .yamltext.source import Text

Log = Callable[[str], None]
KUSTOMIZE_FUNCTION = "config.kubernetes.io/function"
LOCAL_CONFIG = "config.kubernetes.io/local-config"


class Outcome(NamedTuple):
    output: str
    results: list[Result]
    form: Form
    changed: bool
    under_kustomize: bool = False
    config: FunctionConfig = FunctionConfig()
    fatal: FnError | None = None  # bad input or config, already reported as an error result
    spans: list[Span] | None = None  # what replaced what; None after a whole-input fallback
    fallbacks: tuple[str, ...] = ()  # resources re-dumped by the round-trip applier

    @property
    def failed(self) -> bool:
        return any(r.severity == "error" for r in self.results)


def run(text: Text, *, config: FunctionConfig | None = None, origin: str | None = None, limits: Limits | None = None,
        log: Log = lambda _: None, applier: text_apply.Applier = "splice") -> Outcome:
    """Raises ``FnError`` only when no ResourceList could be read to carry the error.

    ``config`` (already validated) replaces the input's own functionConfig;
    ``applier="roundtrip"`` forces the reference applier (for differential tests).
    """
    scanned = _scan(text, limits)
    try:
        inp = read(scanned, origin)
    except InputError as err:
        found = resource_list_root(scanned)
        if found is None:
            raise
        results = [Result(str(err), "error")]
        shell = Input("resourcelist", [], None, found[1], found[0])
        applied = _apply(text, scanned, shell, [], results, log, applier)
        return Outcome(applied.output, results, "resourcelist", False, fatal=err, spans=applied.spans)
    kustomize = inp.function_config is not None and KUSTOMIZE_FUNCTION in annotations_of(inp.function_config)
    try:
        config = config if config is not None else _load(inp.function_config)
    except ConfigError as err:
        if inp.form != "resourcelist":
            raise
        results = [krm_results.config_result(inp.function_config, path, msg) for path, msg in err.problems]
        applied = _apply(text, scanned, inp, [], results, log, applier)
        return Outcome(applied.output, results, inp.form, False, kustomize, fatal=err, spans=applied.spans)
    decided = decide(inp.items, config)
    validate = config.settings.mode == "validate"
    results = krm_results.from_plan(inp, decided.edits, decided.findings, validate)
    edits = [] if validate else decided.edits
    try:
        applied = _apply(text, scanned, inp, edits, results, log, applier)
    except InputError as err:  # the round-trip applier could not take over
        if inp.form != "resourcelist":
            raise
        failure = [Result(str(err), "error")]
        applied = _apply(text, scanned, inp, [], failure, log, applier)
        return Outcome(applied.output, failure, inp.form, False, kustomize, config, fatal=err, spans=applied.spans)
    return Outcome(applied.output, results, inp.form, bool(edits), kustomize, config, spans=applied.spans,
                   fallbacks=tuple(applied.fallbacks))


def decide(items: Sequence[Item], config: FunctionConfig) -> Plan:
    """The plan over the input's items. kpt's local-config items (the Kptfile, function
    configs) are never applied, so never ours to change: the planner sees them empty."""
    data: list[Mapping[str, Any]] = [{} if _local_config(item.data) else item.data for item in items]
    return plan(data, config.settings, scope(data, config.selection))


def _scan(text: Text, limits: Limits | None) -> Scan:
    try:
        stand_in = jsoninput.stand_in(text.body)
        scanned = scan(stand_in or text.body, limits)
        if stand_in is not None:
            jsoninput.overlay(scanned, text.body)
    except TextError as err:
        raise from_text_error(err) from err
    return scanned


def _local_config(item: Mapping[str, Any]) -> bool:
    return annotations_of(item).get(LOCAL_CONFIG) in ("true", True)


def _load(raw: Mapping[str, Any] | None) -> FunctionConfig:
    from .krm.config import load  # pydantic only once a non-empty config is validated

    return load(raw)


def _apply(text: Text, scanned: Scan, inp: Input, edits: list[Edit], results: list[Result], log: Log,
           applier: text_apply.Applier) -> text_apply.Applied:
    """The edits and the ResourceList's own new keys, applied to the text."""
    by_item: dict[int, list[MapOp]] = {}
    for edit in edits:
        by_item.setdefault(edit.item, []).extend(key_ops(edit.path, edit.action, edit.old, edit.new, edit.after))
    resources = [(_resource(inp.items[i]), ops) for i, ops in by_item.items()]
    root_ops = output_ops(inp, [r.to_dict() for r in results])
    try:
        return text_apply.apply(text, scanned, resources, root_ops, log, applier)
    except TextError as err:
        raise from_text_error(err) from err


def _resource(item: Item) -> text_apply.Resource:
    return text_apply.Resource(item.doc, item.prefix, item.data, item.describe())
