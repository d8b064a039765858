"""Fix what the agent's prober cannot run in a probe that is not exec or grpc.

Knative's prober (knative/serving pkg/queue/readiness/probe.go, used by KServe's agent in
Standard mode) resolves no port names: an httpGet on ``http://:http/...`` does not parse,
so the agent is never Ready, and a named tcpSocket port dials port 80. It also dials
https with an empty host through Go's default transport (knative/pkg
network/transports.go), where TLS cannot complete. Both fixes are mechanical: the
numeric containerPort a name stands for (over the runtime merge), and tcpSocket on an
HTTPS probe's port.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import ports as port_sources
from .choose import HTTPS_WARNING
from .decisions import Decided, Edit, Finding
from .plaindata import Path, as_map
from .probes import WORKING


def fix_working(item: int, path: Path, probe: Any, declared: Sequence[Mapping[str, Any]], why: str) -> Decided:
    """Edits that make an agent-read probe's named ports numeric and an HTTPS httpGet a
    tcpSocket; an error when a port name resolves to nothing. ``path`` is the container's;
    the result's ``probe`` is the probe as it will be."""
    if not isinstance(probe, Mapping):
        return Decided([], [], probe)
    at = (*path, "readinessProbe")
    new: dict[str, Any] = {}
    findings: list[Finding] = []
    notes: list[str] = []
    for key, value in probe.items():
        handler = as_map(value) if key in WORKING else None
        if handler is None or "port" not in handler or isinstance(handler.get("port"), int):
            new_key, new_value = _https(key, value, notes, findings, item, at)
            new[new_key] = new_value
            continue
        number = port_sources.named(handler["port"], declared)
        if number is None:
            findings.append(Finding("error", f"readinessProbe read by {why}: {key} port {handler['port']!r} names no "
                                             "containerPort, and the agent's prober cannot resolve names", item, at,
                                    rule="port-name-not-found"))
            return Decided([], findings, probe)
        notes.append(f"{key} port {handler['port']!r} is containerPort {number}")
        new_key, new_value = _https(key, {**handler, "port": number}, notes, findings, item, at)
        new[new_key] = new_value
    if new == dict(probe):
        return Decided([], findings, probe)
    reason = f"{why} cannot resolve port names or complete TLS; {', '.join(notes)}"
    return Decided([Edit(item, at, "set", probe, new, reason)], findings, new)


def _https(key: str, value: Any, notes: list[str], findings: list[Finding], item: int,
           at: Path) -> tuple[str, Any]:
    """An HTTPS httpGet as tcpSocket on its port; anything else as it is."""
    handler = as_map(value)
    if key != "httpGet" or str(handler.get("scheme", "")).upper() != "HTTPS":
        return key, value
    notes.append(f"tcpSocket on the HTTPS port {handler.get('port')}")
    findings.append(Finding("warning", f"httpGet with scheme HTTPS became tcpSocket: {HTTPS_WARNING}", item, at,
                            rule="https-became-tcp"))
    return "tcpSocket", {"port": handler.get("port")}
