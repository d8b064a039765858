"""Reading untrusted plain data: a value that should be a mapping or a list, or nothing.

Manifests can hold anything where a mapping is expected; these make such places empty
instead of making every caller check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Path = tuple[str | int, ...]  # keys and indexes from a resource's root


def as_map(value: Any) -> Mapping[str, Any]:
    # dict first: scanned mappings are dicts, and the ABC check costs a Python call each time
    return value if isinstance(value, dict) or (value is not None and isinstance(value, Mapping)) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def annotations_of(resource: Any) -> Mapping[str, Any]:
    """``metadata.annotations`` of a resource, or nothing."""
    meta = resource.get("metadata") if isinstance(resource, dict) else as_map(resource).get("metadata")
    notes = meta.get("annotations") if isinstance(meta, dict) else as_map(meta).get("annotations")
    return notes if isinstance(notes, dict) else as_map(notes)


def flag_values(args: Sequence[Any], *flags: str) -> list[str]:
    """The values given to any of ``flags`` in a container's args, in order.

    Both ``--flag=value`` and ``--flag value`` count, as with Python's argparse (which
    KServe's model servers use); callers take the last, as argparse does.
    """
    items = [str(a) for a in args]
    found = []
    for i, arg in enumerate(items):
        for flag in flags:
            if arg.startswith(flag + "="):
                found.append(arg[len(flag) + 1 :])
            elif arg == flag and i + 1 < len(items):
                found.append(items[i + 1])
    return found
