"""The command line, parsed into a frozen, typed ``Options``.

kpt and kustomize run the function with no arguments; then argparse is not even
imported (a cold-start cost), and the defaults are built directly.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Literal, NamedTuple

from .. import __version__
from ..errors import UsageError
from ..yamltext.source import DEFAULT_MAX_BYTES, parse_size

if TYPE_CHECKING:
    import argparse

PROG = "fix-kserve-probes"
MAX_INPUT_ENV = "FIX_KSERVE_PROBES_MAX_INPUT_BYTES"
DEBUG_ENV = "FIX_KSERVE_PROBES_DEBUG"
DESCRIPTION = """\
Rewrite the exec/grpc readinessProbes that KServe's agent sidecar would copy (and cannot
run) in Standard/RawDeployment InferenceServices and their ServingRuntimes, into httpGet
on the server's health endpoint or tcpSocket, keeping everything else byte for byte.

Reads a KRM ResourceList (kpt, kustomize) or a plain YAML/JSON stream on stdin and
writes the same form to stdout; or rewrites files given as PATHs.
Exit codes: 0 ok; 1 error results, invalid input or config, or --check found changes;
2 bad command line."""


class Options(NamedTuple):
    paths: tuple[str, ...] = ()
    config: str | None = None
    in_place: bool = False
    check: bool = False
    verbose: bool = False
    debug: bool = False
    max_input_bytes: int | None = None
    context: tuple[str, ...] = ()
    sets: tuple[tuple[str, str], ...] = ()  # --set KEY=VALUE, in order
    diff: bool = False
    quiet: bool = False
    results: str | None = None  # --results FILE
    results_format: str | None = None  # --format; None: from FILE's name (.sarif), else json

    @property
    def files(self) -> bool:
        """PATHs were given (``-`` alone means stdin)."""
        return bool(self.paths) and self.paths != ("-",)


def parse(argv: Sequence[str], out: IO[bytes], err: IO[str]) -> Options:
    """Options from ``argv``; argparse's exits (--help, --version, errors) propagate."""
    if not argv:
        return Options()
    wants_help = any(a in ("-h", "--help") for a in argv)
    ns = _wrap(parser(settings_help=wants_help), out, err).parse_args(list(argv))
    return Options(tuple(ns.paths), ns.config, ns.in_place, ns.check, ns.verbose, ns.debug, ns.max_input_bytes,
                   tuple(ns.context), tuple(ns.set), ns.diff, ns.quiet, ns.results, ns.format)


def parser(settings_help: bool = False) -> argparse.ArgumentParser:
    """The parser; ``settings_help`` lists every --set key (it imports the schema, so only for --help)."""
    import argparse

    epilog = settings_epilog() if settings_help else None
    p = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION, epilog=epilog,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (*.yaml, *.yml, *.json); - for stdin")
    p.add_argument("--config", metavar="FILE", help="a FixKServeProbes or ConfigMap function config")
    p.add_argument("--context", metavar="PATH", action="append", default=[],
                   help="read-only resources to decide with, never written or printed (runtimes, "
                        "inferenceservice-config, a cluster export): a file, a directory, or - for stdin; repeatable")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--in-place", "-i", action="store_true", help="rewrite the files (all or none)")
    how.add_argument("--check", action="store_true", help="change nothing; exit 1 when something would change")
    how.add_argument("--diff", action="store_true",
                     help="change nothing; print a unified diff of what would change, exit 1 when there is one")
    p.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], type=_setting,
                   help="a setting, with the ConfigMap form's keys (listed below); repeatable, over --config")
    p.add_argument("--results", metavar="FILE",
                   help="also write every result to FILE, for CI (GitHub code scanning, GitLab): see --format")
    p.add_argument("--format", choices=("json", "sarif"),
                   help="of --results: json (the default) or sarif (SARIF 2.1.0; the default for a FILE named *.sarif)")
    talk = p.add_mutually_exclusive_group()
    talk.add_argument("--verbose", "-v", action="store_true", help="also print info results on stderr")
    talk.add_argument("--quiet", "-q", action="store_true",
                      help="no summary line and no info lines on stderr (warnings and errors stay)")
    p.add_argument("--debug", action="store_true", help="show fallbacks and tracebacks on stderr")
    p.add_argument("--max-input-bytes", type=_size, metavar="SIZE",
                   help=f"refuse a larger stdin or file: bytes, or with Ki/Mi/Gi (default {DEFAULT_MAX_BYTES // 2**20}Mi;"
                        f" env {MAX_INPUT_ENV})")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def _wrap(p: argparse.ArgumentParser, out: IO[bytes], err: IO[str]) -> argparse.ArgumentParser:
    """Send argparse's help to our stdout (bytes) and its errors to our stderr."""

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


def _setting(text: str) -> tuple[str, str]:
    import argparse

    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value


def settings_epilog() -> str:
    """Every --set key with what it takes and its default, from the config schema."""
    from ..krm.schema import settings_table

    lines = ["settings (--set KEY=VALUE, or the same keys in a ConfigMap's data):"]
    lines.extend(f"  {key:<26} {values}; default {default}" for key, values, default in settings_table())
    return "\n".join(lines)


def _size(text: str) -> int:
    import argparse

    try:
        return parse_size(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def results_format(options: Options) -> Literal["json", "sarif"]:
    """--format, else sarif for a FILE named ``*.sarif`` (or ``*.sarif.json``), else json."""
    if options.results_format and not options.results:
        raise UsageError("--format is the format of --results FILE: give --results too")
    if options.results == "-":
        raise UsageError("--results -: stdout carries the output; give a file name")
    if options.results_format in ("json", "sarif"):
        return "sarif" if options.results_format == "sarif" else "json"
    name = (options.results or "").lower()
    return "sarif" if name.endswith((".sarif", ".sarif.json")) else "json"


def input_limit(options: Options, environ: Mapping[str, str]) -> int:
    """--max-input-bytes, else the environment, else the default."""
    if options.max_input_bytes is not None:
        return options.max_input_bytes
    raw = environ.get(MAX_INPUT_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        return parse_size(raw)
    except ValueError as err:
        raise UsageError(f"{MAX_INPUT_ENV}: {err}") from None
