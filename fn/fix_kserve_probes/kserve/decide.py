"""Decide one site: fix the InferenceService's own probe, or check the one KServe
merges from the runtime; and note how this site uses its runtime's container."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from . import components, probes, runtimes, targets
from .decisions import Decided, Finding
from .fixes import fix_probe, working_handler
from .plaindata import Path, as_map
from .settings import Settings
from .sites import Site
from .working import fix_working

# predictor_model.go GetProtocolVersionPriority: KServe takes a runtime's lowest protocol.
PROTOCOL_ORDER = ("v1", "v2", "grpc-v1", "grpc-v2")


class RuntimeUseNote(NamedTuple):
    """One InferenceService reading one runtime container, after its own fix."""

    key: tuple[int, Path]  # (runtime item, container path)
    runtime: runtimes.Runtime
    container: Mapping[str, Any]
    role: components.Role
    user: str
    multi_model: bool
    own_startup: bool  # the InferenceService sets its own startupProbe over the runtime's
    own_handler: dict[str, Any] | None  # its working handler, which overrides the runtime's


def default_protocol(rt: runtimes.Runtime | None) -> str:
    """The protocol KServe sets on a model that names none: the runtime's lowest, else v1."""
    versions = [v for v in (rt.spec.get("protocolVersions") if rt else None) or [] if v in PROTOCOL_ORDER]
    return min(versions, key=PROTOCOL_ORDER.index) if versions else "v1"


def decide_site(site: Site, settings: Settings) -> tuple[Decided, RuntimeUseNote | None]:
    ref, rt = site.ref, site.runtime
    rt_path, rt_container = site.runtime_side if site.runtime_side else (None, {})
    isvc_probe = ref.container.get("readinessProbe") if ref else None
    rt_probe = rt_container.get("readinessProbe")
    multi_model = site.comp.is_predictor and components.is_multi_model(site.comp.spec)
    decided = Decided([], [])
    if ref is not None and probes.is_broken(isvc_probe):
        field_name = ref.path[-1]
        model_container = ref.role == components.PREDICTOR_CONTAINER and field_name in ("model", *components.FRAMEWORKS)
        protocol = runtimes.model_protocol(str(field_name), ref.container) if model_container \
            else default_protocol(rt)
        ctx = targets.context(ref.container, rt_container, model_fallback=site.isvc_name, protocol=protocol,
                              server_known=model_container, runtime=rt, multi_model=multi_model)
        prefer = working_handler(rt_probe) if not probes.is_broken(rt_probe) else None
        decided = fix_probe(site.item, ref.path, ref.container, ctx, site.why, settings, prefer,
                            startup_taken="startupProbe" in rt_container)
        isvc_probe = decided.probe
    elif ref is not None:  # the service's own probe works: fix its port names, whatever the runtime has
        declared = [*probes.container_ports(ref.container), *probes.container_ports(rt_container)]
        decided = fix_working(site.item, ref.path, isvc_probe, declared, site.why)
        isvc_probe = decided.probe
        merged = {**as_map(rt_probe), **as_map(isvc_probe)} if rt_probe or isvc_probe else None
        problems = probes.http_problems(merged) if not probes.is_broken(rt_probe) else []
        decided = Decided(decided.edits, [*decided.findings, *(
            Finding(p.severity, f"readinessProbe read by {site.why}: {p.message}", site.item,
                    (*ref.path, "readinessProbe"), rule=p.rule)
            for p in problems)])
    if rt is None or rt.item is None or rt_path is None:
        return decided, None
    note = RuntimeUseNote((rt.item, rt_path), rt, rt_container, site.role, site.isvc_name, multi_model,
                          ref is not None and "startupProbe" in ref.container, working_handler(isvc_probe))
    return decided, note
