"""Files mode IO: finding manifests and writing them all-or-nothing."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError, UsageError
from . import signals

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def expand(paths: Iterable[str]) -> Iterator[Path]:
    """Files as given; directories walked for *.yaml, *.yml and *.json, sorted.

    The walk does not follow symlinked directories (no loops), and reads a symlinked file
    only when it points inside the directory walked: a link out of it would have --in-place
    rewrite a file elsewhere. A symlink named as a PATH is followed.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            found = sorted(p for p in path.rglob("*") if p.suffix in MANIFEST_SUFFIXES and p.is_file()
                           and (not p.is_symlink() or p.resolve().is_relative_to(root)))
            yield from (p for p in found if not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.is_file():
            yield path
        elif path.exists():
            raise UsageError(f"{raw}: not a regular file or directory")
        else:
            raise UsageError(f"{raw}: no such file or directory")


def read_bytes(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes: enough to tell that a file is over the limit."""
    try:
        with path.open("rb") as f:
            return f.read(limit + 1)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None


def write_all(changes: dict[Path, bytes]) -> None:
    """Write every file or none.

    Each new content goes to a temporary file in its target's directory (so the rename
    is atomic) with the target's mode, and owner where we may set it; only when all are
    written and synced is any target replaced. Should a rename still fail, the targets
    already replaced get their old content back from hard links taken just before.
    A symlink stays a symlink: the file it points to is rewritten.
    """
    staged: list[tuple[str, Path]] = []
    current: Path | None = None
    try:
        for target, data in changes.items():
            current = Path(os.path.realpath(target))
            info = current.stat()
            with signals.deferred():  # no temporary file may exist unrecorded
                # A short name, whatever the target's: a 255-character name can be rewritten.
                fd, tmp = tempfile.mkstemp(dir=current.parent, prefix=".fkp-", suffix=".tmp")
                staged.append((tmp, current))
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, stat.S_IMODE(info.st_mode))
            if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                _chown(tmp, info.st_uid, info.st_gid)
    except BaseException as err:  # also ^C: leave no temporary file behind
        for tmp, _ in staged:
            _unlink(tmp)
        if isinstance(err, OSError):
            raise InputError(f"cannot write {current or 'files'}: {err.strerror}; no file was changed") from None
        raise
    _replace_all(staged)


def write_one(target: Path, data: bytes) -> None:
    """Write one file, new or not, atomically: a temporary file beside it, renamed over it.
    A new file gets the mode the umask gives; an existing one keeps its mode."""
    tmp: str | None = None
    try:
        with signals.deferred():  # no temporary file may exist unrecorded
            fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=".fkp-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask())
        with signals.deferred():
            os.replace(tmp, target)
            tmp = None
    except BaseException as err:
        if tmp is not None:
            _unlink(tmp)
        if isinstance(err, OSError):
            raise InputError(f"cannot write {target}: {err.strerror}") from None
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _replace_all(staged: list[tuple[str, Path]]) -> None:
    done: list[tuple[Path, str | None]] = []  # replaced targets and the links to their old content
    backup: str | None = None
    try:
        for tmp, target in staged:
            with signals.deferred():  # a replaced target is always recorded, to be put back
                backup = _backup(target, tmp)
                os.replace(tmp, target)
                done.append((target, backup))
                backup = None
    except BaseException as err:  # ^C as much as an OSError: put back what was replaced
        failed = target
        if backup:
            _unlink(backup)  # the target that failed is unchanged
        lost = [str(t) for t, old in reversed(done) if not _restore(t, old)]
        for tmp, _ in staged:
            _unlink(tmp)
        if not isinstance(err, OSError):
            raise
        outcome = "no file was changed" if not lost else f"could not restore {', '.join(lost)}"
        raise InputError(f"cannot replace {failed}: {err.strerror}; {outcome}") from None
    with signals.deferred():  # every target is new: finish, then stop
        for _, backup in done:
            if backup:
                _unlink(backup)
        for directory in {target.parent for _, target in staged}:
            _sync(directory)


def _backup(target: Path, tmp: str) -> str | None:
    """A second name for the target's current content, beside it; a copy where links fail."""
    backup = f"{tmp}.orig"
    try:
        if _sticky_and_not_ours(target):
            raise PermissionError  # a link to another's file could not be removed there: copy
        os.link(target, backup)
    except OSError:
        try:
            shutil.copy2(target, backup)
        except OSError:
            return None
    return backup


def _sticky_and_not_ours(target: Path) -> bool:
    """In a sticky directory (/tmp) only a file's owner may remove a name of it, so a hard
    link to a file owned by someone else would be left behind."""
    try:
        return bool(target.parent.stat().st_mode & stat.S_ISVTX) and target.stat().st_uid != os.geteuid()
    except OSError:
        return False


def _restore(target: Path, backup: str | None) -> bool:
    if backup is None:
        return False
    try:
        os.replace(backup, target)
    except OSError:
        return False
    return True


def _chown(path: str, uid: int, gid: int) -> None:
    try:
        os.chown(path, uid, gid)
    except OSError:  # only root may give a file away; the group, if it is one of ours
        with contextlib.suppress(OSError):
            os.chown(path, -1, gid)


def _sync(directory: Path) -> None:
    """Make the renames durable: fsync the directory that holds them (best effort)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
