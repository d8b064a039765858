"""Choose the working handler for one agent-read container: pure, from plain data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from . import probes, servers
from .plaindata import as_list, as_map, flag_values
from .runtimes import SHIPPED, Runtime
from .settings import Settings

_SHIPPED_TYPES = {name: server for name, server, *_ in SHIPPED}


class Context(NamedTuple):
    """What is known about the container whose probe is rewritten (merged with its runtime)."""

    model: str  # model name for health paths ("{{.Name}}" inside a runtime)
    protocol: str  # v1 or v2
    server_type: str | None  # serving.kserve.io/server-type, or None when unknown
    server_source: str  # how the server type was found, for messages
    guessed: bool  # the server type comes from an image name only
    ports: Sequence[Mapping[str, Any]] = ()
    args: Sequence[Any] = ()
    env: Sequence[Any] = ()
    multi_model: bool = False  # models come from the agent, none under the InferenceService's name


def context(container: Mapping[str, Any], base: Mapping[str, Any] | None, *, model_fallback: str, protocol: str,
            server_known: bool, runtime: Runtime | None = None, multi_model: bool = False) -> Context:
    """What is known about ``container`` merged over its runtime container ``base``.

    Args and env concatenate, runtime first (utils.go MergeRuntimeContainers); the
    container's own ports win. The server type is looked for only when ``server_known``
    (a predictor's model container), from the runtime, else the image.
    """
    base = base or {}
    args = [*as_list(base.get("args")), *as_list(container.get("args"))]
    env = [*as_list(base.get("env")), *as_list(container.get("env"))]
    ports = probes.container_ports(container) or probes.container_ports(base)
    image = container.get("image") or base.get("image")
    if server_known:
        name = runtime.name if runtime is not None else None
        stype, source, guessed = server_type(name, runtime.server_type if runtime is not None else None, image)
    else:
        stype, source, guessed = None, "unknown server", False
    model = model_name(args, model_fallback).replace("{{.Name}}", model_fallback)
    return Context(model, protocol, stype, source, guessed, ports, args, env, multi_model)


def server_type(runtime_name: str | None, annotated: str | None, image: Any) -> tuple[str | None, str, bool]:
    """(server type, how it was found, guessed?) from the runtime, else the image name."""
    if annotated:
        return annotated, f"runtime {runtime_name} (serving.kserve.io/server-type)", False
    if runtime_name in _SHIPPED_TYPES:
        return _SHIPPED_TYPES[runtime_name], f"KServe's runtime {runtime_name}", False
    guess = servers.server_from_image(image)
    if guess:
        return guess, f"image {image}", True
    return None, "unknown server", False


def model_name(args: Sequence[Any], fallback: str) -> str:
    """--model_name from the args (the runtime's come first, the ISVC's after), else ``fallback``."""
    names = flag_values(args, "--model_name")
    return names[-1] if names else fallback


def choose(ctx: Context, settings: Settings, prefer: Mapping[str, Any] | None = None,
           prefer_note: str = "matches the runtime's handler") -> tuple[probes.Target, str]:
    """The target handler and a short note on why.

    ``prefer`` is a working handler ({kind: spec}) on the other side of a runtime merge:
    matching its kind keeps the merged probe at one handler.
    """
    if settings.strategy == "remove":
        return probes.Target(None), "strategy remove"
    server = servers.SERVERS.get(ctx.server_type or "")
    path = servers.health_path(server, ctx.protocol, ctx.model, ctx.multi_model) if server else None
    configured = probes.resolve_port(settings.port, ctx.ports) if settings.port is not None else None
    if prefer:
        preferred, spec = next(iter(prefer.items()))
        port = configured or probes.resolve_port(as_map(spec).get("port"), ctx.ports)
        if preferred == "httpGet":
            http_port = port or (servers.http_port(server, ctx.args, ctx.env) if server else probes.first_port(ctx.ports))
            return probes.Target("httpGet", http_port, as_map(spec).get("path") or path), prefer_note
        return probes.Target("tcpSocket", port or probes.first_port(ctx.ports)), prefer_note
    # auto: an endpoint the server is known to serve, else what KServe itself uses
    kind: probes.WorkingHandler = "httpGet" if settings.strategy == "http" or (settings.strategy == "auto" and path) \
        else "tcpSocket"
    if kind == "tcpSocket":
        note = "no known health endpoint" if settings.strategy == "auto" else "strategy tcp"
        return probes.Target(kind, configured or probes.first_port(ctx.ports)), note
    port = configured or (servers.http_port(server, ctx.args, ctx.env) if server else probes.first_port(ctx.ports))
    scope = "server-wide, as the agent loads the models" if ctx.multi_model else f"protocol {ctx.protocol}"
    note = f"{server.name}, {scope}" if server else "strategy http"
    return probes.Target(kind, port, settings.http_path or path or "/"), note
