"""Least privilege (issue 5): the installed command works as nobody (uid/gid 65534, no
supplementary groups), with HOME unset, from an unwritable working directory, while the
whole source tree (and the virtualenv in it) is mounted read-only.

The read-only mount needs a private mount namespace (``unshare``) and dropping to 65534
needs root: where either is missing the tests skip with the reason (CI runs as root).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from badinput_cases import GOOD_FILE, ISVC, RUNTIME, resource_list
from badinput_helpers import REPO, Run, assert_clean_error, child_env, load_all, run_child, run_inproc

NOBODY = 65534
# In a private mount namespace: bind the source tree onto itself read-only, then become
# nobody and run the command ("$@"). "$0" is the tree.
AS_NOBODY = ('mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && '
             f'exec setpriv --reuid {NOBODY} --regid {NOBODY} --clear-groups -- "$@"')


def _can_isolate() -> str | None:
    if os.geteuid() != 0:
        return "needs root to drop to uid 65534 and to mount the source tree read-only"
    for tool in ("setpriv", "unshare", "mount"):
        if not shutil.which(tool):
            return f"{tool} is not installed"
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True, check=False)
    return None if probe.returncode == 0 else f"no mount namespace here: {probe.stderr.decode().strip()}"


pytestmark = pytest.mark.skipif(bool(_can_isolate()), reason=str(_can_isolate()))


def as_nobody(argv: list[str], stdin: bytes | Path = b"", cwd: str = "/") -> Run:
    env = child_env(home=False)
    assert "HOME" not in env
    prefix = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", AS_NOBODY, str(REPO)]
    return run_child(argv, stdin, prefix=prefix, cwd=cwd, full_env=env, timeout=60)


@pytest.fixture
def nobodys_dir(tmp_path: Path) -> Path:
    """A directory nobody owns, reachable by nobody (pytest's tmp root is root's, mode 700)."""
    base = Path(os.environ.get("TMPDIR", "/tmp")) / f"fkp-nobody-{os.getpid()}-{tmp_path.name}"
    base.mkdir(mode=0o755)
    os.chown(base, NOBODY, NOBODY)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def test_the_source_tree_is_read_only_even_for_root_in_that_namespace() -> None:
    """The sandbox itself: nothing under the tree can be written while the command runs."""
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                            'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && touch "$0/.write-probe"',
                            str(REPO)], capture_output=True, text=True, check=False)
    assert probe.returncode != 0 and "Read-only file system" in probe.stderr
    assert not (REPO / ".write-probe").exists()


def test_a_resource_list_on_stdin() -> None:
    data = resource_list(ISVC, RUNTIME).encode()
    run = as_nobody([], data)
    assert (run.code, run.err) == (0, ""), run.err
    assert run.out == run_inproc([], data).out
    item = load_all(run.out)[0]["items"][0]
    assert "httpGet" in item["spec"]["predictor"]["model"]["readinessProbe"]


def test_a_stream_with_a_config_file_and_an_error(nobodys_dir: Path) -> None:
    config = nobodys_dir / "fn.yaml"
    config.write_text("apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\nmetadata: {name: c}\n"
                      "spec: {strategy: tcp}\n")
    run = as_nobody(["--config", str(config)], GOOD_FILE.encode())
    assert run.code == 0, run.err
    assert "tcpSocket" in run.out.decode()
    bad = as_nobody([], b"a: [b\n")
    assert_clean_error(bad, r"did not find expected")


def test_in_place_in_a_directory_nobody_owns(nobodys_dir: Path) -> None:
    path = nobodys_dir / "isvc.yaml"
    path.write_text(GOOD_FILE)
    os.chown(path, NOBODY, NOBODY)
    os.chmod(path, 0o640)
    run = as_nobody(["--in-place", str(path)], cwd=str(nobodys_dir))
    assert (run.code, run.err) == (0, "fix-kserve-probes: fixed 1 readinessProbe in 1 InferenceService (1 file)\n")
    assert path.read_bytes() == run_inproc([], GOOD_FILE.encode()).out
    assert (path.stat().st_uid, oct(path.stat().st_mode & 0o777)) == (NOBODY, oct(0o640))
    assert sorted(p.name for p in nobodys_dir.iterdir()) == ["isvc.yaml"]


def test_in_place_where_nobody_may_not_write_is_a_clean_error(tmp_path: Path) -> None:
    """A file nobody may write, in a directory nobody may not write: one line, nothing changed."""
    base = Path(os.environ.get("TMPDIR", "/tmp")) / f"fkp-root-{os.getpid()}"
    base.mkdir(mode=0o755)
    try:
        path = base / "isvc.yaml"
        path.write_text(GOOD_FILE)
        os.chmod(path, 0o666)
        run = as_nobody(["--in-place", str(path)])
        assert_clean_error(run, rf"^cannot write {path}: Permission denied; no file was changed$")
        assert path.read_text() == GOOD_FILE and sorted(p.name for p in base.iterdir()) == ["isvc.yaml"]
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_sticky_directory_is_left_with_no_backup_link(tmp_path: Path) -> None:
    """Regression (issue 11): in a sticky directory (/tmp) a rename over another user's file
    fails; the hard link taken as its backup then belonged to that user and could not be
    removed, so a ``.tmp.orig`` stayed behind. Now the backup is our own copy."""
    sticky = Path(os.environ.get("TMPDIR", "/tmp")) / f"fkp-sticky-{os.getpid()}-{tmp_path.name}"
    sticky.mkdir()
    try:
        os.chmod(sticky, 0o1777)
        target = sticky / "isvc.yaml"
        target.write_text(GOOD_FILE)
        os.chown(target, 1000, 1000)  # someone else's file, that nobody may write but not replace
        os.chmod(target, 0o666)
        run = as_nobody(["--in-place", str(target)])
        assert run.code == 1, run.err
        assert "no file was changed" in run.err and len(run.err.splitlines()) == 1, run.err
        assert os.listdir(sticky) == ["isvc.yaml"] and target.read_text() == GOOD_FILE
    finally:
        shutil.rmtree(sticky, ignore_errors=True)
