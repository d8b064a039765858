"""Results for CI, as a file: ``--results FILE --format json|sarif`` (docs/results.md).

Pure: ``locate`` turns each result's source and offset into a file, line and column;
``render`` writes them as this function's JSON or as SARIF 2.1.0. Writing the file is the
CLI's job.

Lines and columns are 1-based; a column counts Unicode code points (SARIF's
``unicodeCodePoints``, which the run states), and lines end at ``\\n`` (a CRLF line's
``\\r`` is its last character). The texts are what the scanner read: a source's body,
without its byte-order mark.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any, Literal, NamedTuple
from urllib.parse import quote

from .results import Result
from .rules import UNCLASSIFIED, describe

TOOL = "fix-kserve-probes"
FORMAT_VERSION = 1  # of the JSON form; bumped only when a key changes meaning or goes
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_NEWLINE = re.compile("\n")


class Located(NamedTuple):
    """A result and where it is: the file's URI reference (a path as given), and the
    1-based line and column of its key there; None where that is unknown."""

    result: Result
    uri: str | None
    line: int | None
    column: int | None


def locate(results: Sequence[Result], texts: Sequence[str], names: Sequence[str | None]) -> list[Located]:
    """Each result with its place. ``texts[k]`` and ``names[k]`` are source ``k``'s text
    (``Text.body``) and file name (its ``origin``; None for stdin).

    The file is the result's file reference (kpt's path annotation, or the file it was
    read from), else the source's name. A line and column are given only when the offset
    is in that very file's text: a resource annotated with another file's path, read from
    a stream, has its text in the stream, not in that file. Linear: each text's line
    starts are found once, and each offset is placed by bisection.
    """
    starts: dict[int, list[int]] = {}
    out = []
    for result in results:
        k = result.source
        own = names[k] if k is not None and 0 <= k < len(names) else None
        ref = result.file.get("path") if result.file else None
        uri = str(ref) if ref else own
        line = column = None
        if k is not None and result.offset is not None and 0 <= k < len(texts) and (not ref or ref == own) \
                and 0 <= result.offset <= len(texts[k]):
            lines = starts.get(k)
            if lines is None:
                lines = starts[k] = [0, *(m.end() for m in _NEWLINE.finditer(texts[k]))]
            line = bisect_right(lines, result.offset)
            column = result.offset - lines[line - 1] + 1
        out.append(Located(result, uri, line, column))
    return out


def render(located: Sequence[Located], fmt: Literal["json", "sarif"], *, summary: str, version: str) -> str:
    """The results file's text, ending in a newline (ASCII: other characters are escaped)."""
    if fmt == "json":
        document = _json(located, summary, version)
    elif fmt == "sarif":
        document = _sarif(located, summary, version)
    else:
        raise ValueError(f"unknown results format {fmt!r}")
    return json.dumps(_finite(document), indent=2, allow_nan=False) + "\n"


def _finite(value: Any) -> Any:
    """``value`` with YAML's ``.inf``/``.nan`` as those strings: strict JSON has no NaN."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return ".nan" if value != value else (".inf" if value > 0 else "-.inf")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _json(located: Sequence[Located], summary: str, version: str) -> dict[str, Any]:
    """This function's own form: every key always present, null where unknown (``file``
    is null when neither the file nor the line is known; stdin has a line but no path)."""
    return {
        "tool": TOOL,
        "version": version,
        "formatVersion": FORMAT_VERSION,
        "summary": summary,
        "results": [{
            "severity": one.result.severity,
            "message": one.result.message,
            "rule": one.result.rule or UNCLASSIFIED,
            "resourceRef": one.result.resource_ref or None,
            "field": one.result.field or None,
            "file": {"path": one.uri, "line": one.line, "column": one.column}
            if one.uri is not None or one.line is not None else None,
        } for one in located],
    }


def _sarif(located: Sequence[Located], summary: str, version: str) -> dict[str, Any]:
    """One run; a rule per rule id used, in the order first used; the summary in the run's
    property bag (``runs[0].properties.summary``).

    GitHub code scanning refuses a whole upload when one result lacks a physical location
    with a file (github/codeql-action#1738) and needs ``region.startLine``: a result in a
    file at no known line is placed at line 1; one in no file (the note on assumed
    runtimes, anything read from stdin) is a tool notification of the run's invocation.
    """
    index: dict[str, int] = {}
    rules: list[dict[str, Any]] = []
    results, notes = [], []
    for one in located:
        rule = one.result.rule or UNCLASSIFIED
        level = SARIF_LEVELS[one.result.severity]
        if rule not in index:
            index[rule] = len(rules)
            rules.append({"id": rule, "shortDescription": {"text": describe(rule)},
                          "defaultConfiguration": {"level": level}})
        message = {"text": _sarif_message(one.result)}
        if not one.uri:
            notes.append({"message": message, "level": level,
                          "associatedRule": {"id": rule, "index": index[rule]}})
            continue
        results.append({"ruleId": rule, "ruleIndex": index[rule], "level": level, "message": message,
                        "locations": [_sarif_location(one)]})
    driver = {"name": TOOL, "version": version, "rules": rules}
    invocation = {"executionSuccessful": not any(n["level"] == "error" for n in notes),
                  "toolExecutionNotifications": notes}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "invocations": [invocation], "columnKind": "unicodeCodePoints",
                  "results": results, "properties": {"summary": summary}}],
    }


def _sarif_message(result: Result) -> str:
    """The message with what it is about in front: ``InferenceService ns/name spec.x: ...``."""
    where = " ".join(x for x in (_resource(result), (result.field or {}).get("path")) if x)
    return f"{where}: {result.message}" if where else result.message


def _resource(result: Result) -> str | None:
    ref = result.resource_ref
    if not ref or not (ref.get("kind") or ref.get("name")):
        return None
    name = f"{ref['namespace']}/{ref.get('name', '')}" if ref.get("namespace") else ref.get("name", "")
    return f"{ref.get('kind', '')} {name}".strip()


def _sarif_location(one: Located) -> dict[str, Any]:
    """The file and region (line 1 when the line is unknown), and the resource as a
    logical location when there is one."""
    region = {"startLine": one.line, "startColumn": one.column or 1} if one.line is not None else {"startLine": 1}
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri_reference(one.uri or "")},
                                                     "region": region}}
    resource = _resource(one.result)
    if resource:
        location["logicalLocations"] = [{"fullyQualifiedName": resource, "kind": "resource"}]
    return location


def uri_reference(path: str) -> str:
    """A file path as a URI reference: a relative path stays relative (``./`` dropped), an
    absolute one becomes a ``file:`` URI; anything but unreserved characters and ``/`` is
    percent-encoded as UTF-8 (a space is ``%20``, a backslash ``%5C``, a colon ``%3A``)."""
    while path.startswith("./"):
        path = path[2:].lstrip("/")
    encoded = quote(path, safe="/")
    return f"file://{encoded}" if path.startswith("/") else encoded
