"""``--results FILE``: every result of the run, located in its file, written for CI as
this function's JSON or as SARIF 2.1.0 (krm/report.py renders; this module only writes).

The file is written whenever the run got as far as a plan, or failed on one file's
YAML (then it holds that error), so a CI step that uploads it finds it even when the run
exits 1. It is written atomically: a reader never sees part of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..engine import Outcome, Source
from ..krm import report
from ..krm.results import Result
from . import fileio
from .options import Options, results_format

SUMMARY_RULE = "run-summary"  # kpt's copy of the summary; a results file has its own field


def write_outcome(options: Options, outcome: Outcome, sources: Sequence[Source], would: bool) -> None:
    """The outcome's results, located in ``sources`` (and the outcome's context)."""
    every = [*sources, *outcome.context]
    results = [r for r in outcome.results if r.rule != SUMMARY_RULE]
    located = report.locate(results, [s.text.body for s in every], [s.origin for s in every])
    if outcome.summary is not None:
        summary = outcome.summary.text(would=would)
    else:
        summary = f"error: {outcome.fatal}" if outcome.fatal else ""
    _write(options, located, summary)


def write_error(options: Options, messages: Sequence[str]) -> None:
    """A run stopped before any plan (files that are not YAML): those errors."""
    located = report.locate([Result(message, "error", rule="input-invalid") for message in messages], [], [])
    _write(options, located, f"error: {messages[0]}" + (f" (and {len(messages) - 1} more)" if len(messages) > 1 else ""))


def _write(options: Options, located: Sequence[report.Located], summary: str) -> None:
    text = report.render(located, results_format(options), summary=summary, version=__version__)
    fileio.write_one(Path(options.results or ""), text.encode("utf-8"))
