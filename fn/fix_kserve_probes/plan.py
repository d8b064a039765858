"""Decide every edit from plain data: no text, no IO.

``plan(items, settings)`` walks the InferenceServices an agent serves in Standard mode,
finds the readinessProbes that agent will copy (from the ISVC and from the runtime
merged into it), and returns the edits that make them runnable plus findings for what
it had to guess or could not see.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

from . import kserve, probes, runtimes, selection, targets
from .edits import MISSING, Edit, Path
from .settings import Settings

Severity = Literal["error", "warning", "info"]


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
        self.users: list[str] = []  # InferenceServices whose agent reads it
        self.user_handlers: dict[str, Any] = {}  # their own working handlers
        self.bare_users: list[str] = []  # users that take the runtime's handler as is


def plan(items: Sequence[Mapping[str, Any]], settings: Settings) -> Plan:
    return _Planner(items, settings).run()


def cluster_default_mode(items: Sequence[Mapping[str, Any]]) -> str | None:
    """deploy.defaultDeploymentMode of an inferenceservice-config ConfigMap in the input."""
    for item in items:
        meta = _map(item.get("metadata"))
        if item.get("kind") == "ConfigMap" and meta.get("name") == "inferenceservice-config":
            try:
                deploy = json.loads(str(_map(item.get("data")).get("deploy", "{}")))
            except ValueError:
                return None
            return kserve.canonical_mode(_map(deploy).get("defaultDeploymentMode"))
    return None


class _Planner:
    def __init__(self, items: Sequence[Mapping[str, Any]], settings: Settings) -> None:
        self.items, self.settings = items, settings
        self.out = Plan([], [])
        self.runtimes = runtimes.RuntimeIndex([
            runtimes.from_item(i, it) for i, it in enumerate(items)
            if kserve.is_kserve(it, kserve.SR, kserve.CSR) and isinstance(_map(it.get("metadata")).get("name"), str)
        ])
        self.default_mode = settings.default_deployment_mode or cluster_default_mode(items) or "Standard"
        self.uses: dict[tuple[int, Path], _RuntimeUse] = {}
        self.runtimes_with_agent_annotations = any(
            key in _map(rt.spec.get("annotations")) for rt in self.runtimes.all for key in kserve.AGENT_ANNOTATIONS
        )

    def run(self) -> Plan:
        for i, item in enumerate(self.items):
            if not kserve.is_kserve(item, kserve.ISVC, kserve.SR, kserve.CSR):
                continue
            if not isinstance(_map(item.get("metadata")).get("name"), str):
                self.note("warning", f"{item.get('kind')} without metadata.name is left alone", i)
            elif item.get("kind") == kserve.ISVC and selection.selected(item, self.settings):
                self.inference_service(i, item)
        for use in self.uses.values():
            self.runtime(use)
        if self.settings.extra_targets:
            from .extra import extra_containers

            for i, path, container in extra_containers(self.items, self.settings):
                ctx = targets.Context(str(_map(self.items[i].get("metadata")).get("name")), "v1", None, "", False,
                                      probes.container_ports(container))
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
        name = str(_map(isvc.get("metadata")).get("name"))
        for comp in kserve.components(isvc):
            # Resolving a runtime costs more than the checks, so only when it can matter.
            reasons = kserve.agent_reasons(isvc, comp, {})
            res = None
            if comp.is_predictor and (reasons or self.runtimes_with_agent_annotations):
                res = runtimes.resolve(isvc, comp.spec, self.runtimes)
            rt = res.runtime if res else None
            if not reasons and rt is not None:
                reasons = kserve.agent_reasons(isvc, comp, _map(rt.spec.get("annotations")))
            if not reasons:
                continue
            why = f"the {comp.name} agent ({', '.join(reasons)})"
            if res is not None:
                self.runtime_visibility(i, comp, res, why)
            rt_containers = kserve.runtime_containers({"spec": rt.spec}) if rt and rt.visible else {}
            refs = kserve.agent_read_containers(comp)
            roles = {ref.role for ref in refs}
            for ref in refs:
                rt_side = rt_containers.get(ref.role) if res is not None else None
                self.site(i, name, comp, why, ref, rt, rt_side)
            for role, rt_side in rt_containers.items():
                if role not in roles and (role != kserve.WORKER_CONTAINER or "workerSpec" in comp.spec):
                    self.site(i, name, comp, why, None, rt, rt_side)

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

    def site(self, i: int, name: str, comp: kserve.Component, why: str, ref: kserve.ContainerRef | None,
             rt: runtimes.Runtime | None, rt_side: tuple[Path, Mapping[str, Any]] | None) -> None:
        isvc_probe = ref.container.get("readinessProbe") if ref else None
        rt_probe = rt_side[1].get("readinessProbe") if rt_side else None
        if ref is not None and probes.is_broken(isvc_probe):
            ctx = self.context(name, comp, ref, rt, rt_side[1] if rt_side else None)
            prefer = _working(rt_probe) if not probes.is_broken(rt_probe) else None
            isvc_probe = self.fix(i, ref.path, ref.container, ctx, why, prefer, rt_side[1] if rt_side else None)
        elif ref is not None and not probes.is_broken(rt_probe):
            merged = {**_map(rt_probe), **_map(isvc_probe)} if rt_probe or isvc_probe else None
            ports = probes.container_ports(ref.container) or probes.container_ports(rt_side[1] if rt_side else {})
            for problem in probes.http_problems(merged, ports):
                self.note("warning", f"readinessProbe read by {why}: {problem}", i, (*ref.path, "readinessProbe"))
        if rt is not None and rt_side is not None and rt.item is not None:
            use = self.uses.setdefault((rt.item, rt_side[0]), _RuntimeUse(rt, rt_side[0], rt_side[1], ref.role if ref else ""))
            use.users.append(name)
            own = _working(isvc_probe)  # after this site's own fix: it overrides the runtime's handler
            if own:
                use.user_handlers.update(own)
            else:
                use.bare_users.append(name)

    def context(self, name: str, comp: kserve.Component, ref: kserve.ContainerRef, rt: runtimes.Runtime | None,
                rt_container: Mapping[str, Any] | None) -> targets.Context:
        base = _map(rt_container)
        merged_args = [*_list(base.get("args")), *_list(ref.container.get("args"))]
        env = [*_list(base.get("env")), *_list(ref.container.get("env"))]
        ports = probes.container_ports(ref.container) or probes.container_ports(base)
        image = ref.container.get("image") or base.get("image")
        if ref.role == kserve.PREDICTOR_CONTAINER and comp.name != "explainer":
            stype, source, guessed = targets.server_type(rt.name if rt else None, rt.server_type if rt else None, image)
        else:
            stype, source, guessed = None, "unknown server", False
        field_name = ref.path[-1] if ref.role == kserve.PREDICTOR_CONTAINER else None
        if isinstance(field_name, str) and field_name in ("model", *kserve.FRAMEWORKS):
            protocol = runtimes.model_protocol(field_name, ref.container)
        else:
            protocol = _default_protocol(rt)
        model = targets.model_name(merged_args, name).replace("{{.Name}}", name)
        return targets.Context(model, protocol, stype, source, guessed, ports, merged_args, env)

    def fix(self, i: int, path: Path, container: Mapping[str, Any], ctx: targets.Context, why: str,
            prefer: Mapping[str, Any] | None = None, rt_container: Mapping[str, Any] | None = None) -> Any:
        """Plan the rewrite of ``container``'s readinessProbe; returns the new probe (None: removed)."""
        old = _map(container.get("readinessProbe"))
        target, note = targets.choose(ctx, self.settings, prefer)
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
        if self.settings.keep_as_startup_probe and "startupProbe" not in container and "startupProbe" not in _map(rt_container):
            startup = probes.startup_probe(old, self.settings.startup_failure_threshold)
            self.out.edits.append(Edit(i, (*path, "startupProbe"), MISSING, startup,
                                       f"keeps the old {broken} check as a startupProbe", after="readinessProbe"))
        return new

    def runtime(self, use: _RuntimeUse) -> None:
        rt, item = use.runtime, use.runtime.item
        assert item is not None
        probe = use.container.get("readinessProbe")
        users = ", ".join(sorted(set(use.users)))
        why = f"the agent of InferenceService {users}"
        if not probes.is_broken(probe):
            bare = ", ".join(sorted(set(use.bare_users)))
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
            kind = next(iter(use.user_handlers))
            prefer = {kind: {}}
        elif len(use.user_handlers) > 1:
            self.note("warning", f"InferenceServices using this runtime set different handlers "
                      f"({', '.join(use.user_handlers)}); some merged probes will have two", item, use.path)
        stype, source, guessed = targets.server_type(rt.name, rt.server_type, use.container.get("image"))
        if use.role != kserve.PREDICTOR_CONTAINER:
            stype, source, guessed = None, "unknown server", False
        args, env = _list(use.container.get("args")), _list(use.container.get("env"))
        protocol = _default_protocol(rt)
        ctx = targets.Context(targets.model_name(args, "{{.Name}}"), protocol, stype, source, guessed,
                              probes.container_ports(use.container), args, env)
        self.fix(item, use.path, use.container, ctx, why, prefer)


def _default_protocol(rt: runtimes.Runtime | None) -> str:
    """predictor.go: an unset protocolVersion becomes the runtime's first supported one."""
    versions = _list(rt.spec.get("protocolVersions")) if rt else []
    return "v1" if not versions or "v1" in versions else str(versions[0])


def _working(probe: Any) -> dict[str, Any] | None:
    for h in probes.WORKING:
        if isinstance(probe, Mapping) and isinstance(probe.get(h), Mapping):
            return {h: probe[h]}
    return None


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []
