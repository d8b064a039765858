"""Find the sites of one InferenceService: each pod container an agent reads, with the
runtime container KServe merges under it. A pure step over plain data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from . import components, modes, runtimes
from .components import Component, ContainerRef, Role
from .decisions import Finding, Severity
from .plaindata import Path, as_map
from .settings import Settings

RuntimeSide = tuple[Path | None, Mapping[str, Any]]  # (path in the runtime, container); no path: not editable


class Known(NamedTuple):
    """What the whole input tells about every InferenceService in it."""

    runtimes: runtimes.RuntimeIndex
    shipped: runtimes.RuntimeIndex
    default_mode: modes.DeploymentMode
    runtimes_with_agent_annotations: bool  # some runtime's spec.annotations could inject an agent


def known(items: Sequence[Mapping[str, Any]], settings: Settings) -> Known:
    index = runtimes.RuntimeIndex([
        runtimes.from_item(i, it) for i, it in enumerate(items)
        if components.is_kserve(it, components.SR, components.CSR)
        and isinstance(as_map(it.get("metadata")).get("name"), str)
    ])
    with_agent = any(key in as_map(rt.spec.get("annotations"))
                     for rt in index.all for key in components.AGENT_ANNOTATIONS)
    default = settings.default_deployment_mode or modes.cluster_default_mode(items) or "Standard"
    return Known(index, runtimes.shipped_index(), default, with_agent)


class Site(NamedTuple):
    """One pod container an agent reads: the InferenceService's side and the runtime's."""

    item: int
    isvc_name: str
    comp: Component
    why: str  # "the predictor agent (logger)", for messages
    role: Role
    ref: ContainerRef | None  # None: only the runtime sets this container
    runtime: runtimes.Runtime | None
    runtime_side: RuntimeSide | None  # None: no runtime resolved (a custom predictor)


def find_sites(item: int, isvc: Mapping[str, Any], facts: Known, settings: Settings) -> tuple[list[Site], list[Finding]]:
    mode, unknown = modes.deployment_mode(isvc, facts.default_mode)
    findings: list[Finding] = []
    if unknown is not None:
        findings.append(Finding("warning", f"unknown {modes.DEPLOYMENT_MODE} {unknown!r}; treated as {mode}", item,
                                ("metadata", "annotations", modes.DEPLOYMENT_MODE), rule="unknown-deployment-mode"))
    if mode != "Standard":
        return [], findings
    name = str(as_map(isvc.get("metadata")).get("name"))
    sites: list[Site] = []
    for raw in components.components(isvc):
        comp = raw if raw.stable is None else raw._replace(spec=components.canary_merge(raw.stable, raw.spec))
        # Resolving a runtime costs more than the checks, so only when it can matter.
        reasons = components.agent_reasons(isvc, comp, {})
        res = None
        if comp.is_predictor and (reasons or facts.runtimes_with_agent_annotations):
            res = runtimes.resolve(isvc, comp.spec, facts.runtimes, facts.shipped)
        rt = res.runtime if res else None
        if not reasons and rt is not None:
            reasons = components.agent_reasons(isvc, comp, as_map(rt.spec.get("annotations")))
        if not reasons:
            continue
        why = f"the {comp.name} agent ({', '.join(reasons)})"
        if res is not None:
            findings.extend(runtime_visibility(item, comp, res, why, settings))
        rt_containers = runtime_containers(rt)
        refs = components.agent_read_containers(comp)
        for ref in refs:
            side = rt_containers.get(ref.role) if res is not None else None
            for one, one_why in _own_sides(raw, ref, why):
                if all(s.ref is None or s.ref.path != one.path for s in sites):
                    sites.append(Site(item, name, comp, one_why, ref.role, one, rt, side))
        roles = {ref.role for ref in refs}
        for role, side in rt_containers.items():
            if role not in roles and (role != components.WORKER_CONTAINER or "workerSpec" in comp.spec):
                sites.append(Site(item, name, comp, why, role, None, rt, side))
    return sites, findings


def _own_sides(raw: Component, ref: ContainerRef, why: str) -> list[tuple[ContainerRef, str]]:
    """Where the InferenceService writes the container ``ref`` reads. A canary's pod merges
    the canary over the stable predictor (``components.canary_merge``), so both sides that
    set it are fixed: a stable ``exec`` would survive beside a canary ``httpGet``."""
    if raw.stable is None:
        return [(ref, why)]
    rel = ref.path[len(raw.path):]
    out: list[tuple[ContainerRef, str]] = []
    own = components.surviving(raw.spec, {}, rel)
    if isinstance(own, Mapping):
        out.append((ref._replace(container=own), why))
    kept = components.surviving(raw.stable, raw.spec, rel)
    if isinstance(kept, Mapping) and isinstance(kept.get("readinessProbe"), Mapping):
        stable_path = ("spec", "predictor", *rel)
        out.append((ContainerRef(stable_path, kept, ref.role),
                    f"{why[:-1]}; KServe merges the canary over this stable predictor)"))
    return out


def runtime_containers(rt: runtimes.Runtime | None) -> dict[Role, RuntimeSide]:
    """The runtime's containers by role; for a shipped runtime not in the input, the
    kserve-container probes it is known to ship (no path: it cannot be edited)."""
    if rt is None:
        return {}
    if rt.visible:
        return dict(components.runtime_containers(rt.spec))
    shipped = runtimes.SHIPPED_PROBES.get(rt.name)
    return {components.PREDICTOR_CONTAINER: (None, shipped)} if shipped else {}


def runtime_visibility(item: int, comp: Component, res: runtimes.Resolution, why: str,
                       settings: Settings) -> list[Finding]:
    """Why the runtime merged into this component cannot be checked, if it cannot."""
    rt = res.runtime
    if rt is not None and rt.visible:
        return []
    if rt is not None and rt.name in runtimes.SHIPPED_EXEC_READINESS:
        severity: Severity = "error" if settings.mode == "validate" else "warning"
        return [Finding(severity, f"KServe's runtime {rt.name} ships an exec readinessProbe that {why} cannot run; "
                        "add the ClusterServingRuntime to the input so it can be fixed", item, comp.path,
                        rule="shipped-exec-probe")]
    if not settings.warn_missing_runtimes or (rt is not None and rt.kind == "shipped"):
        return []  # a shipped runtime is assumed as KServe ships it: plan.py says so once
    if rt is not None and res.how == "named":
        what = f"runtime {rt.name} is not in the input (KServe ships one by that name)"
    elif rt is not None:
        what = f"runtime {rt.name}, KServe's default for {res.wanted}, is not in the input"
    elif res.how == "named":
        what = f"runtime {res.wanted} is not in the input"
    else:
        what = f"no runtime in the input supports {res.wanted}"
    return [Finding("warning", f"{what}, so the readinessProbe it merges into the container read by {why} "
                    "cannot be checked", item, comp.path, rule="runtime-not-in-input")]
