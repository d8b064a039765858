"""Split a POSIX shell script (the script of an exec probe's `sh -c`) into simple commands.

This is a lexer, not a shell: it removes quotes, keeps every expansion as written and
marks the word that holds one, and cuts the script at the control operators. It knows:

- single quotes (literal), double quotes (backslash escapes only `$`, backtick, `"`,
  backslash and newline), backslash outside quotes, line continuations, `#` comments,
  `$'...'` (kept undecoded);
- expansions `$NAME`, `${...}`, `$(...)`, `$((...))` and backticks, kept verbatim in
  `Word.text`; the source of each `$(...)` and backtick goes to `Word.substitutions` so
  a caller can read the commands inside;
- the operators `&&`, `||`, `|`, `|&`, `;`, `;;`, `&` and newline (which ends a command
  like `;`), and `(`/`)`, which only group and are dropped;
- redirections `<`, `>`, `>>`, `<>`, `>&`, `<&`, `>|`, `&>`, `&>>`, `<<<`, with a file
  descriptor number written right before them (`2>&1`) and the word after them.

It gives up (returns None) on what it cannot split safely: unbalanced quotes or
parentheses, here-documents (`<<`), process substitution (`<(...)`), a redirection with
no target, a trailing backslash, a `(` inside a command (a function definition), nesting deeper than
`MAX_DEPTH`, or a script longer than `MAX_SCRIPT` characters. It never raises.

`shlex` does not fit here: `shlex.split` has no operators, and `shlex.shlex` with
`punctuation_chars=True` cuts `$(PORT)` into `$`, `(`, `PORT`, `)`, loses the file
descriptor of `2>&1`, and drops the quoting that tells `'$PORT'` (literal) from `$PORT`
(expanded). The tests check that on scripts without operators or expansions the words
are exactly those of `shlex.split(script, posix=True)`.
"""

from __future__ import annotations

from typing import NamedTuple

MAX_SCRIPT = 65536
MAX_DEPTH = 16
_SPACE = frozenset(" \t\r")
_BREAK = frozenset("|&;<>()\n")
_OPERATORS = (  # longest first
    "<<<", "&>>", "&&", "||", ";;", "|&", ">>", "<<", "<>", ">&", "<&", ">|", "&>",
    "|", "&", ";", "<", ">", "(", ")", "\n",
)
REDIRECTIONS = frozenset({"<", ">", ">>", "<>", ">&", "<&", ">|", "&>", "&>>", "<<<"})
_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NAME_CHARS = _NAME_START | frozenset("0123456789")
_SPECIAL_PARAMS = frozenset("0123456789?$!@*#-")


class Word(NamedTuple):
    """One shell word: quotes removed, expansions kept as written."""

    text: str
    dynamic: bool = False  # holds a `$` or backtick expansion outside single quotes
    substitutions: tuple[str, ...] = ()  # the source of each $(...) and `...`


class Redirect(NamedTuple):
    op: str  # one of REDIRECTIONS
    target: Word
    fd: str = ""  # the file descriptor written before the operator ("2" in 2>&1)


class Command(NamedTuple):
    """A simple command and the operator that ends it."""

    words: tuple[Word, ...]
    redirects: tuple[Redirect, ...]
    after: str  # "&&", "||", "|", ";", ";;", "&", or "" at the end of the script


class _Op(NamedTuple):
    text: str
    fd: str = ""


class _Piece(NamedTuple):
    text: str  # what goes into the word
    subs: tuple[str, ...]  # the source of each command substitution in it
    dynamic: bool
    end: int  # index after the piece


def _skip_double(s: str, i: int, depth: int) -> int | None:
    """Index after the `"` that closes the double-quoted string starting at i."""
    piece = _double(s, i, depth)
    return None if piece is None else piece.end


def _matching(s: str, i: int, open_: str, close: str, depth: int) -> int | None:
    """Index of the `close` that balances an `open_` just before i, skipping quotes."""
    level, n = 1, len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "'":
            j = s.find("'", i + 1)
            if j < 0:
                return None
            i = j + 1
            continue
        if c == '"':
            end = _skip_double(s, i + 1, depth + 1)
            if end is None:
                return None
            i = end
            continue
        if c == open_:
            level += 1
        elif c == close:
            level -= 1
            if level == 0:
                return i
        i += 1
    return None


def _backtick(s: str, i: int) -> _Piece | None:
    j, n = i + 1, len(s)
    while j < n and s[j] != "`":
        j += 2 if s[j] == "\\" else 1
    if j >= n:
        return None
    inner = s[i + 1 : j].replace("\\`", "`").replace("\\$", "$").replace("\\\\", "\\")
    return _Piece(s[i : j + 1], (inner,), True, j + 1)


def _dollar(s: str, i: int, depth: int) -> _Piece | None:
    """The expansion starting with `$` at i (or a literal `$`)."""
    if depth > MAX_DEPTH:
        return None
    nxt = s[i + 1 : i + 2]
    if nxt == "(":
        close = _matching(s, i + 2, "(", ")", depth + 1)
        return None if close is None else _Piece(s[i : close + 1], (s[i + 2 : close],), True, close + 1)
    if nxt == "{":
        close = _matching(s, i + 2, "{", "}", depth + 1)
        return None if close is None else _Piece(s[i : close + 1], (), True, close + 1)
    if nxt and nxt in _NAME_START:
        j = i + 1
        while j < len(s) and s[j] in _NAME_CHARS:
            j += 1
        return _Piece(s[i:j], (), True, j)
    if nxt and nxt in _SPECIAL_PARAMS:
        return _Piece(s[i : i + 2], (), True, i + 2)
    return _Piece("$", (), False, i + 1)


def _double(s: str, i: int, depth: int) -> _Piece | None:
    """The double-quoted string whose opening `"` is just before i."""
    out: list[str] = []
    dynamic, n = False, len(s)
    subs: list[str] = []
    while i < n:
        c = s[i]
        if c == '"':
            return _Piece("".join(out), tuple(subs), dynamic, i + 1)
        if c == "\\" and i + 1 < n:
            if s[i + 1] != "\n":
                out.append(s[i + 1] if s[i + 1] in '$`"\\' else s[i : i + 2])
            i += 2
            continue
        if c in "$`":
            piece = _dollar(s, i, depth + 1) if c == "$" else _backtick(s, i)
            if piece is None:
                return None
            out.append(piece.text)
            dynamic = dynamic or piece.dynamic
            subs.extend(piece.subs)
            i = piece.end
            continue
        out.append(c)
        i += 1
    return None


def _quoted(s: str, i: int) -> _Piece | None:
    """A quoted or escaped piece starting at i: '...', "...", $'...', $"..." or a backslash."""
    c = s[i]
    if c == "\\" and i + 1 == len(s):
        return None  # a backslash with nothing to escape
    if c == "\\":
        return _Piece("" if s[i + 1 : i + 2] == "\n" else s[i + 1 : i + 2], (), False, i + 2)
    if c == "$":  # $'...' or $"..."
        i += 1
        c = s[i]
    if c == "'":
        j = s.find("'", i + 1)
        return None if j < 0 else _Piece(s[i + 1 : j], (), False, j + 1)
    return _double(s, i + 1, 0)


def _word(s: str, i: int) -> tuple[Word, int] | None:
    """The word starting at i, and the index after it."""
    out: list[str] = []
    subs: list[str] = []
    dynamic, n = False, len(s)
    while i < n and s[i] not in _SPACE and s[i] not in _BREAK:
        c = s[i]
        if c in "\\'\"" or (c == "$" and s[i + 1 : i + 2] in ("'", '"')):
            piece = _quoted(s, i)
        elif c == "$":
            piece = _dollar(s, i, 0)
        elif c == "`":
            piece = _backtick(s, i)
        else:
            piece = _Piece(c, (), False, i + 1)
        if piece is None:
            return None
        out.append(piece.text)
        dynamic = dynamic or piece.dynamic
        subs.extend(piece.subs)
        i = piece.end
    return Word("".join(out), dynamic, tuple(subs)), i


def _operator(s: str, i: int) -> str | None:
    for op in _OPERATORS:
        if s.startswith(op, i):
            if op == "<<" or (op in ("<", ">") and s[i + 1 : i + 2] == "("):
                return None  # here-document, process substitution
            return op
    return None


def _tokens(script: str) -> list[Word | _Op] | None:
    out: list[Word | _Op] = []
    i, n = 0, len(script)
    while i < n:
        c = script[i]
        if c in _SPACE or (c == "\\" and script[i + 1 : i + 2] == "\n"):
            i += 1 if c in _SPACE else 2
        elif c == "#":
            j = script.find("\n", i)
            i = n if j < 0 else j
        elif c in _BREAK:
            op = _operator(script, i)
            if op is None:
                return None
            out.append(_Op(op))
            i += len(op)
        else:
            read = _word(script, i)
            if read is None:
                return None
            word, j = read
            if script[i:j].isdigit() and script[j : j + 1] in ("<", ">"):
                op = _operator(script, j)
                if op is None or op not in REDIRECTIONS:
                    return None
                out.append(_Op(op, script[i:j]))
                j += len(op)
            else:
                out.append(word)
            i = j
    return out


def split_script(script: str) -> tuple[Command, ...] | None:
    """The simple commands of a shell script, in order, or None when it cannot be split."""
    if len(script) > MAX_SCRIPT:
        return None
    tokens = _tokens(script)
    if tokens is None:
        return None
    commands: list[Command] = []
    words: list[Word] = []
    redirects: list[Redirect] = []
    it = iter(tokens)
    for token in it:
        if isinstance(token, Word):
            words.append(token)
        elif token.text in REDIRECTIONS:
            target = next(it, None)
            if not isinstance(target, Word):
                return None
            redirects.append(Redirect(token.text, target, token.fd))
        elif token.text == "(" and words:
            return None  # a function definition, or a syntax error
        elif token.text in ("(", ")"):
            if words or redirects:
                commands.append(Command(tuple(words), tuple(redirects), ";"))
                words, redirects = [], []
        else:
            after = {"\n": ";", "|&": "|"}.get(token.text, token.text)
            if words or redirects:
                commands.append(Command(tuple(words), tuple(redirects), after))
                words, redirects = [], []
            elif commands and after != ";":  # `(a) | b`: the operator after `)` ends `a`
                commands[-1] = commands[-1]._replace(after=after)
    if words or redirects:
        commands.append(Command(tuple(words), tuple(redirects), ""))
    elif commands and commands[-1].after == ";":
        commands[-1] = commands[-1]._replace(after="")
    return tuple(commands)
