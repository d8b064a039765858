"""The two ways to run: one input on stdin, or files. Only this module and cli do IO."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import IO, Any

from . import engine, fileio
from .cli import PROG, load_config_file
from .errors import FnError, InputError
from .source import decode

_TRUE = ("1", "true", "yes", "on")


class Modes:
    def __init__(self, args: argparse.Namespace, stdin: IO[bytes], stdout: IO[bytes], stderr: IO[str], debug: bool) -> None:
        self.args, self.stdin_stream, self.out, self.err, self.debug = args, stdin, stdout, stderr, debug
        self.limit: int = args.max_input_bytes
        self.config: Any = load_config_file(args.config, self.limit) if args.config else None

    def log(self, message: str) -> None:
        if self.debug:
            self.err.write(f"{PROG}: debug: {message}\n")

    def stdin(self) -> int:
        text = decode(self.stdin_stream.read(self.limit + 1), self.limit)
        outcome = engine.run(text, config=self.config, log=self.log)
        if not self.args.check:
            self.out.write(text.encode(outcome.output))
            self.out.flush()
        self.report(outcome)
        if self.args.check and outcome.changed:
            self.err.write(f"{PROG}: stdin would change\n")
            return 1
        return 1 if outcome.failed else 0

    def files(self) -> int:
        changed: dict[Path, bytes] = {}
        outputs: list[bytes] = []
        failed = False
        for path in fileio.expand(self.args.paths):
            data = fileio.read_bytes(path, self.limit)
            if not data.strip():
                continue  # an empty file holds no resources: nothing to do
            try:
                text = decode(data, self.limit, what=str(path))
                outcome = engine.run(text, config=self.config, origin=str(path), log=self.log)
            except FnError as error:
                self.err.write(f"{PROG}: error: {path}: {error}\n")
                failed = True
                continue
            self.report(outcome)
            failed = failed or outcome.failed
            result = text.encode(outcome.output)
            outputs.append(result)
            if result != data:
                changed[path] = result
        if self.args.check:
            for path in changed:
                self.err.write(f"{PROG}: {path} would change\n")
            return 1 if changed or failed else 0
        if self.args.in_place:
            if failed:
                self.err.write(f"{PROG}: no file was written because of the errors above\n")
                return 1
            fileio.write_all(changed)
            return 0
        self.out.write(b"---\n".join(o if o.endswith(b"\n") else o + b"\n" for o in outputs))
        self.out.flush()
        return 1 if failed else 0

    def report(self, outcome: engine.Outcome) -> None:
        if outcome.fatal:
            self.err.write(f"{PROG}: error: {outcome.fatal}\n")
            return
        if outcome.form == "resourcelist":
            loud = os.environ.get("LOG_TO_STDERR", "").lower() in _TRUE or outcome.under_kustomize
            show = {"error", "warning"} if loud else set()
        else:
            show = {"error", "warning"}
        if self.args.verbose or (self.args.check and outcome.form != "resourcelist"):
            show.add("info")
        for result in outcome.results:
            if result.severity in show:
                self.err.write(f"{PROG}: {result.line()}\n")


__all__ = ["Modes", "InputError"]
