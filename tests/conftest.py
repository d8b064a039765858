"""Shared fixtures: the read-only ../shared material and small builders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# ../shared beside the checkout; a clone elsewhere on a developer or CI machine finds
# the machine's copy at /work/shared.
_CANDIDATES = [Path(p) for p in (os.environ.get("FIX_KSERVE_PROBES_SHARED"),) if p] + [REPO.parent / "shared", Path("/work/shared")]
SHARED = next((p for p in _CANDIDATES if (p / "kserve").is_dir()), _CANDIDATES[0])


@pytest.fixture
def shared() -> Path:
    """../shared (KServe CRDs, runtimes, samples, captured kpt inputs).

    CI always has it; a user's clone may not, and then these tests skip with a reason.
    """
    if not (SHARED / "kserve").is_dir():
        pytest.skip(f"{SHARED} is absent (it ships beside the repo for developers and CI only)")
    return SHARED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Issue 5's figures (bad inputs run, fuzz examples run), counted by tests/badinput_helpers.py."""
    helpers = sys.modules.get("badinput_helpers")  # imported only if those tests ran
    lines = helpers.summary() if helpers is not None else []
    if lines:
        terminalreporter.section("hostile input")
        for line in lines:
            terminalreporter.write_line(line)
