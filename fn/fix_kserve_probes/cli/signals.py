"""Signals: SIGTERM, SIGINT and SIGHUP become one exception, so that every ``finally`` and
``except BaseException`` on the way out runs (temporary files removed, replaced files
put back); the entry point then prints one line and exits 128 + the signal's number.

CI cancellations and Argo CD timeouts send SIGTERM, a closed terminal SIGHUP, ^C SIGINT.
After the first signal the others are ignored, so the clean-up itself is not cut short.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

HANDLED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Stopped(BaseException):
    """A signal arrived; raised where the program was, caught by the entry point."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


_pending: list[int] = []  # signals that arrived while ``deferred`` held them
_depth = [0]


def _handler(signum: int, frame: FrameType | None) -> None:
    for sig in HANDLED:  # one stop is enough: let the clean-up finish
        signal.signal(sig, signal.SIG_IGN)
    if _depth[0]:
        _pending.append(signum)
        return
    raise Stopped(signum)


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """Turn the signals into ``Stopped`` for the duration (main thread only)."""
    try:
        previous = {sig: signal.signal(sig, _handler) for sig in HANDLED}
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        _pending.clear()


def done() -> None:
    """The run's output is written: a signal from here on is ignored, as the run it
    would stop is over (its summary, printed next, is true). ``handled`` restores the
    handlers on its way out."""
    if signal.getsignal(signal.SIGTERM) is not _handler:
        return  # not ours to change (another thread's run, or outside ``handled``)
    for sig in HANDLED:
        signal.signal(sig, signal.SIG_IGN)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold a signal until the block is done (a rename and its bookkeeping, for instance)."""
    _depth[0] += 1
    try:
        yield
    finally:
        _depth[0] -= 1
    if not _depth[0] and _pending:
        raise Stopped(_pending.pop(0))
