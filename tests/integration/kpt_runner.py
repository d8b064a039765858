"""A Python twin of kpt's end-to-end test runner, for the packages under examples/kpt/.

It follows the rules of kpt's ``pkg/test/runner`` (``runner.go``, ``config.go``,
``util.go`` at v1.0.0-beta.56), which the kpt function catalog uses for its examples:

* a test case is a directory with a ``.expected/`` subdirectory; its
  ``.expected/config.yaml`` holds ``testType`` (``render``, the default, or ``eval``),
  ``exitCode``, ``stdErr``/``stdOut`` (substrings), ``stdErrRegEx``, ``allowExec``,
  ``imagePullPolicy``, ``disableOutputTruncate``, ``skip`` and, for eval, ``image``,
  ``execPath`` and ``fnConfig`` (both relative to ``.expected/``) and ``args``;
* the case is copied (``cp -r``) to a fresh temporary directory, which is made a git
  repository (``git init``, ``git add --all``, ``git commit -m first --allow-empty``
  as user ``none``);
* the command runs twice: ``.expected/setup.sh`` first if present, then
  ``.expected/exec.sh`` (with bash, in the package copy) if present, else
  ``kpt fn render|eval <pkg> [--results-dir DIR] ...`` from the caller's working
  directory; ``--results-dir`` is passed only when ``.expected/results.yaml`` exists,
  and an ``exec.sh`` may write ``../results`` itself, which is that same directory;
* after each run the exit code must equal ``exitCode``; on the first run only, stderr
  (with ``[PASS]/[FAIL] ... in <t>`` times set to ``0s``) and stdout must contain the
  expected substrings, and the results file must equal ``.expected/results.yaml``
  (both stripped); after each run ``git diff <first commit> HEAD`` (with only
  ``GIT_DIFF_OPTS=`` in the environment) must equal ``.expected/diff.patch`` (both
  stripped; no file means no change), so the second run proves idempotence;
* a failing command that was expected to fail ends the loop.

``KPT_E2E_UPDATE_EXPECTED=true`` rewrites ``results.yaml`` (only when it exists) and
``diff.patch`` (only when the diff is not empty) from the first run, as kpt does; the
rewritten files are golden files, to be read before they are committed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

EXPECTED = ".expected"
UPDATE_ENV = "KPT_E2E_UPDATE_EXPECTED"


@dataclass
class Case:
    path: Path
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def test_type(self) -> str:
        return str(self.config.get("testType") or "render")

    def expected(self, name: str) -> Path:
        return self.path / EXPECTED / name


def scan(root: Path) -> list[Case]:
    """Every directory under ``root`` with a ``.expected/`` directory (kpt's ScanTestCases)."""
    cases = []
    for dirpath, dirnames, _ in os.walk(root):
        dirnames.sort()
        if (Path(dirpath) / EXPECTED).is_dir():
            cases.append(load(Path(dirpath)))
    return cases


def load(path: Path) -> Case:
    config_file = path / EXPECTED / "config.yaml"
    config: dict[str, Any] = {}
    if config_file.exists():
        config = YAML(typ="safe", pure=True).load(config_file.read_text()) or {}
    return Case(path, config)


def _run(argv: list[str], cwd: Path | None = None,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)


GIT = shutil.which("git") or "git"


def _git(pkg: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = _run([GIT, *args], cwd=pkg, env=env)
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {pkg}: {proc.stderr}")
    return proc.stdout


def _commit(pkg: Path, message: str) -> None:
    _git(pkg, "config", "user.name", "none")
    _git(pkg, "config", "user.email", "none")
    _git(pkg, "commit", "-m", message, "--allow-empty")


def sanitize_timestamps(stderr: str) -> str:
    """kpt's sanitizeTimestamps: ``[PASS] "fn" in 1.2s`` becomes ``[PASS] "fn" in 0s``."""
    lines = []
    for line in stderr.split("\n"):
        tokens = line.split()
        if line.startswith(("[PASS]", "[FAIL]")) and len(tokens) == 4 and tokens[2] == "in":
            tokens[3] = "0s"
            lines.append(" ".join(tokens))
        else:
            lines.append(line)
    return "\n".join(lines)


def _kpt_argv(case: Case, kpt: str, pkg: Path, results_dir: Path | None) -> list[str]:
    cfg = case.config
    if case.test_type == "eval":
        argv = [kpt, "fn", "eval", str(pkg)]
        if results_dir:
            argv += ["--results-dir", str(results_dir)]
        if cfg.get("imagePullPolicy"):
            argv += ["--image-pull-policy", str(cfg["imagePullPolicy"])]
        if cfg.get("network"):
            argv.append("--network")
        base = case.path / EXPECTED
        if cfg.get("image"):
            argv += ["--image", str(cfg["image"])]
        elif cfg.get("execPath"):
            argv += ["--exec", str((base / cfg["execPath"]).resolve())]
        if cfg.get("fnConfig"):
            argv += ["--fn-config", str((base / cfg["fnConfig"]).resolve())]
        if cfg.get("args"):
            argv.append("--")
            argv += [f"{k}={v}" for k, v in cfg["args"].items()]
        return argv
    argv = [kpt, "fn", "render", str(pkg)]
    if results_dir:
        argv += ["--results-dir", str(results_dir)]
    if cfg.get("imagePullPolicy"):
        argv += ["--image-pull-policy", str(cfg["imagePullPolicy"])]
    if cfg.get("allowExec"):
        argv.append("--allow-exec")
    if cfg.get("disableOutputTruncate"):
        argv.append("--truncate-output=false")
    return argv


def run_case(case: Case, kpt: str, env: dict[str, str], cwd: Path | None = None) -> None:
    """Run one case as kpt's runner does; raise AssertionError on the first mismatch.

    ``cwd`` is where kpt runs (kpt's runner: the test process's directory).
    """
    if case.config.get("skip"):
        return
    prefix = "kpt-fn-e2e-" if case.test_type == "eval" else "kpt-pipeline-e2e-"
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        _run_in(case, kpt, env, tmp, cwd)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run_in(case: Case, kpt: str, env: dict[str, str], tmp: Path, cwd: Path | None) -> None:
    pkg = tmp / case.name
    results_dir = tmp / "results" if case.expected("results.yaml").exists() else None
    if (case.path / "out").is_dir():
        raise AssertionError("out-of-place (out/) cases are not used in this repository")
    subprocess.run(["cp", "-r", str(case.path), str(pkg)], check=True)
    _git(pkg, "init")
    _git(pkg, "add", "--all")
    _commit(pkg, "first")
    first = _git(pkg, "log", "-n", "1", "--pretty=format:%h")

    want_exit = int(case.config.get("exitCode") or 0)
    exec_sh = case.expected("exec.sh").resolve()
    setup_sh = case.expected("setup.sh").resolve()
    teardown_sh = case.expected("teardown.sh").resolve()
    for attempt in range(2):
        if setup_sh.exists():
            proc = _run(["bash", str(setup_sh)], cwd=pkg, env=env)
            assert proc.returncode == 0, f"{case.name}: setup.sh failed: {proc.stdout}{proc.stderr}"
        if exec_sh.exists():
            proc = _run(["bash", str(exec_sh)], cwd=pkg, env=env)
        else:
            proc = _run(_kpt_argv(case, kpt, pkg, results_dir), cwd=cwd, env=env)
        where = f"{case.name} (run {attempt + 1})"
        detail = f"\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"

        if os.environ.get(UPDATE_ENV, "").lower() == "true":
            _update(case, pkg, first, results_dir)
            return

        assert proc.returncode == want_exit, f"{where}: exit code {proc.returncode}, expected {want_exit}{detail}"
        if attempt == 0:
            stderr = sanitize_timestamps(proc.stderr)
            want_stderr = str(case.config.get("stdErr") or "")
            assert want_stderr in stderr, f"{where}: stderr lacks {want_stderr!r}{detail}"
            regex = case.config.get("stdErrRegEx")
            if regex:
                assert re.search(regex, stderr), f"{where}: stderr does not match {regex!r}{detail}"
            want_stdout = str(case.config.get("stdOut") or "")
            assert want_stdout in proc.stdout, f"{where}: stdout lacks {want_stdout!r}{detail}"
            results = _actual_results(results_dir)
            want_results = _read_stripped(case.expected("results.yaml"))
            assert results == want_results, (
                f"{where}: results differ from .expected/results.yaml\n"
                f"--- actual\n{results}\n--- expected\n{want_results}"
            )
        diff = _actual_diff(pkg, first)
        want_diff = _read_stripped(case.expected("diff.patch"))
        assert diff == want_diff, (
            f"{where}: package diff differs from .expected/diff.patch\n--- actual\n{diff}\n--- expected\n{want_diff}"
        )
        if case.test_type == "render" and teardown_sh.exists():
            _run(["bash", str(teardown_sh)], cwd=pkg, env=env)
        if proc.returncode != 0:
            break
        if case.test_type == "eval" and teardown_sh.exists():
            _run(["bash", str(teardown_sh)], cwd=pkg, env=env)


def _read_stripped(path: Path) -> str:
    return path.read_text().strip() if path.exists() else ""


def _actual_results(results_dir: Path | None) -> str:
    if results_dir is None:
        return ""
    files = sorted(results_dir.iterdir()) if results_dir.is_dir() else None
    if files is None:
        raise AssertionError(f"no results directory {results_dir} was written")
    assert len(files) <= 1, f"unexpected results files {files}, should be 0 or 1"
    return files[0].read_text().strip() if files else ""


def _actual_diff(pkg: Path, first: str) -> str:
    _git(pkg, "add", "--all")
    _commit(pkg, "second")
    return _git(pkg, "diff", first, "HEAD", env={"GIT_DIFF_OPTS": ""}).strip()


def _update(case: Case, pkg: Path, first: str, results_dir: Path | None) -> None:
    if results_dir is not None and results_dir.is_dir() and any(results_dir.iterdir()):
        actual = _actual_results(results_dir)
        if actual:
            case.expected("results.yaml").write_text(actual + "\n")
    diff = _actual_diff(pkg, first)
    if diff:
        case.expected("diff.patch").write_text(diff + "\n")
