"""``--results FILE``: every result of the run, located in its file, written for CI as
this function's JSON or as SARIF 2.1.0 (krm/report.py renders; this module only writes).

The file is written at the end of every run that got past the command line, failed or
not: a CI step that uploads it after a failing check finds this run's results, never a
stale file from an earlier run. Files that could not be read or parsed are error results
at their file and line. It is written atomically: a reader never sees part of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..engine import Outcome, Source
from ..errors import ConfigError, FnError, InputErrors
from ..krm import report
from ..krm.results import Result
from ..krm.summary import Summary
from . import fileio
from .options import Options, results_format
from .sources import STDIN_CONTEXT

SUMMARY_RULE = "run-summary"  # kpt's copy of the summary; a results file has its own field


def write(options: Options, outcome: Outcome | None, sources: Sequence[Source], failures: Sequence[FnError],
          would: bool) -> None:
    """The outcome's results (if there was a plan), located in ``sources`` and the outcome's
    context, then each of ``failures`` (files that could not be read) at its place."""
    located: list[report.Located] = []
    if outcome is not None:
        every = [*sources, *outcome.context]
        results = [r for r in outcome.results if r.rule != SUMMARY_RULE]
        names = [None if s.origin == STDIN_CONTEXT else s.origin for s in every]
        located = [one._replace(uri=None) if one.uri == STDIN_CONTEXT else one  # an item's file ref names it too
                   for one in report.locate(results, [s.text.body for s in every], names)]
    located += [_failure(options, error) for error in failures]
    errors = sum(one.result.severity == "error" for one in located)
    if outcome is not None and outcome.summary is not None:
        summary = outcome.summary._replace(errors=errors)
    else:
        summary = Summary(0, (), 0, 0, errors, 0)
    text = report.render(located, results_format(options), summary=summary.text(would=would), version=__version__)
    fileio.write_one(Path(options.results or ""), text.encode("utf-8"))


def write_failure(options: Options, error: FnError) -> None:
    """A run stopped by an error (bad input on stdin, an invalid config): that error is the
    run's result, so an earlier run's file does not pass for this one."""
    write(options, None, [], error.errors if isinstance(error, InputErrors) else [error], would=False)


def _failure(options: Options, error: FnError) -> report.Located:
    config = isinstance(error, ConfigError)
    uri = error.origin or (options.config if config else None)
    result = Result(str(error), "error", rule="config-invalid" if config else "input-invalid")
    return report.Located(result, uri, error.line, error.column if error.line is not None else None)
