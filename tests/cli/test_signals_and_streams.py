"""Signals, closed and full streams (issue 11): one stderr line and a clear exit code,
every file wholly old or wholly new, no temporary file left behind."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from badinput_cases import GOOD_FILE, ISVC
from badinput_helpers import command, run_inproc

from fix_kserve_probes import cli
from fix_kserve_probes.cli import fileio

PROG = "fix-kserve-probes"


def _files(tmp_path: Path, n: int) -> tuple[Path, dict[Path, bytes]]:
    folder = tmp_path / "pkg"
    folder.mkdir()
    for i in range(n):
        (folder / f"m{i:03}.yaml").write_text(GOOD_FILE.replace("sklearn-iris", f"m{i}"))
    return folder, {p: p.read_bytes() for p in folder.iterdir()}


# Slow each write down, so that the signal lands in the middle of --in-place.
_SLOW = """
import os, sys, time
from fix_kserve_probes.cli import fileio, main
real = os.fsync
def slow(fd):
    time.sleep(0.01)
    real(fd)
os.fsync = slow
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
@pytest.mark.parametrize("delay", [0.4, 0.9, 1.4])
def test_a_signal_during_in_place_leaves_old_or_new_files_and_no_temp_file(
        sig: signal.Signals, delay: float, tmp_path: Path) -> None:
    folder, before = _files(tmp_path, 120)
    proc = subprocess.Popen([sys.executable, "-c", _SLOW, "--in-place", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in before), "a temporary file was left"
    if proc.returncode in (0, -sig):  # the run was over (its summary printed), or was exiting, when the signal came
        assert err.splitlines() == [f"{PROG}: fixed 120 readinessProbes in 120 InferenceServices (120 files)"], err
        assert all(path.read_bytes() == run_inproc([], data).out for path, data in before.items())
        return
    assert proc.returncode == 128 + sig, (proc.returncode, err)
    assert err.splitlines() == [f"{PROG}: stopped by {sig.name}"], err
    for path, data in before.items():
        assert path.read_bytes() in (data, run_inproc([], data).out), f"{path.name} is neither old nor new"


def test_ctrl_c_while_reading_stdin_is_one_line_and_130() -> None:
    proc = subprocess.Popen([command()], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err.splitlines() == [f"{PROG}: stopped by SIGINT"], err


def _run_shell(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "FN": command()})


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_stdout_is_one_clear_line() -> None:
    done = _run_shell(f"printf '%s' '{ISVC}' | \"$FN\" > /dev/full")
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        f"{PROG}: error: cannot write the output to stdout: No space left on device"], done.stderr


def test_a_closed_stdout_is_one_clear_line() -> None:
    done = _run_shell(f"printf '%s' '{ISVC}' | \"$FN\" >&-")
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [f"{PROG}: error: cannot write the output: stdout is closed"], done.stderr


def test_a_broken_pipe_is_one_clear_line() -> None:
    big = (ISVC + "---\n") * 3000
    proc = subprocess.Popen([command()], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # the reader goes away before the output is written
    _, err = proc.communicate(big.encode(), timeout=60)
    lines = err.decode().splitlines()
    assert proc.returncode == 1, lines
    assert lines[-1] == f"{PROG}: error: cannot write the output to stdout: the reader closed the pipe", lines
    assert "Traceback" not in err.decode() and "internal error" not in err.decode() and "Exception" not in err.decode()


def test_temp_files_have_short_names_so_any_file_name_can_be_rewritten(tmp_path: Path) -> None:
    """Regression: the temporary name was the target's name plus 14 characters, over NAME_MAX."""
    target = tmp_path / ("m" * 250 + ".yaml")
    target.write_text(GOOD_FILE)
    fileio.write_all({target: b"new\n"})
    assert target.read_bytes() == b"new\n" and os.listdir(tmp_path) == [target.name]


def test_a_walked_directory_does_not_follow_symlinks_out_of_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(GOOD_FILE)
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "inside.yaml").write_text(GOOD_FILE)
    (folder / "link.yaml").symlink_to(outside)
    (folder / "also-inside.yaml").symlink_to(folder / "inside.yaml")
    assert [p.name for p in fileio.expand([str(folder)])] == ["also-inside.yaml", "inside.yaml"]
    assert [p.name for p in fileio.expand([str(folder / "link.yaml")])] == ["link.yaml"]  # named: followed


class _SignalAfterSummary(io.StringIO):
    """stderr that sends the process ``sig`` as the run's summary line is written: the
    moment between a finished run and its exit."""

    def __init__(self, sig: signal.Signals) -> None:
        super().__init__()
        self.sig = sig

    def write(self, line: str) -> int:
        written = super().write(line)
        if line.startswith(f"{PROG}: fixed"):
            os.kill(os.getpid(), self.sig)
        return written


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_after_the_files_are_written_does_not_call_the_run_stopped(sig: signal.Signals,
                                                                             tmp_path: Path) -> None:
    folder, before = _files(tmp_path, 3)
    err = _SignalAfterSummary(sig)
    code = cli.main(["--in-place", str(folder)], stdin=io.BytesIO(), stdout=io.BytesIO(), stderr=err)
    assert (code, err.getvalue().splitlines()) == (0, [f"{PROG}: fixed 3 readinessProbes in 3 InferenceServices "
                                                       "(3 files)"])
    assert all(path.read_bytes() != data for path, data in before.items())
