"""Read YAML/JSON text into plain data that remembers where each node sits in the text.

The parser (``parser.py``: libyaml via PyYAML) emits events whose marks are offsets in
characters of the text it was given; we build dicts/lists straight from those events,
so nothing is round-tripped and the original text stays the single source of output.
Aliases are never expanded: an alias is the very object its anchor names (shared, as
any YAML loader shares it; nothing is copied), and its place is recorded as special.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from sys import intern
from typing import Any, NamedTuple

from .errors import TextError, TextLimitError, cut, reader_error, show, syntax_error
from .nodes import ComplexKey, Doc, YMap, YSeq  # the scanner's nodes: imported from here by the other layers
from .parser import Stream, events
from .scalars import CONSTANTS, NUMBER_START, resolve_plain

__all__ = ["ComplexKey", "Doc", "Limits", "Scan", "YMap", "YSeq", "scan"]

STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "bool", "null", "float", "map", "seq")
)
_UNDEFINED, _BUILDING = object(), object()  # anchor states: never seen; still being built


class Limits(NamedTuple):
    max_depth: int = 256
    max_aliases: int = 10_000


class Scan(NamedTuple):
    docs: list[Doc]
    # Offsets of anchors, aliases, non-standard tags, complex keys and merge keys: places
    # the splicer will not edit around (see ``has_specials``).
    specials: list[int]
    # (alias offset, offset of the anchor it names) for every alias, for ``shares_anchors``.
    # Anchors are per document, and a name defined again names the later node (YAML 1.2
    # section 3.2.2.2): each alias is linked to the very anchor it uses, not to its name.
    links: list[tuple[int, int]]
    by_anchor: Sequence[tuple[int, int]] = ()  # (anchor offset, alias offset), sorted

    def has_specials(self, start: int, end: int) -> bool:
        i = bisect_left(self.specials, start)
        return i < len(self.specials) and self.specials[i] < end

    def shares_anchors(self, start: int, end: int) -> bool:
        """An anchor in [start, end) is aliased outside it (or the other way round).

        ``links`` is in text order of the aliases, ``by_anchor`` the same pairs the other
        way round, sorted: only the links with an alias or an anchor in the range count."""
        links = self.links
        by_anchor = self.by_anchor if self.by_anchor or not links else sorted((b, a) for a, b in links)
        for _, anchor in links[bisect_left(links, (start, -1)) : bisect_left(links, (end, -1))]:
            if not start <= anchor < end:
                return True
        for _, alias in by_anchor[bisect_left(by_anchor, (start, -1)) : bisect_left(by_anchor, (end, -1))]:
            if not start <= alias < end:
                return True
        return False


def scan(text: str, limits: Limits | None = None, stream: Stream | None = None) -> Scan:
    """Parse every document of ``text``; raise ``InputError`` on anything malformed.

    ``stream``, when given, is what the parser reads instead (``masking.Masked``: its
    offsets are moved to ``text``'s afterwards); ``text`` is still the one errors quote."""
    from yaml.error import MarkedYAMLError, YAMLError
    from yaml.reader import ReaderError

    limits = limits or Limits()
    try:
        return _Builder(text, limits, stream).run()
    except MarkedYAMLError as err:
        if err.problem == "exceeded maximum nesting depth":  # libyaml's own cap (1,000 levels), above ours
            mark = err.problem_mark
            raise TextLimitError(f"input has nesting deeper than {limits.max_depth} levels",
                                 line=mark.line + 1, column=mark.column + 1) from err
        raise syntax_error(text, err) from err
    except ReaderError as err:
        raise reader_error(text, err) from err
    except YAMLError as err:
        raise TextError(f"invalid YAML: {str(err).strip().splitlines()[0]}") from err
    except RecursionError as err:  # only if the depth limit was set above Python's own
        raise TextLimitError("input nests too deeply") from err


def _merge(node: YMap, merges: list[Any]) -> None:
    """YAML merge keys (``<<: *base``), as go-yaml v2 and so Kubernetes apply them: keys
    the mapping does not set itself come from the merged mappings, earlier ones first.

    They go after the mapping's own keys, which alone have text positions; the ``<<``
    key stays, and its offset is special, so the splicer never edits such a resource.
    """
    for source in merges:
        for part in source if isinstance(source, list) else [source]:
            if isinstance(part, dict):
                for key, value in part.items():
                    if key not in node and key != "<<":
                        node[key] = value


class _Builder:
    def __init__(self, text: str, limits: Limits, stream: Stream | None = None) -> None:
        from yaml import events as ev

        self.ev = ev
        self.get = events(text if stream is None else stream)
        self.limits = limits
        self.aliases = 0
        self.anchors: dict[str, Any] = {}  # of the current document: YAML anchors do not cross documents
        self.specials: list[int] = []
        self.anchor_at: dict[str, int] = {}  # of the current document: where each name was last defined
        self.links: list[tuple[int, int]] = []
        # Every node's offsets, 4 bytes each where they fit (YMap.buf); and one copy of each
        # string value (names, kinds, kpt's annotations repeat in every resource).
        self.buf: array[int] = array("i" if len(text) < 2**31 else "q")
        self.values: dict[str, str] = {}

    def run(self) -> Scan:
        ev, get = self.ev, self.get
        docs: list[Doc] = []
        while True:
            event = get()
            if isinstance(event, ev.StreamEndEvent):
                break
            if isinstance(event, ev.DocumentStartEvent):
                self.anchors.clear()
                self.anchor_at.clear()
                first = get()
                root, end = self.build(first, 0)
                get()  # DocumentEndEvent
                docs.append(Doc(root, first.start_mark.index, end))
        self.specials.sort()
        return Scan(docs, self.specials, self.links, sorted((anchor, alias) for alias, anchor in self.links))

    def build(self, event: Any, depth: int) -> tuple[Any, int]:
        """Return the value of the node that starts with ``event`` and its content end."""
        ev = self.ev
        cls = event.__class__
        if cls is ev.ScalarEvent:
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                self._special(event)
            value = self._scalar(event)
            if event.anchor is not None:
                self.anchors[event.anchor] = value
            return value, event.end_mark.index
        if cls is ev.AliasEvent:
            self.aliases += 1
            if self.aliases > self.limits.max_aliases:
                raise self._limit(event, f"more than {self.limits.max_aliases} aliases")
            target = self.anchors.get(event.anchor, _UNDEFINED)
            if target is _UNDEFINED or target is _BUILDING:  # libyaml parses these; every composer refuses them
                m = event.start_mark
                problem = "names no anchor before it" if target is _UNDEFINED else "names a node that contains it"
                raise TextError(f"invalid YAML: alias *{cut(event.anchor)} {problem}",
                                 line=m.line + 1, column=m.column + 1)
            self.specials.append(event.start_mark.index)
            self.links.append((event.start_mark.index, self.anchor_at[event.anchor]))
            return target, event.end_mark.index
        if depth >= self.limits.max_depth:
            raise self._limit(event, f"nesting deeper than {self.limits.max_depth} levels")
        if event.anchor is not None or event.tag is not None:
            self._special(event)
        node, end = self._mapping(event, depth + 1) if cls is ev.MappingStartEvent else self._sequence(event, depth + 1)
        if event.anchor is not None:
            self.anchors[event.anchor] = node
        return node, end

    def _mapping(self, start: Any, depth: int) -> tuple[YMap, int]:
        get, build, end_cls, scalar_cls = self.get, self.build, self.ev.MappingEndEvent, self.ev.ScalarEvent
        values = self.values
        node = YMap()
        mark = start.start_mark
        node.flow = bool(start.flow_style)
        pos = [mark.index, mark.index, 0]  # start, end, entries, then each entry's key start and value end
        col = mark.column  # a block mapping's column is its first key's (a tag may come before)
        merges: list[Any] = []
        while True:
            event = get()
            if event.__class__ is end_cls:
                break
            offset = event.start_mark.index
            if len(pos) == 3:
                col = event.start_mark.column
            if event.__class__ is scalar_cls:
                key = _plain_value(event, values) if event.anchor is None and event.tag is None \
                    else build(event, depth)[0]
                if key.__class__ is str:
                    key = intern(key)  # the same few keys repeat in every resource: share them
                    if key == "<<" and not event.style and event.tag is None:
                        merges.append(None)  # filled in below, once the value is built
                        self.specials.append(offset)
            else:
                self.specials.append(offset)
                build(event, depth)
                key = ComplexKey(offset)
            if key in node:
                m = event.start_mark
                raise TextError(f"duplicate key {show(key)}", line=m.line + 1, column=m.column + 1)
            event = get()
            if event.__class__ is scalar_cls and event.anchor is None and event.tag is None:
                node[key], value_end = _plain_value(event, values), event.end_mark.index
            else:
                node[key], value_end = build(event, depth)
            pos += (offset, value_end)
            if merges and merges[-1] is None:
                merges[-1] = node[key]
        if merges:
            _merge(node, merges)
        if node.flow:
            node.col, pos[1] = mark.column, event.end_mark.index
        elif len(pos) > 3:
            node.col, pos[0], pos[1] = col, pos[3], pos[-1]
        else:  # cannot happen in block style; keep the node well-formed anyway
            node.col = mark.column
        pos[2] = ~((len(pos) - 3) // 2)  # below 0: see nodes.py
        node.buf, node.at = self.buf, len(self.buf)
        self.buf.fromlist(pos)
        return node, pos[1]

    def _sequence(self, start: Any, depth: int) -> tuple[YSeq, int]:
        get, build, end_cls, scalar_cls = self.get, self.build, self.ev.SequenceEndEvent, self.ev.ScalarEvent
        values = self.values
        node = YSeq()
        mark = start.start_mark
        node.flow = bool(start.flow_style)
        node.col = mark.column
        pos = [mark.index, mark.index, 0]  # start, end, entries, then each entry's end
        append = node.append
        while True:
            event = get()
            if event.__class__ is end_cls:
                break
            if event.__class__ is scalar_cls and event.anchor is None and event.tag is None:
                append(_plain_value(event, values))
                pos.append(event.end_mark.index)
            else:
                value, value_end = build(event, depth)
                append(value)
                pos.append(value_end)
        if node.flow:
            pos[1] = event.end_mark.index
        elif len(pos) > 3:
            pos[1] = pos[-1]
        pos[2] = ~(len(pos) - 3)
        node.buf, node.at = self.buf, len(self.buf)
        self.buf.fromlist(pos)
        return node, pos[1]

    def _scalar(self, event: Any) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None:
            return _plain_value(event, self.values)
        if tag == "!":
            if event.style or event.implicit[0] is False:
                return value  # quoted or block scalar: always a string
            return resolve_plain(value)
        if tag == "tag:yaml.org,2002:str":
            return value
        if tag in STANDARD_TAGS:
            return resolve_plain(value)
        return value

    def _special(self, event: Any) -> None:
        tag = event.tag
        if tag and tag.startswith("tag:yaml.org,2002:python/"):
            m = event.start_mark
            raise TextError(
                f"refusing Python-specific tag !!{cut(tag[len('tag:yaml.org,2002:'):])}",
                line=m.line + 1,
                column=m.column + 1,
            )
        if event.anchor is not None:
            self.anchors[event.anchor] = _BUILDING
            self.anchor_at[event.anchor] = event.start_mark.index
        if event.anchor is not None or (tag is not None and tag not in STANDARD_TAGS):
            self.specials.append(event.start_mark.index)

    @staticmethod
    def _limit(event: Any, what: str) -> TextLimitError:
        m = event.start_mark
        return TextLimitError(f"input has {what}", line=m.line + 1, column=m.column + 1)


def _plain_value(event: Any, values: dict[str, str]) -> Any:
    """The value of a scalar without a tag: quoted and block scalars are strings; plain
    ones resolve as Kubernetes reads them (most are strings, known at the first character).
    A string is the one copy of it in ``values``."""
    value: str = event.value
    if not event.style and event.implicit[0] is not False and (value in CONSTANTS or value[0] in NUMBER_START):
        resolved = resolve_plain(value)
        if resolved.__class__ is not str:
            return resolved
    return values.setdefault(value, value)
