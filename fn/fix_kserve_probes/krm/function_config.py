"""The frozen config the KRM layer hands on: the planner's ``Settings`` and the
selection, as plain immutable data (no pydantic here, so a run without a config never
imports it). ``schema.py`` builds these from a validated config."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from ..kserve.settings import Settings


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


class Selection(NamedTuple):
    selectors: tuple[Selector, ...] = ()
    exclude: tuple[Selector, ...] = ()
    extra_targets: tuple[ExtraTarget, ...] = ()


class Inputs(NamedTuple):
    """What else to read: files or directories (relative to the directory the function
    runs in, which for kpt is kpt's working directory) whose resources inform decisions
    but are never written or printed."""

    context: tuple[str, ...] = ()


class FunctionConfig(NamedTuple):
    """Everything a function config says: what to decide, over which resources, and what
    else to read."""

    settings: Settings = Settings()
    selection: Selection = Selection()
    inputs: Inputs = Inputs()
