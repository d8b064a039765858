"""Guards for tests of code that could hang (an exponential regular expression never ends)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fails_after(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in the block once it has run ``seconds`` (SIGALRM: the main thread only)."""
    def stop(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
