"""The command line: the only code that touches stdin, stdout, stderr, files, signals
and the environment."""

from .entry import main

__all__ = ["main"]
