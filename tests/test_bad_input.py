"""Hostile and broken input (issue 5): one table, every case in every form that fits it.

Each (case, form) runs in-process through ``cli.main`` (fast, exact output); each case
also runs as the installed command in a child process (real exit code, no traceback, and
bounded CPU time and peak memory, measured with ``wait4``): in its first form, and in
every form where cost is the point. Large inputs run only as a child.

The forms: a plain stream on stdin, a ResourceList on stdin, and ``--in-place`` on a
file that comes after a good file needing a fix; on any error neither file may change.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from badinput_cases import CASES, GOOD_FILE, MARKER, Case, Same
from badinput_helpers import (
    BAD_INPUTS,
    BAD_RUNS,
    Run,
    assert_clean_error,
    assert_clean_success,
    assert_resource_list_with_error,
    run_child,
    run_inproc,
)

GOOD_MODE, CASE_MODE = 0o640, 0o604  # unusual modes, so that keeping them is visible
# How a child's stdout is broken (Case.stdout): bash runs the command ("$0") with it so.
# A pipe whose reader exits unread: pipefail gives the command's own exit code.
BROKEN_STDOUT = {
    "closed": ["bash", "-c", 'exec "$0" "$@" >&-'],
    "full": ["bash", "-c", 'exec "$0" "$@" >/dev/full'],
    "pipe": ["bash", "-c", 'set -o pipefail; "$0" "$@" | true'],
}


def params(*, child: bool) -> list[object]:
    """In-process: every case in every form but the large ones. As a child: every case, in
    its first form, and in every form where cost is the point (and for the large ones)."""
    return [pytest.param(case, mode, id=f"{case.id}-{mode}") for case in CASES
            for mode in (case.measured_modes() if child else case.modes())
            if child or not (case.heavy or case.stdout)]


def reference(mode: str, data: bytes) -> bytes:
    """The output for a known-good input, in the same form."""
    run = run_inproc([], data)
    assert run.code == 0, run.err
    return run.out


Runner = Callable[[list[str], "bytes | Path", dict[str, str]], Run]


def execute(case: Case, mode: str, runner: Runner, tmp: Path) -> tuple[Run, bytes, tuple[Path, Path] | None]:
    """Run ``case`` in ``mode``; returns the run, what it produced, and the --in-place files."""
    argv = list(case.args)
    if case.config is not None and mode != "resourcelist":  # a ResourceList carries its own functionConfig
        config = tmp / "fn-config.yaml"
        config.write_text(case.config)
        argv += ["--config", str(config)]
    data = case.data(mode)
    if mode == "in-place":
        good, bad = tmp / "a-good.yaml", tmp / f"{case.stem}{case.suffix}"
        good.write_text(GOOD_FILE)
        bad.write_bytes(data)
        os.chmod(good, GOOD_MODE)
        os.chmod(bad, CASE_MODE)
        run = runner(["--in-place", *argv, str(good), str(bad)], b"", dict(case.env))
        return run, bad.read_bytes(), (good, bad)
    if case.heavy:
        stdin = tmp / "stdin"
        stdin.write_bytes(data)
        return (run := runner(argv, stdin, dict(case.env))), run.out, None
    return (run := runner(argv, data, dict(case.env))), run.out, None


def check_outcome(case: Case, mode: str, run: Run, produced: bytes, files: tuple[Path, Path] | None) -> None:
    assert not MARKER.exists(), "input was executed"
    error = case.error if mode != "in-place" or case.file_error is Same else case.file_error
    check = case.file_check if mode == "in-place" and case.file_check is not None else case.check
    data = case.data(mode)
    if files is not None:
        good, bad = files
        assert sorted(p.name for p in good.parent.iterdir() if p.name != "fn-config.yaml") == [good.name, bad.name], \
            "a temporary file was left behind"
        assert stat.S_IMODE(good.stat().st_mode) == GOOD_MODE and stat.S_IMODE(bad.stat().st_mode) == CASE_MODE
    if error is None:
        assert_clean_success(run)
        assert check is not None, f"{case.id}: a success case needs a check"
        check(mode, data, produced, reference)
        if files is not None:
            assert files[0].read_bytes() == reference("stream", GOOD_FILE.encode()), "the good file was not fixed"
        return
    message = assert_clean_error(run, r".", in_place=files is not None)
    if files is not None:
        # One error line, about the case file (or the config); nothing written or printed.
        message = message.removeprefix(f"{files[1]}: ")
        assert files[0].read_text() == GOOD_FILE and produced == data, "a file changed despite the error"
        assert run.out == b""
    elif mode == "resourcelist" and case.readable:
        assert_resource_list_with_error(run.out, error)
    else:
        assert run.out == b"", "stdout must be empty when no ResourceList could be read"
    assert re.search(error, message), (error, message)
    if case.position:
        assert re.search(r"\(line \d+(, column \d+)?\)", message), message


@pytest.mark.parametrize(("case", "mode"), params(child=False))
def test_in_process(case: Case, mode: str, tmp_path: Path) -> None:
    def runner(argv: list[str], stdin: bytes | Path, env: dict[str, str]) -> Run:
        return run_inproc(argv, stdin if isinstance(stdin, bytes) else stdin.read_bytes(), env)

    run, produced, files = execute(case, mode, runner, tmp_path)
    check_outcome(case, mode, run, produced, files)
    BAD_INPUTS.add(case.id)
    BAD_RUNS.add((case.id, mode, "in-process"))


@pytest.mark.parametrize(("case", "mode"), params(child=True))
def test_as_a_command(case: Case, mode: str, tmp_path: Path) -> None:
    def runner(argv: list[str], stdin: bytes | Path, env: dict[str, str]) -> Run:
        return run_child(argv, stdin, env, timeout=120, prefix=BROKEN_STDOUT[case.stdout] if case.stdout else None)

    run, produced, files = execute(case, mode, runner, tmp_path)
    check_outcome(case, mode, run, produced, files)
    assert run.cpu < case.cpu, f"{case.id}: {run.cpu:.2f} s of CPU (bound {case.cpu} s)"
    assert run.max_rss_mb < case.rss_mb, f"{case.id}: {run.max_rss_mb:.0f} MB peak memory (bound {case.rss_mb} MB)"
    BAD_INPUTS.add(case.id)
    BAD_RUNS.add((case.id, mode, "child"))


def debug_params() -> list[object]:
    out = []
    for case in CASES:
        if case.error is None or case.heavy or case.stdout:
            continue
        mode = "stream" if case.stream is not None else "resourcelist"
        out.append(pytest.param(case, mode, id=f"{case.id}-{mode}"))
    # An input error carried as an error result (regression: once no traceback).
    out.append(pytest.param(next(c for c in CASES if c.id == "items-not-mappings"), "resourcelist",
                            id="items-not-mappings-resourcelist"))
    return out


@pytest.mark.parametrize(("case", "mode"), debug_params())
def test_debug_shows_the_traceback(case: Case, mode: str, tmp_path: Path) -> None:
    argv = ["--debug", *case.args]
    if case.config is not None and mode != "resourcelist":
        config = tmp_path / "fn-config.yaml"
        config.write_text(case.config)
        argv += ["--config", str(config)]
    run = run_inproc(argv, case.data(mode), dict(case.env))
    assert run.code == 1
    assert "Traceback (most recent call last)" in run.err, run.err
    assert run.lines[-1].startswith("fix-kserve-probes: error: "), run.lines[-1]


def test_every_case_has_one_expected_outcome() -> None:
    """The table itself: an outcome per case, and every issue-5 input is in it."""
    for case in CASES:
        assert (case.error is None) == (case.check is not None), case.id
        assert case.modes(), case.id
    ids = " ".join(c.id for c in CASES)
    for needed in ("empty", "binary-garbage", "invalid-utf8", "utf8-bom", "crlf", "tab-indentation", "truncated-flow",
                   "duplicate-key", "items-a-mapping", "items-not-mappings", "item-without-apiVersion",
                   "item-without-kind", "item-without-name", "resourcelist-without-items", "json", "python-tag",
                   "other-tags", "alias-bomb", "nesting-5000", "scalar-50MB", "config-of-another-kind",
                   "config-of-wrong-types",
                   # issue 11
                   "flow-scalars-with-urls", "anchor-names-reused-across-documents", "four-space-fallback",
                   "last-key-removed-no-final-newline", "json-tab-indented", "scalar-1MB-aliased-2000-times",
                   "extra-targets-recursive-descent", "extra-targets-regex-filter", "extra-targets-20000-steps",
                   "prior-results-a-mapping", "huge-integer-in-a-probe-timing", "function-config-empty",
                   "file-name-250-characters", "stdout-closed", "stdout-full", "stdout-broken-pipe",
                   "json-concatenated-compact", "json-concatenated-lines", "json-concatenated-pretty",
                   "json-concatenated-truncated"):
        assert needed in ids, needed


def test_a_walked_directory_does_not_follow_symlinks_out_of_it(tmp_path: Path) -> None:
    """Issue 11: ``--in-place DIR`` rewrites the files inside DIR, never a file a symlink
    in it points to outside; the run is clean and leaves no temporary file."""
    outside = tmp_path / "outside.yaml"
    outside.write_text(GOOD_FILE)
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "inside.yaml").write_text(GOOD_FILE)
    (folder / "link.yaml").symlink_to(outside)
    run = run_child(["--in-place", str(folder)], b"", {})
    assert_clean_success(run)
    assert outside.read_text() == GOOD_FILE, "a file outside the walked directory was rewritten"
    assert (folder / "inside.yaml").read_bytes() == reference("stream", GOOD_FILE.encode())
    assert sorted(p.name for p in folder.iterdir()) == ["inside.yaml", "link.yaml"] and (folder / "link.yaml").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside.yaml", "pkg"]
