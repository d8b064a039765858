"""Probe handlers: which ones an agent can run, and what to write instead.

The agent (kserve cmd/agent) hands SERVING_READINESS_PROBE to Knative's prober, whose
probeContainerImpl (knative serving pkg/queue/readiness/probe.go) runs httpGet and
tcpSocket, and gRPC only from Knative Serving v0.39 (pkg/queue/health/probe.go, so not
under KServe <= 0.11), and fails exec ("exec probe not supported"); since kserve v0.15
agent_injector.go forwards only httpGet and tcpSocket. So grpc is rewritten too: the
tcpSocket written for it works on every version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

from .decisions import Problem
from .ports import named as ports_named
from .servers import VERSIONED_READY

Handler = Literal["exec", "httpGet", "tcpSocket", "grpc"]
WorkingHandler = Literal["httpGet", "tcpSocket"]
HANDLERS: tuple[Handler, ...] = ("exec", "httpGet", "tcpSocket", "grpc")
BROKEN: tuple[Handler, ...] = ("exec", "grpc")  # handlers the agent cannot run
WORKING: tuple[WorkingHandler, ...] = ("httpGet", "tcpSocket")


def handlers(probe: Any) -> list[Handler]:
    return [h for h in HANDLERS if isinstance(probe, Mapping) and probe.get(h) is not None]


def is_broken(probe: Any) -> bool:
    return any(h in BROKEN for h in handlers(probe))


class Target(NamedTuple):
    """The handler to write: ``httpGet`` with a path, ``tcpSocket``, or None to remove the probe."""

    kind: WorkingHandler | None
    port: int | None = None
    path: str | None = None
    headers: tuple[tuple[str, str], ...] = ()  # literal request headers the exec command sent

    def handler(self) -> dict[str, Any]:
        if self.kind == "httpGet":
            handler: dict[str, Any] = {"path": self.path or "/", "port": self.port}
            if self.headers:
                handler["httpHeaders"] = [{"name": name, "value": value} for name, value in self.headers]
            return handler
        return {"port": self.port}

    def describe(self) -> str:
        if self.kind is None:
            return "removed"
        if self.kind == "httpGet":
            return f"httpGet {self.path or '/'} on port {self.port}"
        return f"tcpSocket on port {self.port}"


def container_ports(container: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    ports = container.get("ports")
    return [p for p in ports if isinstance(p, Mapping)] if isinstance(ports, list) else []


def replacement(probe: Mapping[str, Any], target: Target, ports: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The probe with exec/grpc gone and one working handler; None to remove it.

    Timings and any other keys stay. A working handler already present (a probe with
    two handlers) is kept, with its port made numeric; else ``target`` takes the place
    of the first broken handler.
    """
    if target.kind is None:
        return None
    new: dict[str, Any] = {}
    kept = [k for k, v in probe.items() if k in WORKING and isinstance(v, Mapping)]
    for key, value in probe.items():
        if key in BROKEN:
            if not kept and target.kind not in new:
                new[target.kind] = target.handler()
            continue
        if key in kept[:1]:
            handler = dict(value)
            port = ports_named(handler.get("port"), ports)
            handler["port"] = port if port is not None else target.port
            if key == "httpGet" and not handler.get("path"):
                handler["path"] = target.path or "/"
            new[key] = handler
        elif key not in WORKING:  # a second working handler would still be two handlers
            new[key] = value
    return new


def startup_probe(old: Mapping[str, Any], failure_threshold: int) -> dict[str, Any]:
    """The old exec/grpc check as a startupProbe: kubelet runs those fine.

    successThreshold must be 1 for startup probes, so it is left out; the failure
    threshold is generous because a failing startup probe restarts the container.
    """
    new: dict[str, Any] = {h: old[h] for h in BROKEN if old.get(h) is not None}
    for key in ("initialDelaySeconds", "periodSeconds", "timeoutSeconds"):
        if key in old:
            new[key] = old[key]
    new["failureThreshold"] = failure_threshold
    return new


def http_problems(probe: Any) -> list[Problem]:
    """Why an agent-read probe that has no exec/grpc handler will still misbehave."""
    if not isinstance(probe, Mapping):
        return []
    found = handlers(probe)
    problems: list[Problem] = []
    if len(found) > 1:
        problems.append(Problem("warning", f"has {len(found)} handlers ({', '.join(found)}); Kubernetes accepts "
                                "exactly one", "several-handlers"))
    for h in (x for x in found if x in WORKING):
        spec = probe[h] if isinstance(probe[h], Mapping) else {}
        port = spec.get("port")
        if port is None:
            problems.append(Problem("warning", f"{h} has no port; the agent's prober needs one", "handler-without-port"))
        # A named port is fixed (working.py), not reported here.
        path = spec.get("path")
        if h == "httpGet" and isinstance(path, str) and VERSIONED_READY.search(path):
            problems.append(Problem("warning", f"httpGet path {path} answers 501 on KServe's Python server; use "
                                    "/v2/models/<model>/ready", "versioned-ready-path"))
    return problems
