"""Files mode IO: finding manifests and writing them all-or-nothing."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError, UsageError

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def expand(paths: Iterable[str]) -> Iterator[Path]:
    """Files as given; directories walked for *.yaml, *.yml and *.json, sorted."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in MANIFEST_SUFFIXES and p.is_file())
            yield from (p for p in found if not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.is_file():
            yield path
        else:
            raise UsageError(f"{raw}: no such file or directory")


def read_bytes(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(limit + 1)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None


def write_all(changes: dict[Path, bytes]) -> None:
    """Write every file or none: all temporary files first, then one rename each.

    Each temporary file sits in its target's directory (so the rename is atomic) and
    gets the target's mode. If any write fails, every temporary file is removed and
    no target has been touched.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in changes.items():
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, target.stat().st_mode & 0o7777)
    except OSError as err:
        for tmp, _ in staged:
            _unlink(tmp)
        raise InputError(f"cannot write {staged[-1][1] if staged else 'files'}: {err.strerror}; no file was changed") from None
    for tmp, target in staged:
        os.replace(tmp, target)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
