"""Helpers shared by the end-to-end tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXAMPLES = REPO / "examples"
# The one image name of the docs and examples (tests/test_release.py checks that they agree).
IMAGE_REPOSITORY = "ghcr.io/fix-kserve-probes/fix-kserve-probes"
IMAGE = f"{IMAGE_REPOSITORY}:v0.1.0"
CMP_IMAGE = f"{IMAGE}-argocd-cmp"  # the Dockerfile's argocd-cmp target
KUSTOMIZE_SHIM = HERE / "kustomize-shim"

# Variables that change how the function or the tools behave; the tests set what they need.
_SCRUB = ("LOG_TO_STDERR", "STRUCTURED_RESULTS", "FIX_KSERVE_PROBES_DEBUG", "FIX_KSERVE_PROBES_MAX_INPUT_BYTES",
          "FIX_KSERVE_PROBES", "FIX_KSERVE_PROBES_IMAGE", "KUSTOMIZE", "KPT_FN_RUNTIME",
          "DOCKER_HOST", "DOCKER_CONTEXT", "CONTAINER_HOST", "CONTAINERS_CONF", "PRE_COMMIT_HOME")


def installed_function() -> Path:
    """The ``fix-kserve-probes`` console script of the environment running the tests."""
    candidate = Path(sys.executable).parent / "fix-kserve-probes"
    if candidate.exists():
        return candidate
    found = shutil.which("fix-kserve-probes")
    if found is None:
        raise RuntimeError("fix-kserve-probes is not installed: pip install -e . first")
    return Path(found)


def tool_env(fn_bin: Path, *front: Path, **extra: str) -> dict[str, str]:
    """The caller's environment with ``front`` dirs and the function's dir first on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env["PATH"] = os.pathsep.join([*(str(p) for p in front), str(fn_bin.parent), env.get("PATH", os.defpath)])
    env.update(extra)
    return env


def run(argv: Sequence[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        input: str | None = None, timeout: float = 120, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, input=input, capture_output=True, text=True,
                          timeout=timeout, stdin=None if input is not None else subprocess.DEVNULL, check=False,
                          **kwargs)


def copy_example(name: str, dest: Path) -> Path:
    """Copy ``examples/<name>`` to ``dest`` (which must not exist) and return ``dest``."""
    shutil.copytree(EXAMPLES / name, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def load_all(text: str) -> list[Any]:
    """The documents of a YAML stream (empty documents dropped)."""
    return [d for d in YAML(typ="safe", pure=True).load_all(text) if d is not None]


def load_file(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text())


def by_kind_name(docs: Iterable[Any]) -> dict[tuple[str, str], Any]:
    out = {}
    for doc in docs:
        key = (doc["kind"], doc["metadata"]["name"])
        assert key not in out, f"duplicate {key}"
        out[key] = doc
    return out


def dig(doc: Any, path: str) -> Any:
    """``dig(isvc, "spec.predictor.containers.0.readinessProbe")``."""
    for step in path.split("."):
        doc = doc[int(step)] if isinstance(doc, list) else doc[step]
    return doc


def git_repo(path: Path) -> None:
    """Make ``path`` a git repository with everything in it committed (no global config needed)."""
    for argv in (["init", "-q"], ["add", "--all"],
                 ["-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "init"]):
        proc = run(["git", *argv], cwd=path)
        assert proc.returncode == 0, proc.stderr
