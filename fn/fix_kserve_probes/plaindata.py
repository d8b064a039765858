"""Reading untrusted plain data: a value that should be a mapping or a list, or nothing.

Manifests can hold anything where a mapping is expected; these make such places empty
instead of making every caller check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def annotations_of(resource: Any) -> Mapping[str, Any]:
    """``metadata.annotations`` of a resource, or nothing."""
    return as_map(as_map(as_map(resource).get("metadata")).get("annotations"))
