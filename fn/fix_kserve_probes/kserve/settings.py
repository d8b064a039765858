"""What the planner is asked to do, as plain immutable data (no pydantic here).

``krm/schema.py`` is the single source of every setting: it validates user input and
builds these; a test proves the two agree field for field. Which resources the
planner may change (selectors, excludes, extraTargets) is the KRM layer's business and
reaches the planner as a ``plan.Scope``.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from .modes import DeploymentMode

Mode = Literal["fix", "validate"]
Strategy = Literal["auto", "http", "tcp", "remove"]


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
