"""Decide every edit from plain data: no text, no IO.

``plan(items, settings)`` walks the InferenceServices an agent serves in Standard mode,
finds the readinessProbes that agent will copy (from the ISVC and from the runtime
merged into it), and returns the edits that make them runnable plus findings for what
it had to guess or could not see.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from . import kserve, probes, runtimes, selection, targets
from .edits import MISSING, Edit, Path
from .krm import Severity
from .plaindata import as_map
from .settings import Settings


class Finding(NamedTuple):
    severity: Severity
    message: str
    item: int | None = None
    path: Path | None = None


class Plan(NamedTuple):
    edits: list[Edit]
    findings: list[Finding]


class _RuntimeUse:
    """A runtime container that agents read, and who reads it."""

    def __init__(self, runtime: runtimes.Runtime, path: Path, container: Mapping[str, Any], role: str) -> None:
        self.runtime, self.path, self.container, self.role = runtime, path, container, role
        self.users: set[str] = set()  # InferenceServices whose agent reads it
        self.user_handlers: dict[str, Any] = {}  # their own working handlers, after their own fixes
        self.bare_users: set[str] = set()  # users that take the runtime's handler as is
        self.users_with_startup = False  # some user sets its own startupProbe over the runtime's
        self.multi_model = False  # some user is a multi-model predictor


def plan(items: Sequence[Mapping[str, Any]], settings: Settings) -> Plan:
    return _Planner(items, settings).run()


def cluster_default_mode(items: Sequence[Mapping[str, Any]]) -> str | None:
    """deploy.defaultDeploymentMode of an inferenceservice-config ConfigMap in the input."""
    import json

    for item in items:
        meta = as_map(item.get("metadata"))
        if item.get("kind") == "ConfigMap" and meta.get("name") == "inferenceservice-config":
            try:
                deploy = json.loads(str(as_map(item.get("data")).get("deploy", "{}")))
            except ValueError:
                return None
            return kserve.canonical_mode(as_map(deploy).get("defaultDeploymentMode"))
    return None


class _Planner:
    def __init__(self, items: Sequence[Mapping[str, Any]], settings: Settings) -> None:
        self.items, self.settings = items, settings
        self.out = Plan([], [])
        self.runtimes = runtimes.RuntimeIndex([
            runtimes.from_item(i, it) for i, it in enumerate(items)
            if kserve.is_kserve(it, kserve.SR, kserve.CSR) and isinstance(as_map(it.get("metadata")).get("name"), str)
        ])
        self.shipped = runtimes.shipped_index()
        self.default_mode = settings.default_deployment_mode or cluster_default_mode(items) or "Standard"
        self.uses: dict[tuple[int, Path], _RuntimeUse] = {}
        self.planned: set[tuple[int, Path]] = set()  # containers whose readinessProbe has an edit
        self.runtimes_with_agent_annotations = any(
            key in as_map(rt.spec.get("annotations")) for rt in self.runtimes.all for key in kserve.AGENT_ANNOTATIONS
        )

    def run(self) -> Plan:
        for i, item in enumerate(self.items):
            if not kserve.is_kserve(item, kserve.ISVC, kserve.SR, kserve.CSR):
                continue
            if not isinstance(as_map(item.get("metadata")).get("name"), str):
                self.note("warning", f"{item.get('kind')} without metadata.name is left alone", i)
            elif item.get("kind") == kserve.ISVC and selection.selected(item, self.settings):
                self.inference_service(i, item)
        for use in self.uses.values():
            self.runtime(use)
        if self.settings.extra_targets:
            from .extra import extra_containers

            for i, path, container in extra_containers(self.items, self.settings):
                name = str(as_map(self.items[i].get("metadata")).get("name"))
                ctx = targets.context(container, None, model_fallback=name, protocol="v1", server_known=False)
                self.fix(i, path, container, ctx, "listed in extraTargets")
        return self.out

    def note(self, severity: Severity, message: str, item: int | None = None, path: Path | None = None) -> None:
        self.out.findings.append(Finding(severity, message, item, path))

    def inference_service(self, i: int, isvc: Mapping[str, Any]) -> None:
        mode, unknown = kserve.deployment_mode(isvc, self.default_mode)
        if unknown is not None:
            self.note("warning", f"unknown {kserve.DEPLOYMENT_MODE} {unknown!r}; treated as {mode}", i,
                      ("metadata", "annotations", kserve.DEPLOYMENT_MODE))
        if mode != "Standard":
            return
        name = str(as_map(isvc.get("metadata")).get("name"))
        for comp in kserve.components(isvc):
            # Resolving a runtime costs more than the checks, so only when it can matter.
            reasons = kserve.agent_reasons(isvc, comp, {})
            res = None
            if comp.is_predictor and (reasons or self.runtimes_with_agent_annotations):
                res = runtimes.resolve(isvc, comp.spec, self.runtimes, self.shipped)
            rt = res.runtime if res else None
            if not reasons and rt is not None:
                reasons = kserve.agent_reasons(isvc, comp, as_map(rt.spec.get("annotations")))
            if not reasons:
                continue
            why = f"the {comp.name} agent ({', '.join(reasons)})"
            if res is not None:
                self.runtime_visibility(i, comp, res, why)
            rt_containers = self.runtime_containers(rt)
            refs = kserve.agent_read_containers(comp)
            roles = {ref.role for ref in refs}
            for ref in refs:
                rt_side = rt_containers.get(ref.role) if res is not None else None
                self.site(i, name, comp, why, ref.role, ref, rt, rt_side)
            for role, rt_side in rt_containers.items():
                if role not in roles and (role != kserve.WORKER_CONTAINER or "workerSpec" in comp.spec):
                    self.site(i, name, comp, why, role, None, rt, rt_side)

    @staticmethod
    def runtime_containers(rt: runtimes.Runtime | None) -> dict[str, tuple[Path | None, Mapping[str, Any]]]:
        """The runtime's containers by role; for a shipped runtime not in the input, the
        kserve-container probes it is known to ship (no path: it cannot be edited)."""
        if rt is None:
            return {}
        if rt.visible:
            return dict(kserve.runtime_containers(rt.spec))
        shipped = runtimes.SHIPPED_PROBES.get(rt.name)
        return {kserve.PREDICTOR_CONTAINER: (None, shipped)} if shipped else {}

    def runtime_visibility(self, i: int, comp: kserve.Component, res: runtimes.Resolution, why: str) -> None:
        rt = res.runtime
        if rt is not None and rt.visible:
            return
        if rt is not None and rt.name in runtimes.SHIPPED_EXEC_READINESS:
            severity: Severity = "error" if self.settings.mode == "validate" else "warning"
            self.note(severity, f"KServe's runtime {rt.name} ships an exec readinessProbe that {why} cannot run; "
                      "add the ClusterServingRuntime to the input so it can be fixed", i, comp.path)
        elif self.settings.warn_missing_runtimes:
            if rt is not None and res.how == "named":
                what = f"runtime {rt.name} is not in the input (KServe ships one by that name)"
            elif rt is not None:
                what = f"runtime {rt.name}, KServe's default for {res.wanted}, is not in the input"
            elif res.how == "named":
                what = f"runtime {res.wanted} is not in the input"
            else:
                what = f"no runtime in the input supports {res.wanted}"
            self.note("warning", f"{what}, so the readinessProbe it merges into the container read by {why} "
                      "cannot be checked", i, comp.path)

    def site(self, i: int, name: str, comp: kserve.Component, why: str, role: str, ref: kserve.ContainerRef | None,
             rt: runtimes.Runtime | None, rt_side: tuple[Path | None, Mapping[str, Any]] | None) -> None:
        """One pod container an agent reads: its own probe and the runtime's under it."""
        rt_path, rt_container = rt_side if rt_side else (None, {})
        isvc_probe = ref.container.get("readinessProbe") if ref else None
        rt_probe = rt_container.get("readinessProbe")
        multi_model = comp.is_predictor and kserve.is_multi_model(comp.spec)
        if ref is not None and probes.is_broken(isvc_probe):
            field_name = ref.path[-1]
            model_container = ref.role == kserve.PREDICTOR_CONTAINER and field_name in ("model", *kserve.FRAMEWORKS)
            protocol = runtimes.model_protocol(str(field_name), ref.container) if model_container \
                else _default_protocol(rt)
            ctx = targets.context(ref.container, rt_container, model_fallback=name, protocol=protocol,
                                  server_known=model_container, runtime=rt, multi_model=multi_model)
            prefer = _working(rt_probe) if not probes.is_broken(rt_probe) else None
            isvc_probe = self.fix(i, ref.path, ref.container, ctx, why, prefer,
                                  startup_taken="startupProbe" in rt_container)
        elif ref is not None and not probes.is_broken(rt_probe):
            merged = {**as_map(rt_probe), **as_map(isvc_probe)} if rt_probe or isvc_probe else None
            ports = probes.container_ports(ref.container) or probes.container_ports(rt_container)
            for problem in probes.http_problems(merged, ports):
                self.note("warning", f"readinessProbe read by {why}: {problem}", i, (*ref.path, "readinessProbe"))
        if rt is not None and rt.item is not None and rt_path is not None:
            use = self.uses.setdefault((rt.item, rt_path), _RuntimeUse(rt, rt_path, rt_container, role))
            use.users.add(name)
            use.multi_model |= multi_model
            use.users_with_startup |= ref is not None and "startupProbe" in ref.container
            own = _working(isvc_probe)  # after this site's own fix: it overrides the runtime's handler
            if own:
                use.user_handlers.update(own)
            else:
                use.bare_users.add(name)

    def fix(self, i: int, path: Path, container: Mapping[str, Any], ctx: targets.Context, why: str,
            prefer: Mapping[str, Any] | None = None, *, startup_taken: bool = False,
            prefer_note: str = "matches the runtime's handler") -> Any:
        """Plan the rewrite of ``container``'s readinessProbe; returns the new probe (None: removed)."""
        old = as_map(container.get("readinessProbe"))
        if (i, path) in self.planned:  # an extra target that is also a built-in one
            return old
        self.planned.add((i, path))
        target, note = targets.choose(ctx, self.settings, prefer, prefer_note)
        if ctx.guessed and target.kind == "httpGet" and not prefer:
            self.note("warning", f"guessed the server from its {ctx.server_source}; check that {target.describe()} "
                      "answers when the model is ready", i, (*path, "readinessProbe"))
        new = probes.replacement(old, target, ctx.ports)
        broken = ", ".join(h for h in probes.BROKEN if old.get(h) is not None)
        reason = f"{why} cannot run {broken} probes in Standard mode; {target.describe()} ({note})"
        self.out.edits.append(Edit(i, (*path, "readinessProbe"), old, MISSING if new is None else new, reason))
        if new is None and container.get("name") not in (None, kserve.PREDICTOR_CONTAINER, kserve.TRANSFORMER_CONTAINER):
            self.note("warning", "KServe adds a default probe only to kserve-container and transformer-container; "
                      "without one the agent has no readiness probe", i, (*path, "readinessProbe"))
        # A startupProbe is an addition, not something the agent cannot run: fix mode only,
        # and never over one the other side of a runtime merge already sets.
        keep = self.settings.keep_as_startup_probe and self.settings.mode == "fix"
        if keep and "startupProbe" not in container and not startup_taken:
            startup = probes.startup_probe(old, self.settings.startup_failure_threshold)
            self.out.edits.append(Edit(i, (*path, "startupProbe"), MISSING, startup,
                                       f"keeps the old {broken} check as a startupProbe", after="readinessProbe"))
        return new

    def runtime(self, use: _RuntimeUse) -> None:
        rt, item = use.runtime, use.runtime.item
        assert item is not None
        probe = use.container.get("readinessProbe")
        why = f"the agent of InferenceService {', '.join(sorted(use.users))}"
        if not probes.is_broken(probe):
            bare = ", ".join(sorted(use.bare_users))
            for problem in probes.http_problems(probe, probes.container_ports(use.container)) if bare else []:
                self.note("warning", f"readinessProbe read by the agent of InferenceService {bare}: {problem}",
                          item, (*use.path, "readinessProbe"))
            return
        if not self.settings.fix_runtimes or selection.excluded(self.items[item], self.settings):
            severity: Severity = "error" if self.settings.mode == "validate" else "warning"
            because = "fixRuntimes is false" if not self.settings.fix_runtimes else "the runtime is excluded"
            self.note(severity, f"readinessProbe is read by {why}, which cannot run it; not changed because {because}",
                      item, (*use.path, "readinessProbe"))
            return
        prefer: dict[str, Any] | None = None
        if len(use.user_handlers) == 1:
            prefer = {next(iter(use.user_handlers)): {}}
        elif len(use.user_handlers) > 1:
            self.note("warning", f"InferenceServices using this runtime set different handlers "
                      f"({', '.join(use.user_handlers)}); some merged probes will have two", item, use.path)
        # A runtime serves many InferenceServices: the model name stays {{.Name}}, which
        # KServe fills in per InferenceService (utils.go ReplacePlaceholders).
        ctx = targets.context(use.container, None, model_fallback="{{.Name}}", protocol=_default_protocol(rt),
                              server_known=use.role == kserve.PREDICTOR_CONTAINER, runtime=rt,
                              multi_model=use.multi_model)
        self.fix(item, use.path, use.container, ctx, why, prefer, startup_taken=use.users_with_startup,
                 prefer_note="matches the handler its InferenceServices set")


# predictor_model.go GetProtocolVersionPriority: KServe takes a runtime's lowest protocol.
_PROTOCOL_ORDER = ("v1", "v2", "grpc-v1", "grpc-v2")


def _default_protocol(rt: runtimes.Runtime | None) -> str:
    """The protocol KServe sets on a model that names none: the runtime's lowest, else v1."""
    versions = [v for v in (rt.spec.get("protocolVersions") if rt else None) or [] if v in _PROTOCOL_ORDER]
    return min(versions, key=_PROTOCOL_ORDER.index) if versions else "v1"


def _working(probe: Any) -> dict[str, Any] | None:
    for h in probes.WORKING:
        if isinstance(probe, Mapping) and isinstance(probe.get(h), Mapping):
            return {h: probe[h]}
    return None
