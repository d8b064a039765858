"""The command line: ResourceList or YAML stream on stdin, or files."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import IO, TYPE_CHECKING, Any

from . import __version__
from .errors import ConfigError, FnError, InputError, UsageError, one_line
from .source import DEFAULT_MAX_BYTES, parse_size

PROG = "fix-kserve-probes"
DESCRIPTION = """\
Rewrite the exec/grpc readinessProbes that KServe's agent sidecar would copy (and cannot
run) in Standard/RawDeployment InferenceServices and their ServingRuntimes, into httpGet
on the server's health endpoint or tcpSocket, keeping everything else byte for byte.

Reads a KRM ResourceList (kpt, kustomize) or a plain YAML/JSON stream on stdin and
writes the same form to stdout; or rewrites files given as PATHs.
Exit codes: 0 ok; 1 error results, invalid input or config, or --check found changes;
2 bad command line."""
if TYPE_CHECKING:
    import argparse

MAX_INPUT_ENV = "FIX_KSERVE_PROBES_MAX_INPUT_BYTES"
# The scanner stops input at 256 levels of nesting; ruamel's round-trip loader (the
# fallback applier) spends 4 frames a level, more than Python's default 1000 allow.
RECURSION_LIMIT = 10_000


def parser() -> argparse.ArgumentParser:
    import argparse

    p = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (*.yaml, *.yml, *.json); - for stdin")
    p.add_argument("--config", metavar="FILE", help="a FixKServeProbes or ConfigMap function config")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--in-place", "-i", action="store_true", help="rewrite the files (all or none)")
    how.add_argument("--check", action="store_true", help="change nothing; exit 1 when something would change")
    p.add_argument("--verbose", "-v", action="store_true", help="also print info results on stderr")
    p.add_argument("--debug", action="store_true", help="show fallbacks and tracebacks on stderr")
    p.add_argument("--max-input-bytes", type=_size, metavar="SIZE",
                   help=f"refuse a larger stdin or file: bytes, or with Ki/Mi/Gi (default {DEFAULT_MAX_BYTES // 2**20}Mi;"
                        f" env {MAX_INPUT_ENV})")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def main(argv: Sequence[str] | None = None, stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None,
         stderr: IO[str] | None = None) -> int:
    err = stderr or sys.stderr
    debug = bool(os.environ.get("FIX_KSERVE_PROBES_DEBUG"))
    out = stdout or sys.stdout.buffer
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        # kpt and kustomize run the function with no arguments: skip argparse's import then.
        args = _Parser.wrap(parser(), out, err).parse_args(argv) if argv else _defaults()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    debug = debug or args.debug
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    try:
        from .modes import Modes

        files = bool(args.paths) and args.paths != ["-"]
        if args.in_place and not files:  # else it would print and leave the user thinking a file changed
            raise UsageError("--in-place rewrites files: give it PATHs (stdin has no file to write back to)")
        modes = Modes(args, stdin or sys.stdin.buffer, out, err, debug)
        return modes.files() if files else modes.stdin()
    except FnError as error:
        if debug:
            import traceback

            traceback.print_exc(file=err)
        err.write(f"{PROG}: error: {one_line(str(error))}\n")
        return error.exit_code
    except Exception as error:  # noqa: BLE001 - one line, not a traceback, unless --debug
        if debug:
            import traceback

            traceback.print_exc(file=err)
        line = one_line(f"{type(error).__name__}: {error}")
        err.write(f"{PROG}: internal error: {line} (run with --debug for a traceback)\n")
        return 1


def _defaults() -> Any:
    """What parse_args([]) gives, without argparse."""
    return SimpleNamespace(paths=[], config=None, in_place=False, check=False, verbose=False, debug=False,
                           max_input_bytes=None)


class _Parser:
    """Send argparse's help to our stdout (bytes) and its errors to our stderr."""

    @staticmethod
    def wrap(p: argparse.ArgumentParser, out: IO[bytes], err: IO[str]) -> argparse.ArgumentParser:
        def print_message(message: str, file: IO[str] | None = None) -> None:
            if not message:
                return
            if file is None or file is sys.stdout:
                out.write(message.encode("utf-8"))
                out.flush()
            else:
                err.write(message)

        p._print_message = print_message  # type: ignore[method-assign,assignment]
        return p


def _size(text: str) -> int:
    import argparse

    try:
        return parse_size(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def input_limit(args: Any) -> int:
    """--max-input-bytes, else the environment, else the default."""
    if args.max_input_bytes is not None:
        return int(args.max_input_bytes)
    raw = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        return parse_size(raw)
    except ValueError as err:
        raise UsageError(f"{MAX_INPUT_ENV}: {err}") from None


def load_config_file(path: str, limit: int) -> Any:
    """The one mapping in a --config file, read under the same size cap as any input."""
    from pathlib import Path

    from .fileio import read_bytes
    from .source import decode
    from .yamlscan import YMap, scan

    if not Path(path).is_file():
        raise UsageError(f"--config {path}: no such file" if not Path(path).exists() else f"--config {path}: not a file")
    text = decode(read_bytes(Path(path), limit), limit, what=f"config {path}")
    try:
        docs = [d.root for d in scan(text.body).docs if d.root is not None]
    except InputError as err:  # say which file: the input has positions of its own
        raise type(err)(f"--config {path}: {err.message}", line=err.line, column=err.column) from err
    if len(docs) != 1:
        raise ConfigError(f"--config {path}: expected one YAML document, found {len(docs)}")
    if not isinstance(docs[0], YMap):
        kind = "a list" if isinstance(docs[0], list) else f"a {type(docs[0]).__name__} scalar"
        raise ConfigError(f"--config {path}: expected a mapping (a FixKServeProbes or ConfigMap), found {kind}")
    return docs[0]
