"""The runtimes' side: gather who reads each runtime container, then decide its probe.

A runtime serves many InferenceServices; its probe is fixed once, in the way that keeps
every merged probe at one handler.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from . import components, probes, targets
from .decide import RuntimeUseNote, default_protocol
from .decisions import Decided, Finding, Scope, Severity
from .fixes import fix_probe
from .plaindata import Path
from .runtimes import Runtime
from .settings import Settings
from .working import fix_working


class RuntimeUse(NamedTuple):
    """A runtime container that agents read, and who reads it."""

    runtime: Runtime
    path: Path
    container: Mapping[str, Any]
    role: components.Role
    users: frozenset[str]  # InferenceServices whose agent reads it
    user_handlers: tuple[str, ...]  # kinds of their own working handlers, in the order first seen
    bare_users: frozenset[str]  # users that take the runtime's handler as it is
    users_with_startup: bool  # some user sets its own startupProbe over the runtime's
    multi_model: bool  # some user is a multi-model predictor


def aggregate(notes: Iterable[RuntimeUseNote]) -> list[RuntimeUse]:
    """One ``RuntimeUse`` per runtime container, in the order first used."""
    grouped: dict[tuple[int, Path], list[RuntimeUseNote]] = {}
    for note in notes:
        grouped.setdefault(note.key, []).append(note)
    uses = []
    for (_, path), group in grouped.items():
        first = group[0]
        handlers = dict.fromkeys(kind for n in group if n.own_handler for kind in n.own_handler)
        uses.append(RuntimeUse(
            first.runtime, path, first.container, first.role,
            users=frozenset(n.user for n in group),
            user_handlers=tuple(handlers),
            bare_users=frozenset(n.user for n in group if not n.own_handler),
            users_with_startup=any(n.own_startup for n in group),
            multi_model=any(n.multi_model for n in group),
        ))
    return uses


def decide_runtime(use: RuntimeUse, settings: Settings, scope: Scope) -> Decided:
    rt, item = use.runtime, use.runtime.item
    assert item is not None  # only runtimes in the input are used
    probe = use.container.get("readinessProbe")
    at = (*use.path, "readinessProbe")
    why = f"the agent of InferenceService {', '.join(sorted(use.users))}"
    if not probes.is_broken(probe):
        fixed = fix_working(item, use.path, probe, probes.container_ports(use.container), why)
        bare = ", ".join(sorted(use.bare_users))
        problems = probes.http_problems(fixed.probe) if bare else []
        return Decided(fixed.edits, [*fixed.findings, *(
            Finding(p.severity, f"readinessProbe read by the agent of InferenceService {bare}: {p.message}", item, at,
                    rule=p.rule)
            for p in problems)])
    if not settings.fix_runtimes or item in scope.excluded:
        severity: Severity = "error" if settings.mode == "validate" else "warning"
        because = "fixRuntimes is false" if not settings.fix_runtimes else "the runtime is excluded"
        return Decided([], [Finding(severity, f"readinessProbe is read by {why}, which cannot run it; "
                                    f"not changed because {because}", item, at, rule="runtime-not-fixed")])
    prefer, findings = _preferred(use, item)
    # A runtime serves many InferenceServices: the model name stays {{.Name}}, which
    # KServe fills in per InferenceService (utils.go ReplacePlaceholders).
    ctx = targets.context(use.container, None, model_fallback="{{.Name}}", protocol=default_protocol(rt),
                          server_known=use.role == components.PREDICTOR_CONTAINER, runtime=rt,
                          multi_model=use.multi_model)
    fixed = fix_probe(item, use.path, use.container, ctx, why, settings, prefer,
                      startup_taken=use.users_with_startup, prefer_note="matches the handler its InferenceServices set")
    return Decided(fixed.edits, findings + fixed.findings, fixed.probe)


def _preferred(use: RuntimeUse, item: int) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The handler kind every user sets, if they agree on one."""
    if len(use.user_handlers) == 1:
        return {use.user_handlers[0]: {}}, []
    if len(use.user_handlers) > 1:
        return None, [Finding("warning", f"InferenceServices using this runtime set different handlers "
                              f"({', '.join(use.user_handlers)}); some merged probes will have two", item, use.path,
                              rule="handlers-disagree")]
    return None, []


def decide_runtimes(uses: Sequence[RuntimeUse], settings: Settings, scope: Scope) -> Decided:
    edits, findings = [], []
    for use in uses:
        decided = decide_runtime(use, settings, scope)
        edits.extend(decided.edits)
        findings.extend(decided.findings)
    return Decided(edits, findings)
