"""What the function is asked to do, as plain immutable data (no pydantic here).

``config.py`` validates user input into these; the planner only ever sees these.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, NamedTuple

Mode = Literal["fix", "validate"]
Strategy = Literal["auto", "http", "tcp", "remove"]
DeploymentMode = Literal["Standard", "Knative", "ModelMesh"]


class Selector(NamedTuple):
    """Matches a resource when every field that is set matches (names and namespaces are globs)."""

    name: str | None = None
    namespace: str | None = None
    kind: str | None = None
    labels: Mapping[str, str] = MappingProxyType({})
    annotations: Mapping[str, str] = MappingProxyType({})


class ExtraTarget(NamedTuple):
    """Containers in other kinds whose readinessProbe an agent reads (JSONPath, never executed)."""

    kind: str
    containers: str
    api_version: str | None = None


class Settings(NamedTuple):
    mode: Mode = "fix"
    strategy: Strategy = "auto"
    http_path: str | None = None
    port: int | str | None = None  # a number, or a name looked up in the container's ports
    keep_as_startup_probe: bool = False
    startup_failure_threshold: int = 60
    default_deployment_mode: DeploymentMode | None = None  # None: inferenceservice-config, else Standard
    warn_missing_runtimes: bool = True
    fix_runtimes: bool = True
    selectors: tuple[Selector, ...] = ()
    exclude: tuple[Selector, ...] = ()
    extra_targets: tuple[ExtraTarget, ...] = ()
