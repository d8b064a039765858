"""Choose the working handler for one agent-read container: pure, from plain data.

What the user's probe checked comes first: the endpoint its exec command names
(``exec_probe``), else the server's real health endpoint (``servers``), else tcpSocket
on the port the server listens on. Ports come from ``ports`` with their source named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from . import ports, probes, servers
from .decisions import Problem
from .exec_probe.endpoints import Endpoint
from .exec_probe.exec_endpoint import exec_endpoint
from .plaindata import as_map
from .settings import Settings
from .targets import Context

# knative/pkg network/transports.go: the agent's prober dials https://:PORT with an empty
# host through Go's default transport, so TLS cannot complete, though kubelet's would.
HTTPS_WARNING = ("the agent's prober (Knative's) dials https://:PORT with an empty host, where TLS cannot "
                 "complete (knative/pkg network/transports.go); tcpSocket checks the port instead")


class Chosen(NamedTuple):
    target: probes.Target
    note: str  # why this handler, for the edit's reason
    problems: tuple[Problem, ...] = ()
    error: str | None = None  # set: nothing may be written (a port outside 1-65535, a config port naming nothing)


def choose(ctx: Context, settings: Settings, old: Mapping[str, Any], prefer: Mapping[str, Any] | None = None,
           prefer_note: str = "matches the runtime's handler") -> Chosen:
    """The target handler for ``old`` (an exec/grpc probe) in the container ``ctx`` describes.

    ``prefer`` is a working handler ({kind: spec}) on the other side of a runtime merge:
    matching its kind keeps the merged probe at one handler.
    """
    if settings.strategy == "remove":
        return Chosen(probes.Target(None), "strategy remove")
    problems: list[Problem] = []
    endpoint = _endpoint(old, problems)
    server = servers.SERVERS.get(ctx.server_type or "")
    path = _server_path(server, ctx, problems)
    scope = "server-wide, as the agent loads the models" if ctx.multi_model else f"protocol {ctx.protocol}"
    server_note = f"{server.name}, {scope}" if server and path else None
    kind, note = _kind(settings, endpoint, server_note, prefer, prefer_note)
    port = _port(kind, ctx, settings, old, endpoint, server, prefer, problems)
    if port.problem is not None:
        return Chosen(probes.Target(None), note, tuple(problems), port.problem)
    if port.port is None:
        port = ports.Choice(ports.DEFAULT_PORT, "KServe's default")
        problems.append(Problem("warning", f"no port is stated by the probe, the server's flags or env, or a "
                                f"containerPort; assumed {ports.DEFAULT_PORT}, KServe's default: check that the "
                                "server listens there", "assumed-default-port"))
    note = f"{note}; port from {port.source}"
    if kind == "tcpSocket":
        return Chosen(probes.Target("tcpSocket", port.port), note, tuple(problems))
    http_path = settings.http_path or (endpoint.path if endpoint and endpoint.kind == "http" else None) \
        or as_map((prefer or {}).get("httpGet")).get("path") or path or "/"
    headers = endpoint.headers if endpoint and endpoint.kind == "http" and not endpoint.lost else ()
    return Chosen(probes.Target("httpGet", port.port, http_path, headers), note, tuple(problems))


def _endpoint(old: Mapping[str, Any], problems: list[Problem]) -> Endpoint | None:
    command = as_map(old.get("exec")).get("command")
    if not isinstance(command, list) or not all(isinstance(w, str) for w in command):
        return None
    found = exec_endpoint(command)
    if found is None:
        return None
    if found.lost:
        problems.append(Problem("warning", f"the exec command's check of port {found.port.text or found.port.number} "
                                f"cannot be kept in full ({'; '.join(found.lost)}); tcpSocket checks the port, and "
                                "keepAsStartupProbe keeps the whole check at startup", "exec-check-not-kept"))
    if found.kind == "https":
        problems.append(Problem("warning", HTTPS_WARNING, "https-became-tcp"))
    return found


def _server_path(server: servers.Server | None, ctx: Context, problems: list[Problem]) -> str | None:
    if server is None:
        return None
    if ctx.model_unresolved:
        problems.append(Problem("warning", f"--model_name {ctx.model_unresolved} names a variable the container's "
                                "env does not set; the probe checks the server as a whole instead of the model",
                                "model-name-unresolved"))
        return server.server_path
    return servers.health_path(server, ctx.protocol, ctx.model, ctx.multi_model)


def _kind(settings: Settings, endpoint: Endpoint | None, server_note: str | None, prefer: Mapping[str, Any] | None,
          prefer_note: str) -> tuple[probes.WorkingHandler, str]:
    if prefer:
        return ("httpGet" if "httpGet" in prefer else "tcpSocket"), prefer_note
    if settings.strategy == "tcp":
        return "tcpSocket", "strategy tcp"
    if settings.strategy == "http":
        return "httpGet", server_note or "strategy http"
    if endpoint is not None:
        if endpoint.kind == "http" and not endpoint.lost:
            return "httpGet", f"the endpoint its {endpoint.tool} command checks"
        return "tcpSocket", f"the port its {endpoint.tool} command checks"
    if server_note:
        return "httpGet", server_note
    return "tcpSocket", "no known health endpoint"


def _port(kind: probes.WorkingHandler, ctx: Context, settings: Settings, old: Mapping[str, Any],
          endpoint: Endpoint | None, server: servers.Server | None, prefer: Mapping[str, Any] | None,
          problems: list[Problem]) -> ports.Choice:
    """The first source that states a port (see ``ports``)."""
    env = ports.env_values(ctx.env)
    if settings.port is not None:
        number = ports.named(settings.port, ctx.ports)
        if number is None:
            return ports.Choice(None, "the config", f"the configured port {settings.port!r} names no containerPort "
                                                    "of the container")
        return ports.numeric(str(number), "the config")
    if endpoint is not None:
        found = _endpoint_port(endpoint, env)
        if found is not None:
            return found
    grpc_port = ports.named(as_map(old.get("grpc")).get("port"), ctx.ports)
    if kind == "tcpSocket" and grpc_port is not None:  # the port the user's gRPC check dialled
        return ports.numeric(str(grpc_port), "the grpc probe")
    spec = as_map(next(iter(prefer.values()), None)) if prefer else {}
    handler_port = ports.named(spec.get("port"), ctx.ports)
    if handler_port is not None:
        return ports.numeric(str(handler_port), "the runtime's handler")
    if server is not None:
        found = ports.from_flags(server.port_args, ctx.args, env)
        if found is not None and found.unset:
            # The flag, whose value is unknown here, overrides the server's env: skip both.
            problems.append(Problem("warning", f"{found.problem}; the port is taken from the next source instead",
                                    "port-variable-unset"))
        else:
            found = found or ports.from_env(server.port_env, env)
            if found is not None:
                return found
    declared = ports.first_declared(ctx.ports)
    if declared is not None:
        return declared
    return _default(server)


def _default(server: servers.Server | None) -> ports.Choice:
    if server is not None:
        return ports.Choice(server.default_port, f"{server.name}'s default")
    return ports.Choice(None, "nothing")


def _endpoint_port(endpoint: Endpoint, env: Mapping[str, str]) -> ports.Choice | None:
    port, source = endpoint.port, f"the exec command ({endpoint.tool})"
    if port.state == "ok" and port.number is not None:
        return ports.Choice(port.number, source)
    if port.state in ("k8s-var", "env-var") and port.variable is not None:
        if port.variable in env:
            return ports.numeric(ports.expand(env[port.variable], env)[0], f"{source}, ${port.variable} from env")
        if port.default is not None:
            return ports.Choice(port.default, f"{source}, the default of ${port.variable}")
        return None  # a variable set outside the manifest: the next source decides
    if port.state == "out-of-range":
        return ports.Choice(None, source, f"the exec command checks port {port.text[:20]}, outside 1-65535")
    return None
