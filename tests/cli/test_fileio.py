"""Nothing lost (issue 5): --in-place writes every file or none, keeps modes, owners and
symlinks, and leaves no temporary file behind; stdout never holds a partial output."""

from __future__ import annotations

import errno
import io
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from badinput_cases import GOOD_FILE, ISVC, RUNTIME, resource_list
from badinput_helpers import NOT_WRITTEN, assert_clean_error, run_inproc

from fix_kserve_probes import cli
from fix_kserve_probes.cli import fileio

BROKEN_LATER = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: [a, b\n"


def fixed_text() -> str:
    run = run_inproc([], GOOD_FILE.encode())
    assert run.code == 0 and run.out != GOOD_FILE.encode()
    return run.out.decode()


def files(tmp: Path, n: int = 2, text: str = GOOD_FILE) -> list[Path]:
    out = []
    for i in range(n):
        path = tmp / f"{i}.yaml"
        path.write_text(text)
        out.append(path)
    return out


def listing(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir())


def test_every_file_is_written_with_its_mode(tmp_path: Path) -> None:
    a, b = files(tmp_path)
    os.chmod(a, 0o750)
    os.chmod(b, 0o604)
    run = run_inproc(["--in-place", str(a), str(b)])
    summary = "fix-kserve-probes: fixed 2 readinessProbes in 2 InferenceServices (2 files)\n"
    assert (run.code, run.out, run.err) == (0, b"", summary)
    assert a.read_text() == b.read_text() == fixed_text()
    assert stat.S_IMODE(a.stat().st_mode) == 0o750 and stat.S_IMODE(b.stat().st_mode) == 0o604
    assert listing(tmp_path) == ["0.yaml", "1.yaml"]


def test_an_error_in_a_later_file_writes_no_file(tmp_path: Path) -> None:
    a, b = files(tmp_path)
    c = tmp_path / "2.yaml"
    c.write_text(BROKEN_LATER)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (a, b, c)}
    run = run_inproc(["--in-place", str(a), str(b), str(c)])
    message = assert_clean_error(run, r"did not find expected", in_place=True)
    assert message.startswith(f"{c}: ") and run.lines[-1] == NOT_WRITTEN
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (a, b, c)} == before
    assert listing(tmp_path) == ["0.yaml", "1.yaml", "2.yaml"]


def test_a_failed_write_of_a_later_file_changes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up while the second temporary file is written: the first is not renamed."""
    a, b = files(tmp_path)
    calls = []
    real = fileio.tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("dir"))
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    monkeypatch.setattr(fileio.tempfile, "mkstemp", mkstemp)
    run = run_inproc(["--in-place", str(a), str(b)])
    assert_clean_error(run, rf"^cannot write {b}: No space left on device; no file was changed$")
    assert a.read_text() == b.read_text() == GOOD_FILE
    assert listing(tmp_path) == ["0.yaml", "1.yaml"], "a temporary file was left behind"


def test_a_failed_rename_puts_back_the_files_already_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rename can still fail (EBUSY on a bind-mounted file, EPERM in a sticky directory):
    the files replaced before it get their old content, and their old inode, back."""
    a, b, c = files(tmp_path, 3)
    inodes = {p: p.stat().st_ino for p in (a, b, c)}
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(dst) == c and str(src).endswith(".tmp"):
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY))
        real(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace)
    run = run_inproc(["--in-place", str(a), str(b), str(c)])
    assert_clean_error(run, rf"^cannot replace {c}: Device or resource busy; no file was changed$")
    assert [p.read_text() for p in (a, b, c)] == [GOOD_FILE] * 3
    assert {p: p.stat().st_ino for p in (a, b, c)} == inodes
    assert listing(tmp_path) == ["0.yaml", "1.yaml", "2.yaml"], "a temporary or backup file was left behind"


def test_an_interrupt_while_staging_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = files(tmp_path)
    calls = []
    real = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(fd)

    monkeypatch.setattr(fileio.os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        fileio.write_all({a: b"new a\n", b: b"new b\n"})
    assert a.read_text() == b.read_text() == GOOD_FILE
    assert listing(tmp_path) == ["0.yaml", "1.yaml"]


def test_a_symlink_stays_a_symlink_and_its_target_is_rewritten(tmp_path: Path) -> None:
    real = tmp_path / "real" / "isvc.yaml"
    real.parent.mkdir()
    real.write_text(GOOD_FILE)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    run = run_inproc(["--in-place", str(link)])
    assert run.code == 0, run.err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == fixed_text()
    assert listing(real.parent) == ["isvc.yaml"] and listing(tmp_path) == ["link.yaml", "real"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_the_owner_is_kept(tmp_path: Path) -> None:
    (a,) = files(tmp_path, 1)
    os.chown(a, 65534, 65534)
    assert run_inproc(["--in-place", str(a)]).code == 0
    assert (a.stat().st_uid, a.stat().st_gid) == (65534, 65534) and a.read_text() == fixed_text()


def test_files_that_hold_nothing_are_left_alone_and_do_not_stop_the_run(tmp_path: Path) -> None:
    a, b = files(tmp_path)
    blanks = {"empty.yaml": b"", "comments.yaml": b"# to do\n---\n# later\n", "bom.yaml": b"\xef\xbb\xbf\n"}
    for name, data in blanks.items():
        (tmp_path / name).write_bytes(data)
    run = run_inproc(["--in-place", str(tmp_path)])
    assert (run.code, run.err) == (0, "fix-kserve-probes: fixed 2 readinessProbes in 2 InferenceServices (2 files)\n")
    assert a.read_text() == b.read_text() == fixed_text()
    assert {name: (tmp_path / name).read_bytes() for name in blanks} == blanks


def test_printing_files_prints_nothing_when_a_file_cannot_be_read(tmp_path: Path) -> None:
    """Without --in-place the stream goes to stdout; a stream missing one file's resources
    would pass for the whole (and, applied with --prune, delete them)."""
    a, b = files(tmp_path)
    b.write_bytes(b"kind: ConfigMap\nname: caf\xe9\n")
    run = run_inproc([str(a), str(b)])
    assert_clean_error(run, r"not UTF-8 text: byte 0xe9")
    assert run.out == b""


def test_stdout_gets_the_whole_output_in_one_write() -> None:
    """kpt and kustomize read stdout to EOF; a reader never sees part of a ResourceList."""

    class Counting(io.BytesIO):
        writes = 0

        def write(self, data: Any) -> int:
            Counting.writes += 1
            return super().write(data)

    for data in (resource_list(ISVC, RUNTIME), resource_list(ISVC + "  labels: [oops\n")):
        Counting.writes = 0
        out = Counting()
        code = cli.main([], stdin=io.BytesIO(data.encode()), stdout=out, stderr=io.StringIO())
        assert Counting.writes == (1 if code == 0 else 0), (code, Counting.writes)


def test_the_help_says_all_or_none() -> None:
    run = run_inproc(["--help"])
    assert run.code == 0 and "all or none" in run.out.decode()


@pytest.mark.parametrize("argv", [["--in-place"], ["--in-place", "-"]])
def test_in_place_without_files_is_a_usage_error_not_a_silent_print(argv: list[str]) -> None:
    run = run_inproc(argv, GOOD_FILE.encode())
    assert (run.code, run.out) == (2, b"")
    assert run.lines == ["fix-kserve-probes: error: --in-place rewrites files: give it PATHs "
                         "(stdin has no file to write back to)"]


def test_special_files_are_refused_without_reading_them(tmp_path: Path) -> None:
    """A FIFO with no writer would block a read forever, /dev/zero would never end."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        run = run_inproc(["--in-place", str(path)])
        assert (run.code, run.lines) == (2, [f"fix-kserve-probes: error: {path}: not a regular file or directory"])
        run = run_inproc(["--config", str(path)], GOOD_FILE.encode())
        assert (run.code, run.lines) == (2, [f"fix-kserve-probes: error: --config {path}: not a file"])
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "isvc.yaml").write_text(GOOD_FILE)
    run = run_inproc(["--in-place", "--quiet", str(tmp_path)])  # the walk skips what is not a regular file
    assert (run.code, run.err) == (0, "") and (tmp_path / "isvc.yaml").read_text() == fixed_text()


def test_write_one_makes_a_new_file_with_the_umask_and_keeps_an_old_one_s_mode(tmp_path: Path) -> None:
    from fix_kserve_probes.cli.fileio import write_one

    old = os.umask(0o027)
    try:
        write_one(tmp_path / "new.json", b"{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640
    kept = tmp_path / "kept.json"
    kept.write_bytes(b"old")
    os.chmod(kept, 0o600)
    write_one(kept, b"new")
    assert kept.read_bytes() == b"new" and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert listing(tmp_path) == ["kept.json", "new.json"]


def test_write_one_into_a_directory_it_cannot_write_leaves_nothing(tmp_path: Path) -> None:
    from fix_kserve_probes.cli.fileio import write_one
    from fix_kserve_probes.errors import InputError

    with pytest.raises(InputError, match=r"cannot write .*r\.json"):
        write_one(tmp_path / "missing" / "r.json", b"x")
    target = tmp_path / "dir.json"
    target.mkdir()
    with pytest.raises(InputError, match="cannot write"):
        write_one(target, b"x")  # a directory cannot be replaced by a file
    assert listing(tmp_path) == ["dir.json"]
