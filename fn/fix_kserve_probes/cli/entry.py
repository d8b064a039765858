"""The entry point: ``main(argv) -> int``. Errors become one stderr line and an exit code."""

from __future__ import annotations

import gc
import io
import os
import sys
from collections.abc import Sequence
from typing import IO

from ..errors import FnError, UsageError, one_line
from . import signals
from .options import DEBUG_ENV, PROG, Options, parse
from .output import Output

# The scanner stops input at 256 levels of nesting; ruamel's round-trip loader (the
# fallback applier) spends 4 frames a level, more than Python's default 1000 allow.
RECURSION_LIMIT = 10_000


def main(argv: Sequence[str] | None = None, stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None,
         stderr: IO[str] | None = None) -> int:
    err = stderr or sys.stderr or io.StringIO()  # sys.stderr is None when fd 2 was closed
    out = Output(stdout if stdout is not None else (sys.stdout.buffer if sys.stdout is not None else None))
    debug = bool(os.environ.get(DEBUG_ENV))
    try:
        with signals.handled():
            return _main(argv, stdin, out, err)
    except signals.Stopped as stop:
        err.write(f"{PROG}: stopped by {stop}\n")
        return stop.exit_code
    except KeyboardInterrupt:  # signals.handled could not take SIGINT (not the main thread)
        err.write(f"{PROG}: stopped by SIGINT\n")
        return 130
    except FnError as error:
        _traceback(debug, err)
        err.write(f"{PROG}: error: {one_line(str(error))}\n")
        return error.exit_code


def _main(argv: Sequence[str] | None, stdin: IO[bytes] | None, out: Output, err: IO[str]) -> int:
    try:
        options = parse(sys.argv[1:] if argv is None else list(argv), out, err)  # type: ignore[arg-type]
    except SystemExit as exit_:
        return int(exit_.code or 0)
    debug = options.debug or bool(os.environ.get(DEBUG_ENV))
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    collecting = gc.isenabled()
    gc.disable()  # one run builds one large tree and frees it at exit: no cycles to find, only rescans (issue 11)
    try:
        source = stdin or (sys.stdin.buffer if sys.stdin is not None else io.BytesIO())  # fd 0 closed: no input
        return _run(options._replace(debug=debug), source, out, err)  # type: ignore[arg-type]
    except FnError as error:
        _traceback(debug, err)
        err.write(f"{PROG}: error: {one_line(str(error))}\n")
        return error.exit_code
    except Exception as error:  # noqa: BLE001 - one line, not a traceback, unless --debug
        _traceback(debug, err)
        line = one_line(f"{type(error).__name__}: {error}")
        err.write(f"{PROG}: internal error: {line} (run with --debug for a traceback)\n")
        return 1
    finally:
        if collecting:
            gc.enable()


def _run(options: Options, stdin: IO[bytes], out: IO[bytes], err: IO[str]) -> int:
    from .modes import Modes

    if options.in_place and not options.files:  # else it would print and leave the user thinking a file changed
        raise UsageError("--in-place rewrites files: give it PATHs (stdin has no file to write back to)")
    modes: Modes | None = None
    try:
        modes = Modes(options, stdin, out, err, os.environ)
        return modes.files() if options.files else modes.stdin()
    except FnError as error:
        if options.results and not isinstance(error, UsageError) and not (modes and modes.results_written):
            _results_of_failure(options, error, err)
        raise


def _results_of_failure(options: Options, error: FnError, err: IO[str]) -> None:
    """--results FILE holds this run's error, not an earlier run's results; a file that
    cannot be written is one more line (the run's own error stays the one reported)."""
    from .results_file import write_failure

    try:
        write_failure(options, error)
    except FnError as failed:
        err.write(f"{PROG}: error: {one_line(str(failed))}\n")


def _traceback(debug: bool, err: IO[str]) -> None:
    if debug:
        import traceback

        traceback.print_exc(file=err)
