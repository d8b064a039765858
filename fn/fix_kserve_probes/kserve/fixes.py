"""Rewrite one container's readinessProbe into one the agent can run: a pure step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import probes, targets
from .choose import choose
from .components import PREDICTOR_CONTAINER, TRANSFORMER_CONTAINER
from .decisions import Decided, Edit, Finding
from .plaindata import Path, as_map
from .settings import Settings

RUNTIME_NOTE = "matches the runtime's handler"


def fix_probe(item: int, path: Path, container: Mapping[str, Any], ctx: targets.Context, why: str,
              settings: Settings, prefer: Mapping[str, Any] | None = None, *, startup_taken: bool = False,
              prefer_note: str = RUNTIME_NOTE) -> Decided:
    """The edits that rewrite ``container``'s readinessProbe, and the new probe (None: removed).

    ``prefer`` is the working handler on the other side of a runtime merge; matching it
    keeps the merged probe at one handler. ``startup_taken``: the other side already
    sets a startupProbe, so none is added here.
    """
    old = as_map(container.get("readinessProbe"))
    at = (*path, "readinessProbe")
    chosen = choose(ctx, settings, old, prefer, prefer_note)
    findings = [Finding(p.severity, p.message, item, at, rule=p.rule) for p in chosen.problems]
    if chosen.error is not None:
        return Decided([], [*findings, Finding("error", f"readinessProbe read by {why} is not changed: {chosen.error}",
                                               item, at, rule="unusable-port")], old)
    target, note = chosen.target, chosen.note
    if ctx.guessed and target.kind == "httpGet" and not prefer:
        findings.append(Finding("warning", f"guessed the server from its {ctx.server_source}; check that "
                                f"{target.describe()} answers when the model is ready", item, at,
                                rule="guessed-server"))
    new = probes.replacement(old, target, ctx.ports)
    broken = ", ".join(h for h in probes.BROKEN if old.get(h) is not None)
    reason = f"{why} cannot run {broken} probes in Standard mode; {target.describe()} ({note})"
    edits = [Edit(item, at, "remove", old, None, reason) if new is None else Edit(item, at, "set", old, new, reason)]
    if new is None and container.get("name") not in (None, PREDICTOR_CONTAINER, TRANSFORMER_CONTAINER):
        findings.append(Finding("warning", "KServe adds a default probe only to kserve-container and "
                                "transformer-container; without one the agent has no readiness probe", item, at,
                                rule="no-default-probe"))
    # A startupProbe is an addition, not something the agent cannot run: fix mode only,
    # and never over one the other side of a runtime merge already sets.
    keep = settings.keep_as_startup_probe and settings.mode == "fix"
    if keep and "startupProbe" not in container and not startup_taken:
        startup = probes.startup_probe(old, settings.startup_failure_threshold)
        edits.append(Edit(item, (*path, "startupProbe"), "add", None, startup,
                          f"keeps the old {broken} check as a startupProbe", after="readinessProbe"))
    return Decided(edits, findings, new)


def working_handler(probe: Any) -> dict[str, Any] | None:
    """The probe's first working handler as {kind: spec}, or None."""
    for h in probes.WORKING:
        if isinstance(probe, Mapping) and isinstance(probe.get(h), Mapping):
            return {h: probe[h]}
    return None
