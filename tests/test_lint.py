"""Strict typing and lint stay clean (the house style: typed everywhere, ruff-clean)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=REPO, capture_output=True, text=True, check=False)


def test_mypy_strict_on_the_package() -> None:
    proc = run("mypy", "--no-incremental")  # files and strictness from pyproject.toml
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_on_package_bench_and_tests() -> None:
    proc = run("ruff", "check", "--no-cache", "fn", "bench", "tests")
    assert proc.returncode == 0, proc.stdout + proc.stderr
