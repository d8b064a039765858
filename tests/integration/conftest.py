"""Fixtures for the end-to-end tests that drive kpt, kustomize, Argo CD's plugin commands,
the Flux hydration script and pre-commit against the examples.

Every test works on a copy of an example in a temporary directory; none of them
changes the working tree. The stand-in ``docker`` (``bin/docker``) and ``kustomize``
(``kustomize-shim/kustomize``) are put on PATH only inside these tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .support import IMAGE, STANDIN_BIN, StandinDocker, installed_function, tool_env


@pytest.fixture(scope="session")
def fn_bin() -> Path:
    return installed_function()


@pytest.fixture(scope="session")
def kpt() -> str:
    path = shutil.which("kpt")
    if path is None:
        pytest.skip("kpt is not on PATH (install kpt 1.0 to run the kpt end-to-end tests)")
    return path


@pytest.fixture(scope="session")
def kubectl() -> str:
    path = shutil.which("kubectl")
    if path is None:
        pytest.skip("kubectl is not on PATH (its built-in kustomize drives the kustomize tests)")
    return path


@pytest.fixture
def standin_docker(tmp_path: Path, fn_bin: Path) -> StandinDocker:
    """The stand-in docker first on PATH, running the installed function for our image."""
    log = tmp_path / "docker-calls.jsonl"
    env = tool_env(fn_bin, STANDIN_BIN, FKP_STANDIN_FN=str(fn_bin), FKP_STANDIN_LOG=str(log), FKP_STANDIN_IMAGE=IMAGE)
    return StandinDocker(log, env)
