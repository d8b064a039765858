"""Decide every edit from plain data: no text, no IO.

``plan(items, settings, scope)`` runs four pure steps: find the sites of each
InferenceService an agent serves in Standard mode (``sites``), decide each
(``decide``), gather how runtime containers are used and decide each runtime
(``runtime_uses``), then the containers the config lists in ``extraTargets``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from . import components, targets
from .decide import RuntimeUseNote, decide_site
from .decisions import EVERYTHING, Edit, ExtraSite, Finding, Scope
from .fixes import fix_probe
from .plaindata import Path, as_map
from .runtime_uses import aggregate, decide_runtimes
from .settings import Settings
from .sites import find_sites, known


class Plan(NamedTuple):
    edits: list[Edit]
    findings: list[Finding]


def plan(items: Sequence[Mapping[str, Any]], settings: Settings, scope: Scope = EVERYTHING) -> Plan:
    facts = known(items, settings)
    edits: list[Edit] = []
    findings: list[Finding] = []
    notes: list[RuntimeUseNote] = []
    assumed: dict[str, set[str]] = {}  # KServe's shipped runtimes not in the input, and who uses them
    for i, item in enumerate(items):
        if not components.is_kserve(item, components.ISVC, components.SR, components.CSR):
            continue
        if not isinstance(as_map(item.get("metadata")).get("name"), str):
            findings.append(Finding("warning", f"{item.get('kind')} without metadata.name is left alone", i,
                                    rule="missing-name"))
            continue
        if item.get("kind") != components.ISVC or not scope.picks(i):
            continue
        sites, found = find_sites(i, item, facts, settings)
        findings.extend(found)
        for site in sites:
            if site.runtime is not None and site.runtime.kind == "shipped":
                assumed.setdefault(site.runtime.name, set()).add(site.isvc_name)
            decided, note = decide_site(site, settings)
            edits.extend(decided.edits)
            findings.extend(decided.findings)
            if note is not None:
                notes.append(note)
    runtimes = decide_runtimes(aggregate(notes), settings, scope)
    edits.extend(runtimes.edits)
    findings.extend(runtimes.findings)
    extra = decide_extra(items, scope.extra, settings, edits)
    if assumed and settings.warn_missing_runtimes:
        findings.append(assumed_runtimes(assumed))
    return Plan(edits + extra.edits, findings + extra.findings)


def assumed_runtimes(assumed: Mapping[str, set[str]]) -> Finding:
    """One info for every shipped runtime taken as KServe ships it (runtimes.SHIPPED_PROBES:
    no readinessProbe, or vLLM's httpGet), instead of a warning per InferenceService."""
    uses = ", ".join(f"{name} ({len(users)} InferenceService{'s' if len(users) > 1 else ''})"
                     for name, users in sorted(assumed.items()))
    return Finding("info", f"assumed KServe's shipped runtimes as installed by KServe, since the input does not "
                           f"hold them: {uses}; to check the live ones, add them with --context (kubectl get "
                           "servingruntimes,clusterservingruntimes -A -o yaml)", rule="assumed-shipped-runtimes")


def decide_extra(items: Sequence[Mapping[str, Any]], extra: Sequence[ExtraSite], settings: Settings,
                 planned: Sequence[Edit]) -> Plan:
    """Containers listed in extraTargets; one that is also a built-in site is planned once."""
    done: set[tuple[int, Path]] = {(e.item, e.path[:-1]) for e in planned if e.path[-1] == "readinessProbe"}
    edits: list[Edit] = []
    findings: list[Finding] = []
    for site in extra:
        if (site.item, site.path) in done:
            continue
        done.add((site.item, site.path))
        name = str(as_map(items[site.item].get("metadata")).get("name"))
        ctx = targets.context(site.container, None, model_fallback=name, protocol="v1", server_known=False)
        decided = fix_probe(site.item, site.path, site.container, ctx, "listed in extraTargets", settings)
        edits.extend(decided.edits)
        findings.extend(decided.findings)
    return Plan(edits, findings)
