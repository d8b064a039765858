"""The command line: ResourceList or YAML stream on stdin, or files."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from . import __version__
from .errors import FnError, UsageError
from .source import DEFAULT_MAX_BYTES

PROG = "fix-kserve-probes"
DESCRIPTION = """\
Rewrite the exec/grpc readinessProbes that KServe's agent sidecar would copy (and cannot
run) in Standard/RawDeployment InferenceServices and their ServingRuntimes, into httpGet
on the server's health endpoint or tcpSocket, keeping everything else byte for byte.

Reads a KRM ResourceList (kpt, kustomize) or a plain YAML/JSON stream on stdin and
writes the same form to stdout; or rewrites files given as PATHs.
Exit codes: 0 ok; 1 error results, invalid input or config, or --check found changes;
2 bad command line."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (*.yaml, *.yml, *.json); - for stdin")
    p.add_argument("--config", metavar="FILE", help="a FixKServeProbes or ConfigMap function config")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--in-place", "-i", action="store_true", help="rewrite the files (all or none)")
    how.add_argument("--check", action="store_true", help="change nothing; exit 1 when something would change")
    p.add_argument("--verbose", "-v", action="store_true", help="also print info results on stderr")
    p.add_argument("--debug", action="store_true", help="show fallbacks and tracebacks on stderr")
    p.add_argument("--max-input-bytes", type=int, metavar="N",
                   default=int(os.environ.get("FIX_KSERVE_PROBES_MAX_INPUT_BYTES", DEFAULT_MAX_BYTES)),
                   help=f"refuse larger input (default {DEFAULT_MAX_BYTES}; env FIX_KSERVE_PROBES_MAX_INPUT_BYTES)")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def main(argv: Sequence[str] | None = None, stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None,
         stderr: IO[str] | None = None) -> int:
    err = stderr or sys.stderr
    debug = bool(os.environ.get("FIX_KSERVE_PROBES_DEBUG"))
    out = stdout or sys.stdout.buffer
    try:
        args = _Parser.wrap(parser(), out, err).parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    debug = debug or args.debug
    from .modes import Modes

    modes = Modes(args, stdin or sys.stdin.buffer, out, err, debug)
    try:
        return modes.files() if args.paths and args.paths != ["-"] else modes.stdin()
    except FnError as error:
        if debug:
            import traceback

            traceback.print_exc(file=err)
        err.write(f"{PROG}: error: {error}\n")
        return error.exit_code
    except Exception as error:  # noqa: BLE001 - one line, not a traceback, unless --debug
        if debug:
            import traceback

            traceback.print_exc(file=err)
        err.write(f"{PROG}: internal error: {type(error).__name__}: {error} (run with --debug for a traceback)\n")
        return 1


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


def _usage(message: str) -> Any:
    raise UsageError(message)


def load_config_file(path: str, limit: int) -> Any:
    from .source import decode
    from .yamlscan import scan

    data = Path(path).read_bytes() if Path(path).is_file() else _usage(f"--config {path}: no such file")
    docs = [d.root for d in scan(decode(data, limit, what=f"config {path}").body).docs if d.root is not None]
    if len(docs) != 1:
        raise UsageError(f"--config {path}: expected one YAML document, found {len(docs)}")
    return docs[0]
