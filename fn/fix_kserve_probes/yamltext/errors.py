"""The text engine's errors, and YAML errors as one clear line: what is wrong and
where, with input cut short.

``TextError`` is this package's own base (it imports nothing else from the package);
the engine turns it into the function's ``InputError`` at its boundary.
The helpers below run on error paths only, never while a valid input is scanned.
"""

from __future__ import annotations

from typing import Any


class TextError(Exception):
    """Text that cannot be read: not UTF-8, not YAML, or structurally wrong."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line  # 1-based, as editors show it
        self.column = column  # 1-based
        super().__init__(message)

    def __str__(self) -> str:
        return at_position(self.message, self.line, self.column)


def at_position(message: str, line: int | None, column: int | None) -> str:
    """``message (line L, column C)``: how every error of the function says where."""
    if line is None:
        return message
    return f"{message} (line {line}" + (f", column {column})" if column is not None else ")")


class TextLimitError(TextError):
    """Text over a safety limit: size, nesting depth, aliases, or a copy too large."""



def syntax_error(text: str, err: Any) -> TextError:
    """libyaml's problem, made specific where it is vague, with where it started."""
    mark = err.problem_mark or err.context_mark
    problem = err.problem or err.context or "malformed YAML"
    index = getattr(mark, "index", -1)
    if problem == "found character that cannot start any token" and 0 <= index < len(text):
        char = text[index]
        problem = ("found a tab where YAML allows only spaces (indent with spaces)" if char == "\t"
                   else f"found character {char!r} that cannot start any token")
    context, start = err.context, err.context_mark
    if err.problem and context and start is not None and mark is not None and start.index != mark.index:
        problem += f" {context} that starts at line {start.line + 1}, column {start.column + 1}"
    return TextError(
        f"invalid YAML: {problem}",
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


def reader_error(text: str, err: Any) -> TextError:
    # libyaml's reader counts UTF-8 bytes; PyYAML's pure-Python one (encoding "unicode")
    # and everything else here count characters.
    if err.encoding == "unicode":
        index = err.position
    else:
        index = len(text.encode("utf-8")[: err.position].decode("utf-8", "ignore"))
    line_start = text.rfind("\n", 0, index) + 1
    char = err.character if isinstance(err.character, int) else ord(err.character[:1] or "\0")
    return TextError(
        f"invalid YAML: character U+{char:04X}: {err.reason}",
        line=text.count("\n", 0, index) + 1,
        column=index - line_start + 1,
    )


def cut(text: str, limit: int = 60) -> str:
    """``text``, cut short: error lines quote input, which may be megabytes long."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show(value: Any) -> str:
    return cut(repr(value))
