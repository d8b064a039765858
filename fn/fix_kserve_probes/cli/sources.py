"""Read files into the engine's sources: the PATHs to fix and the read-only context.

Files mode plans every PATH as one package, so everything is read before anything is
planned; context (``--context``, or a config's ``context`` list) is read the same way
and never written back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from ..engine import Source
from ..errors import FnError, UsageError, from_text_error
from ..yamltext.errors import TextError
from ..yamltext.source import BOM, Text, decode

if TYPE_CHECKING:
    from pathlib import Path

STDIN_CONTEXT = "stdin (context)"  # the origin of context read from stdin, as messages name it
# A line that holds no YAML content: blank, a comment, a document marker or a directive.
_NOTHING = re.compile(r"[ \t\r]*(?:#.*)?\Z|(?:---|\.\.\.)(?:[ \t]+#.*)?[ \t\r]*\Z|%.*\Z")


def decode_text(data: bytes, limit: int, what: str = "input") -> Text:
    try:
        return decode(data, limit, what=what)
    except TextError as err:
        raise from_text_error(err) from err


def read_files(paths: Sequence[str], limit: int) -> tuple[list[tuple[Path, bytes, Source]], list[FnError]]:
    """(path, bytes, source) of each file that holds something, and the error of each file
    that cannot be read or decoded (its message starts with the path; ``origin`` is it)."""
    found: list[tuple[Path, bytes, Source]] = []
    failed: list[FnError] = []
    if not paths:
        return found, failed  # stdin mode without --context: no file IO to import (start-up time)
    from . import fileio

    for path in fileio.expand(paths):
        try:
            data = fileio.read_bytes(path, limit)
            if not data.removeprefix(BOM.encode()).strip():
                continue  # an empty file holds no resources: nothing to do
            text = decode_text(data, limit, what="file")
        except FnError as error:
            failed.append(type(error)(f"{path}: {error.message}", line=error.line, column=error.column,
                                      origin=str(path)))
            continue
        if not holds_nothing(text.body):  # only comments or document markers: nothing to do either
            found.append((path, data, Source(text, str(path))))
    return found, failed


def read_context(paths: Sequence[str], stdin: IO[bytes], limit: int, *, inputs: Sequence[Path] = ()) -> list[Source]:
    """The context's sources; ``-`` is stdin. Relative paths are from the directory the
    function runs in: kpt runs an exec function in kpt's own working directory, not the
    package's. A file that is also an input (``--context .`` with the staged files) is
    read once, as input."""
    sources: list[Source] = []
    files = [p for p in paths if p != "-"]
    if "-" in paths:
        text = decode_text(stdin.read(limit + 1), limit)
        sources.append(Source(text, STDIN_CONTEXT))
    found, failed = read_files(files, limit)
    if failed:
        raise UsageError(f"context: {failed[0]}")
    given = {p.resolve() for p in inputs}
    sources.extend(source for path, _, source in found if path.resolve() not in given)
    return sources


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
