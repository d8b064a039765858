"""stdout that fails with one clear line: a closed stdout, a full disk (``/dev/full``) or a
reader that went away (a broken pipe) is an ``OutputError``, never a traceback."""

from __future__ import annotations

import contextlib
import io
import os
from typing import IO, Any

from ..errors import FnError


class OutputError(FnError):
    """stdout cannot take the output."""


class Output(io.BufferedIOBase):
    """Bytes to ``raw`` (None: stdout is closed); an ``OSError`` becomes an ``OutputError``."""

    def __init__(self, raw: IO[bytes] | None) -> None:
        super().__init__()
        self.raw_stream = raw

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.raw_stream is None:
            raise OutputError("cannot write the output: stdout is closed")
        try:
            return self.raw_stream.write(data)
        except OSError as err:
            raise self._failed(err) from None

    def flush(self) -> None:
        if self.raw_stream is None:
            return
        try:
            self.raw_stream.flush()
        except OSError as err:
            raise self._failed(err) from None

    def _failed(self, err: OSError) -> OutputError:
        """Point the failed descriptor at /dev/null, so that Python's own flush at exit does
        not print "Exception ignored" about the bytes it still holds."""
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation, AttributeError):
            fd = self.raw_stream.fileno()  # type: ignore[union-attr]
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)
        reason = "the reader closed the pipe" if isinstance(err, BrokenPipeError) else err.strerror or str(err)
        return OutputError(f"cannot write the output to stdout: {reason}")
