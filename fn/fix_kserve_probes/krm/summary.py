"""The one-line summary of a run: how many probes changed, in what, in how many files.

``fixed 12 readinessProbes in 9 InferenceServices and 2 ServingRuntimes (7 files); 1 warning``
or ``nothing to fix in 40 resources``. It is counted from the plan, so a ``--check``, a
``--diff`` and validate mode ("would fix") count exactly what a rewrite would change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..kserve.decisions import Edit
from .resourcelist import Item

PROBE = "readinessProbe"
STARTUP = "startupProbe"  # added beside a fixed readinessProbe (keepAsStartupProbe): part of that fix


class Summary(NamedTuple):
    probes: int  # readinessProbes that change
    kinds: tuple[tuple[str, int], ...]  # (kind, resources of that kind that change), first seen first
    files: int  # files that change (0: no resource names a file)
    resources: int  # resources in the input
    errors: int
    warnings: int

    def text(self, would: bool = False) -> str:
        problems = _problems(self.errors, self.warnings)
        verb = "would fix" if would else "fixed"
        if not self.probes:  # "nothing to fix" only when no error says something could not be fixed
            head = f"{verb} nothing" if self.errors else "nothing to fix"
            return f"{head} in {_count(self.resources, 'resource')}{problems}"
        kinds = _joined([_count(n, kind) for kind, n in self.kinds])
        files = f" ({_count(self.files, 'file')})" if self.files else ""
        return f"{verb} {_count(self.probes, 'readinessProbe')} in {kinds}{files}{problems}"


def summarize(items: Sequence[Item], edits: Sequence[Edit], severities: Iterable[str], resources: int) -> Summary:
    """The summary of the plan's ``edits`` to ``items``; ``severities``, those of the results
    shown (validate mode's edits are errors too), give the problem counts."""
    probes: dict[tuple[int, tuple[object, ...]], None] = {}
    changed: dict[int, None] = {}
    for edit in edits:
        probes[edit.item, _probe_path(edit.path)] = None
        changed[edit.item] = None
    kinds = Counter(str(items[i].data.get("kind", "")) or "resource" for i in changed)
    files = {items[i].file_path for i in changed if items[i].file_path}
    counted = Counter(severities)
    return Summary(len(probes), tuple(kinds.items()), len(files), resources, counted["error"], counted["warning"])


def _probe_path(path: Sequence[object]) -> tuple[object, ...]:
    """The path of the readinessProbe an edit is part of."""
    for n, step in enumerate(path):
        if step in (PROBE, STARTUP):
            return (*path[:n], PROBE)
    return tuple(path[:-1])


def _problems(errors: int, warnings: int) -> str:
    parts = [_count(n, word) for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return f"; {', '.join(parts)}" if parts else ""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _joined(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
