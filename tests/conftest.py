"""Shared fixtures: the read-only ../shared material and small builders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FIX_KSERVE_PROBES_SHARED", REPO.parent / "shared"))


@pytest.fixture
def shared() -> Path:
    """../shared (KServe CRDs, runtimes, samples, captured kpt inputs).

    CI always has it; a user's clone may not, and then these tests skip with a reason.
    """
    if not (SHARED / "kserve").is_dir():
        pytest.skip(f"{SHARED} is absent (it ships beside the repo for developers and CI only)")
    return SHARED
