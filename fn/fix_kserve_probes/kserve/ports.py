"""Where a rewritten probe's port comes from, never guessed silently.

Sources, in order, each named in the result: the configured port, the port the exec
command states, the server's own flag (``--http_port``, ``--rest_api_port``, ``--port``)
or env variable, the container's declared ``containerPort``, the server's documented
default; only then KServe's own default 8080 (constants.InferenceServiceDefaultHttpPort),
which is a warning. ``$(VAR)`` is expanded from the container's env (runtime first, as
KServe merges them), as Kubernetes expands it in command, args and env
(kubernetes pkg/kubelet/container/helpers.go ExpandContainerCommandAndArgs,
third_party/forked/golang/expansion/expand.go).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from .plaindata import flag_values

DEFAULT_PORT = 8080  # kserve constants.InferenceServiceDefaultHttpPort
_VAR = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


class Choice(NamedTuple):
    """A port and where it came from; ``port`` is None when the source named no usable one."""

    port: int | None
    source: str  # for messages: "the exec command", "--http_port", "containerPort", ...
    problem: str | None = None  # why the source's value cannot be written, when it cannot
    unset: bool = False  # the source names a variable the manifest does not set: try the next source


def env_values(env: Sequence[Any]) -> dict[str, str]:
    """Literal ``value``s by name, later entries winning (valueFrom cannot be known here)."""
    values: dict[str, str] = {}
    for entry in env:
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str) and "value" in entry:
            values[entry["name"]] = str(entry["value"])
    return values


def expand(text: str, env: Mapping[str, str]) -> tuple[str, list[str]]:
    """``text`` with ``$(VAR)`` replaced as Kubernetes does; the names it could not resolve.

    ``$$`` is a literal ``$``; an unknown ``$(VAR)`` stays as written.
    """
    missing: list[str] = []

    def replace(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group(1)
        if name in env:
            return env[name]
        missing.append(name)
        return m.group(0)

    return _VAR.sub(replace, text), missing


def numeric(text: str, source: str) -> Choice:
    """A port from text: a number in 1-65535, else a Choice that says why not."""
    if not text.isdigit() or not text.isascii():
        return Choice(None, source, f"{source} gives {text!r}, which is not a port number")
    if len(text) > 5 or not 1 <= int(text) <= 65535:
        return Choice(None, source, f"{source} gives port {text[:20]}, outside 1-65535")
    return Choice(int(text), source)


def from_flags(flags: Sequence[str], args: Sequence[Any], env: Mapping[str, str]) -> Choice | None:
    """The last value of any of the server's port ``flags``, with ``$(VAR)`` expanded."""
    values = flag_values(args, *flags) if flags else []
    if not values:
        return None
    text, missing = expand(values[-1], env)
    label = flags[0]
    if missing:
        return Choice(None, label, f"{label}={values[-1]} names {', '.join(missing)}, which the container's env does "
                                   "not set", unset=True)
    return numeric(text, label)


def from_env(name: str | None, env: Mapping[str, str]) -> Choice | None:
    if name is None or name not in env:
        return None
    return numeric(expand(env[name], env)[0], f"env {name}")


def first_declared(ports: Sequence[Mapping[str, Any]]) -> Choice | None:
    """deployment_reconciler.go setDefaultPodSpec reads Ports[0].containerPort."""
    port = ports[0].get("containerPort") if ports else None
    if isinstance(port, int) and not isinstance(port, bool):
        return numeric(str(port), "containerPort")
    return None


def named(value: Any, ports: Sequence[Mapping[str, Any]]) -> int | None:
    """The containerPort a port name (or number) stands for; None when it names none."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value.isdigit():
            return int(value)
        for p in ports:
            if p.get("name") == value and isinstance(p.get("containerPort"), int):
                return int(p["containerPort"])
    return None
