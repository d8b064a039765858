"""What is known about one agent-read container, merged with its runtime container:
its model name, protocol, server, ports, args and env. Pure, from plain data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from . import ports, probes, servers
from .plaindata import as_list, flag_values
from .runtimes import SHIPPED, Runtime

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
    model_unresolved: str | None = None  # a --model_name whose $(VAR) the env does not set, as written


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
    declared = probes.container_ports(container) or probes.container_ports(base)
    image = container.get("image") or base.get("image")
    if server_known:
        name = runtime.name if runtime is not None else None
        stype, source, guessed = server_type(name, runtime.server_type if runtime is not None else None, image)
    else:
        stype, source, guessed = None, "unknown server", False
    written = model_name(args, model_fallback)
    model, missing = ports.expand(written, ports.env_values(env))
    model = model.replace("{{.Name}}", model_fallback)
    return Context(model, protocol, stype, source, guessed, declared, args, env, multi_model,
                   written if missing else None)


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
