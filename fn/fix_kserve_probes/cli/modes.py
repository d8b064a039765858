"""The two ways to run: one input on stdin, or files. Only the cli package does IO."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING

from .. import engine
from ..engine import Source
from ..errors import FnError, InputError, InputErrors, UsageError, one_line
from ..yamltext.source import BOM
from . import signals
from .options import PROG, Options, input_limit, results_format
from .sources import decode_text, read_context, read_files

if TYPE_CHECKING:
    from pathlib import Path

    from ..krm.function_config import FunctionConfig

_TRUE = ("1", "true", "yes", "on")
_DIRECTIVES = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*%")


class Modes:
    def __init__(self, options: Options, stdin: IO[bytes], stdout: IO[bytes], stderr: IO[str],
                 environ: Mapping[str, str]) -> None:
        self.options, self.stdin_stream, self.out, self.err = options, stdin, stdout, stderr
        self.loud_results = environ.get("LOG_TO_STDERR", "").lower() in _TRUE
        self.limit = input_limit(options, environ)
        self.config: FunctionConfig | None = None
        self.outcome: engine.Outcome | None = None  # files mode: the plan, once made
        self.sources: list[Source] = []  # the texts planned: stdin, or the files
        self.unread: list[FnError] = []  # files mode: the files that could not be read or parsed
        self.results_written = False  # --results: written for this run (else an error ends it)
        if options.results or options.results_format:
            results_format(options)  # a usage error before any work
        if options.config or options.sets:  # validated once here, not once per file
            from .config_file import load_config

            self.config = load_config(options.config, options.sets, self.limit)

    def say(self, message: str) -> None:
        self.err.write(f"{PROG}: {one_line(message)}\n")

    def log(self, message: str) -> None:
        if self.options.debug:
            self.say(f"debug: {message}")

    def read_context(self, paths: Sequence[str]) -> list[Source]:
        """A config's ``context`` list (files or directories; ``-`` is stdin when PATHs are the input)."""
        if "-" in paths and not self.options.files:
            raise UsageError("context -: stdin is the input here")
        return read_context(paths, self.stdin_stream, self.limit)

    def context(self, inputs: Sequence[Path] = ()) -> list[Source]:
        """--context: files, directories, or ``-`` for stdin (then the input is files)."""
        return read_context(self.options.context, self.stdin_stream, self.limit, inputs=inputs)

    def stdin(self) -> int:
        if "-" in self.options.context:
            raise UsageError("--context -: stdin is the input here; give PATHs to read stdin as context")
        context = self.context()
        text = decode_text(self.stdin_stream.read(self.limit + 1), self.limit)
        self.sources = [engine.Source(text)]
        outcome = engine.run_package(self.sources, context=context, config=self.config, log=self.log,
                                     read_context=self.read_context)
        self.write_results(outcome, self.would(outcome))
        if self.options.diff:
            self.report(outcome)
            changed = self.write_diff([("stdin", text.body, outcome.output)])
            signals.done()
            self.summarize(outcome)
            return 1 if changed or outcome.failed else 0
        if not self.options.check:
            # The input goes before the output's bytes exist (the peak memory of a big run).
            encode, self.sources = text._replace(body="").encode, []
            del text
            # One write of the whole output: a reader never sees part of a ResourceList.
            self.out.write(encode(outcome.output))
            self.out.flush()
        signals.done()
        self.report(outcome)
        if self.options.check and outcome.changed:
            self.say("stdin would change")
        self.summarize(outcome)
        return 1 if outcome.failed or (self.options.check and outcome.changed) else 0

    def files(self) -> int:
        """Every file is read, then all are planned as one package, before anything is
        written or printed: all or nothing."""
        found, self.unread = read_files(self.options.paths, self.limit)
        for error in self.unread:
            self.say(f"error: {error}")
        unreadable = bool(self.unread)
        context = self.context([path for path, _, _ in found])
        self.sources = [source for _, _, source in found]
        changed: dict[Path, bytes] = {}
        outputs: list[tuple[bool, str]] = []  # (BOM?, text) per file, for printing
        if not found:
            return self.finish(changed, outputs, unreadable, unreadable)
        try:
            outcome = engine.run_package(self.sources, context=context, config=self.config,
                                         log=self.log, read_context=self.read_context)
        except InputError as error:  # files that cannot be read as YAML: nothing is planned
            every = error.errors if isinstance(error, InputErrors) else [error]
            for one in every:
                self.say(f"error: {one}")
            self.unread.extend(every)
            return self.finish({}, [], True, True)
        self.report(outcome)
        self.outcome = outcome
        diffs: list[tuple[str, str, str]] = []  # (name, old text, new text) of each changed file
        for (path, data, source), output in zip(found, outcome.outputs, strict=True):
            result = source.text.encode(output)
            outputs.append((source.text.bom, output))
            if result != data:
                changed[path] = result
                diffs.append((str(path), source.text.body, output))
        return self.finish(changed, outputs, unreadable or outcome.failed, unreadable, diffs)

    def finish(self, changed: dict[Path, bytes], outputs: list[tuple[bool, str]], failed: bool,
               unreadable: bool, diffs: Sequence[tuple[str, str, str]] = ()) -> int:
        from . import fileio

        stopped = False  # nothing written because of errors: the results say what would have been
        if self.options.check or self.options.diff:
            if self.options.check:
                for path in changed:
                    self.say(f"{path} would change")
            else:
                self.write_diff(diffs)
            code = 1 if changed or failed else 0
        elif self.options.in_place and failed:
            self.write_results(self.outcome, would=True)
            self.say("no file was written because of the errors above")
            return 1
        elif self.options.in_place:
            fileio.write_all(changed)
            code = 0
        elif unreadable:  # a stream with a file missing from it would pass for the whole
            stopped, code = True, 1
        else:
            self.out.write(stream(outputs))
            self.out.flush()
            code = 1 if failed else 0
        signals.done()
        self.write_results(self.outcome, would=stopped or self.would(self.outcome))
        if not stopped:
            self.summarize(self.outcome)
        return code

    def write_diff(self, texts: Sequence[tuple[str, str, str]]) -> bool:
        """A unified diff per (name, old, new) that differs, on stdout; True when any does."""
        import difflib

        chunks = ["".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                               *_labels(name))) for name, old, new in texts if old != new]
        self.out.write("".join(chunk if chunk.endswith("\n") else chunk + "\n" for chunk in chunks).encode("utf-8"))
        self.out.flush()
        return bool(chunks)

    def summarize(self, outcome: engine.Outcome | None) -> None:
        """The run's one-line summary, last on stderr; under kpt it is an info result instead."""
        if outcome is None or outcome.summary is None or self.options.quiet:
            return
        if outcome.form == "resourcelist" and not outcome.under_kustomize:
            return
        self.say(outcome.summary.text(would=self.would(outcome)))

    def would(self, outcome: engine.Outcome | None) -> bool:
        """Nothing is changed, so the summary says what would be."""
        validate = outcome is not None and outcome.config.settings.mode == "validate"
        return self.options.check or self.options.diff or validate

    def write_results(self, outcome: engine.Outcome | None, would: bool) -> None:
        """--results FILE: the outcome's results, located in this run's sources, and the unread files."""
        self.results_written = True  # tried: a failure to write is not tried again
        if self.options.results:
            from . import results_file

            results_file.write(self.options, outcome, self.sources, self.unread, would)

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
        if self.options.verbose or (self.options.check and outcome.form != "resourcelist" and not self.options.quiet):
            show.add("info")
        for result in outcome.results:
            if result.severity in show:
                self.say(result.line())


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


def _labels(name: str) -> tuple[str, str]:
    """git's a/ and b/ prefixes for a relative path; an absolute one as it is."""
    return (name, name) if name.startswith("/") else (f"a/{name}", f"b/{name}")
