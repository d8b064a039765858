"""The two ways to run: one input on stdin, or files. Only the cli package does IO."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING

from .. import engine
from ..errors import FnError, from_text_error, one_line
from ..yamltext.errors import TextError
from ..yamltext.source import BOM, Text, decode
from .options import PROG, Options, input_limit

if TYPE_CHECKING:
    from pathlib import Path

    from ..krm.function_config import FunctionConfig

_TRUE = ("1", "true", "yes", "on")
_DIRECTIVES = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*%")
# A line that holds no YAML content: blank, a comment, a document marker or a directive.
_NOTHING = re.compile(r"[ \t\r]*(?:#.*)?\Z|(?:---|\.\.\.)(?:[ \t]+#.*)?[ \t\r]*\Z|%.*\Z")


class Modes:
    def __init__(self, options: Options, stdin: IO[bytes], stdout: IO[bytes], stderr: IO[str],
                 environ: Mapping[str, str]) -> None:
        self.options, self.stdin_stream, self.out, self.err = options, stdin, stdout, stderr
        self.loud_results = environ.get("LOG_TO_STDERR", "").lower() in _TRUE
        self.limit = input_limit(options, environ)
        self.config: FunctionConfig | None = None
        if options.config:  # validated once here, not once per file
            from .config_file import load_config_file

            self.config = load_config_file(options.config, self.limit)

    def say(self, message: str) -> None:
        self.err.write(f"{PROG}: {one_line(message)}\n")

    def log(self, message: str) -> None:
        if self.options.debug:
            self.say(f"debug: {message}")

    def stdin(self) -> int:
        text = _decode(self.stdin_stream.read(self.limit + 1), self.limit)
        outcome = engine.run(text, config=self.config, log=self.log)
        if not self.options.check:
            # One write of the whole output: a reader never sees part of a ResourceList.
            self.out.write(text.encode(outcome.output))
            self.out.flush()
        self.report(outcome)
        if self.options.check and outcome.changed:
            self.say("stdin would change")
            return 1
        return 1 if outcome.failed else 0

    def files(self) -> int:
        """Every file is read and run before anything is written or printed: all or nothing."""
        from . import fileio  # files mode only: it brings tempfile, shutil, pathlib

        changed: dict[Path, bytes] = {}
        outputs: list[tuple[bool, str]] = []  # (BOM?, text) per file, for printing
        failed = unreadable = False
        for path in fileio.expand(self.options.paths):
            try:
                data = fileio.read_bytes(path, self.limit)
                if not data.removeprefix(BOM.encode()).strip():
                    continue  # an empty file holds no resources: nothing to do
                text = _decode(data, self.limit, what="file")
                if holds_nothing(text.body):
                    continue  # only comments or document markers: nothing to do either
                outcome = engine.run(text, config=self.config, origin=str(path), log=self.log)
            except FnError as error:
                self.say(f"error: {path}: {error}")
                failed = unreadable = True
                continue
            self.report(outcome)
            failed = failed or outcome.failed
            result = text.encode(outcome.output)
            outputs.append((text.bom, outcome.output))
            if result != data:
                changed[path] = result
        return self.finish(changed, outputs, failed, unreadable)

    def finish(self, changed: dict[Path, bytes], outputs: list[tuple[bool, str]], failed: bool,
               unreadable: bool) -> int:
        from . import fileio

        if self.options.check:
            for path in changed:
                self.say(f"{path} would change")
            return 1 if changed or failed else 0
        if self.options.in_place:
            if failed:
                self.say("no file was written because of the errors above")
                return 1
            fileio.write_all(changed)
            return 0
        if unreadable:  # a stream with a file missing from it would pass for the whole
            return 1
        self.out.write(stream(outputs))
        self.out.flush()
        return 1 if failed else 0

    def report(self, outcome: engine.Outcome) -> None:
        if outcome.fatal:
            if self.options.debug:
                import traceback

                traceback.print_exception(outcome.fatal, file=self.err)
            self.say(f"error: {outcome.fatal}")
            return
        if outcome.form == "resourcelist":
            show = {"error", "warning"} if self.loud_results or outcome.under_kustomize else set()
        else:
            show = {"error", "warning"}
        if self.options.verbose or (self.options.check and outcome.form != "resourcelist"):
            show.add("info")
        for result in outcome.results:
            if result.severity in show:
                self.say(result.line())


def _decode(data: bytes, limit: int, what: str = "input") -> Text:
    try:
        return decode(data, limit, what=what)
    except TextError as err:
        raise from_text_error(err) from err


def stream(outputs: list[tuple[bool, str]]) -> bytes:
    """The files' outputs as one YAML stream: a BOM only at its start, and ``...`` instead
    of ``---`` before a file that opens with directives (``%YAML``), which ``---`` ends."""
    chunks = []
    for n, (_, body) in enumerate(outputs):
        if n:
            chunks.append("...\n" if _DIRECTIVES.match(body) else "---\n")
        chunks.append(body if body.endswith("\n") else body + "\n")
    bom = BOM if outputs and outputs[0][0] else ""
    return (bom + "".join(chunks)).encode("utf-8")


def holds_nothing(body: str) -> bool:
    """True when no line of ``body`` holds YAML content (so it has no documents).

    Stops at the first line with content, which in a manifest is near the top.
    """
    pos = 0
    while pos <= len(body):
        end = body.find("\n", pos)
        end = len(body) if end < 0 else end
        if not _NOTHING.match(body, pos, end):
            return False
        pos = end + 1
    return True
