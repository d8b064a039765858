"""What the planner decides, as its own plain data: edits, findings and the scope.

The engine lowers an ``Edit`` to the text engine's key operations and a ``Finding``
to a KRM result; nothing here knows either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from .plaindata import Path

Severity = Literal["error", "warning", "info"]
Action = Literal["set", "add", "remove"]


class Edit(NamedTuple):
    """The value at ``path`` in item ``item`` is set, added or removed."""

    item: int  # index into the input's items
    path: Path  # from the item's root to the value that changes
    action: Action
    old: Any  # None for "add"
    new: Any  # None for "remove"
    reason: str
    after: str | None = None  # an added key goes right after this sibling key


class Finding(NamedTuple):
    severity: Severity
    message: str
    item: int | None = None
    path: Path | None = None
    rule: str = ""  # the problem class, a stable kebab-case id (docs/results.md)


class Problem(NamedTuple):
    """A finding before it is placed: what a choice noticed, for the caller to locate."""

    severity: Severity
    message: str
    rule: str


class ExtraSite(NamedTuple):
    """A container in another kind whose readinessProbe an agent reads (from extraTargets)."""

    item: int
    path: Path
    container: Mapping[str, Any]


class Scope(NamedTuple):
    """Which resources the planner may change, decided by the KRM layer's selection.

    ``selected``: InferenceServices that selectors pick and excludes keep (None: all).
    ``excluded``: items that excludes drop (runtimes included).
    """

    selected: frozenset[int] | None = None
    excluded: frozenset[int] = frozenset()
    extra: tuple[ExtraSite, ...] = ()

    def picks(self, item: int) -> bool:
        return (self.selected is None or item in self.selected) and item not in self.excluded


EVERYTHING = Scope()  # no selectors, no excludes, no extraTargets


class Decided(NamedTuple):
    """Edits and findings from one step of the planner, and the probe it left behind."""

    edits: list[Edit]
    findings: list[Finding]
    probe: Any = None  # the readinessProbe after the step (None: removed or untouched)

