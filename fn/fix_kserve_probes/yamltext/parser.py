"""The event parser the scanner reads, chosen by evidence (issue 11).

PyYAML's C binding (``yaml._yaml.CParser``; its wheels' ``get_version_string()`` says
libyaml 0.2.6) reads what kubectl and kpt read, such as ``[curl, http://localhost:8080/ping]``:
plain scalars with ``:`` inside flow collections. ruamel.yaml.clib's copy says 0.1.7 and
refuses them ("found unexpected ':'"). PyYAML's is also faster: walking every event of 2,000 InferenceServices and 2,000
ConfigMaps took 0.27 s of CPU against ruamel's CParser's 0.37 s here.

Without the C extension (PyPy, a source-only install) PyYAML's pure-Python parser reads
the same events, about 20 times slower. Both give marks whose ``index`` counts characters
of the text (not UTF-8 bytes), and plain ``tag`` strings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol

GetEvent = Callable[[], Any]


class Stream(Protocol):
    """Text handed to the parser a piece at a time (``read`` returns "" at the end)."""

    def read(self, size: int, /) -> str: ...


def _pure_parser(text: str | Stream) -> GetEvent:
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class PureParser(Reader, Scanner, Parser):  # type: ignore[misc]  # PyYAML's own mix-in pattern (yaml/loader.py)
        def __init__(self, stream: str | Stream) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

    get: GetEvent = PureParser(text).get_event
    return get


class _Pieces:
    """The text as a stream that hands libyaml a piece at a time.

    Given a ``str``, PyYAML's CParser encodes all of it to UTF-8 and keeps those bytes for
    the parser's life (yaml/_yaml.pyx ``CParser.__init__``): a second copy of the input,
    37 MB at 20,000 InferenceServices. From a stream it encodes what each ``read`` returns
    (``input_handler``) and frees it once used. A piece may be longer than the size asked
    for: the rest waits in PyYAML's cache. Marks still count characters of the whole text.
    """

    __slots__ = ("text", "at")
    PIECE = 1 << 18  # characters; the walk takes as long as from a str (bench/event_walk.py)

    def __init__(self, text: str) -> None:
        self.text, self.at = text, 0

    def read(self, _size: int) -> str:
        at = self.at
        self.at = at + self.PIECE
        return self.text[at : at + self.PIECE]


def _c_parser(text: str | Stream) -> GetEvent:
    from yaml._yaml import CParser

    stream = _Pieces(text) if isinstance(text, str) and len(text) > _Pieces.PIECE else text
    get: GetEvent = CParser(stream).get_event
    return get


@functools.cache
def _choose() -> Callable[[str | Stream], GetEvent]:
    try:
        import yaml._yaml  # noqa: F401
    except ImportError:
        return _pure_parser
    return _c_parser


def events(text: str | Stream) -> GetEvent:
    """``get_event`` of a parser over ``text`` (or a stream of it): each call returns the next event."""
    return _choose()(text)


def using_c() -> bool:
    """Whether the C binding is in use."""
    return _choose() is _c_parser
