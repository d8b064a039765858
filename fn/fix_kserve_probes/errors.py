"""One error base class; the CLI maps every subclass to an exit code and one stderr line.

The text engine raises its own ``TextError`` (it imports nothing from the rest of the
package); ``from_text_error`` brings it under this base at the layer boundary.
"""

from __future__ import annotations

from .yamltext.errors import TextError, TextLimitError, at_position


class FnError(Exception):
    """An error the user can act on. ``str(err)`` is the one line printed on stderr."""

    exit_code = 1

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 origin: str | None = None) -> None:
        self.message, self.line, self.column = message, line, column  # 1-based, as editors show them
        self.origin = origin  # the file it is about, when one is (the message names it too)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return at_position(self.message, self.line, self.column)


class InputError(FnError):
    """The input is not YAML/JSON, not a ResourceList or stream, or breaks a structural rule."""


class InputErrors(InputError):
    """Several files of one package could not be read: every one is reported, not only the
    first (a repository with two broken files gets two lines, then one fix round)."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{errors[0]}{more}")  # no position of its own: each error has its own


class LimitError(InputError):
    """The input exceeds a safety limit (size, nesting depth, alias count)."""


class ConfigError(FnError):
    """The function config is invalid; ``problems`` holds one entry per field."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None) -> None:
        self.problems = problems or []  # (config field path, message)
        super().__init__(message)

    def __str__(self) -> str:
        details = "; ".join(f"{path}: {msg}" for path, msg in self.problems)
        return f"{self.message}: {details}" if details else self.message


def from_text_error(err: TextError) -> InputError:
    """The text engine's error as the function's: the same message and position."""
    cls = LimitError if isinstance(err, TextLimitError) else InputError
    return cls(err.message, line=err.line, column=err.column)


class UsageError(FnError):
    """Bad command-line use."""

    exit_code = 2


MAX_LINE = 500  # characters of one stderr line; messages may quote input, which can be huge


def one_line(message: str) -> str:
    """``message`` as one bounded line with control characters escaped.

    Messages quote input (keys, names, paths); an escape sequence or a line separator
    there must not reach the terminal or the log as itself.
    """
    if len(message) > MAX_LINE:
        message = message[:MAX_LINE] + "…"
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in message)
