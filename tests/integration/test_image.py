"""The function image, built from the Dockerfile's default target with podman (engine.py).

It must run the way kpt, kustomize and the docs run it (as nobody, read-only, with no
network and no new privileges) and give exactly what the installed command gives on the
same input, byte for byte, stderr and exit code included.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from . import engine
from .support import EXAMPLES, REPO, tool_env

GOLDEN = REPO / "tests/golden"
GOLDEN_CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.yaml").is_file())
HARDENED = ["--read-only", "--network", "none", "--user", "65534:65534", "--security-opt=no-new-privileges"]


def in_image(image: str, *args: str | Path, stdin: bytes | None = None, mounts: tuple[Path, ...] = ()) -> \
        subprocess.CompletedProcess[bytes]:
    volumes = [f"-v={p}:{p}:ro" for p in mounts]
    return engine.podman("run", "--rm", "-i", *HARDENED, *volumes, image, *args, input=stdin or b"")


def installed(fn_bin: Path, *args: str | Path, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    # The image's working directory is / and its environment holds no function settings.
    return subprocess.run([fn_bin, *args], input=stdin, capture_output=True, cwd="/", env=tool_env(fn_bin),
                          timeout=120, check=False)


def test_image_runs_as_nobody(function_image: str) -> None:
    config = engine.inspect(function_image)["Config"]
    assert config["User"].split(":")[0] == "65534"
    assert config["Entrypoint"] == ["fix-kserve-probes"]
    proc = engine.podman("run", "--rm", "--network", "none", "--entrypoint", "id", function_image)
    assert proc.stdout.split()[:2] == ["uid=65534(nobody)", "gid=65534(nogroup)"], proc.stderr


def test_image_labels(function_image: str, fn_bin: Path) -> None:
    """OCI labels: the source repository, the package's version and its licence."""
    labels = engine.inspect(function_image)["Config"]["Labels"]
    version = subprocess.run([fn_bin, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
    licence = re.search(r'(?m)^license = "([^"]+)"$', (REPO / "pyproject.toml").read_text())
    assert licence
    assert labels["org.opencontainers.image.version"] == version
    assert labels["org.opencontainers.image.licenses"] == licence.group(1)
    assert labels["org.opencontainers.image.source"] == "https://github.com/fix-kserve-probes/fix-kserve-probes"


def test_no_pip_and_no_build_backend_in_the_venv(function_image: str) -> None:
    script = ("import importlib.util, os, sys; "
              "print([m for m in ('pip', 'setuptools', 'wheel') if importlib.util.find_spec(m)]); "
              "print(sorted(f for f in os.listdir('/opt/fn/bin') if f.startswith(('pip', 'wheel'))))")
    proc = engine.podman("run", "--rm", *HARDENED, "--entrypoint", "/opt/fn/bin/python", function_image, "-c", script)
    assert (proc.returncode, proc.stdout.splitlines()) == (0, ["[]", "[]"]), proc.stderr


@pytest.mark.parametrize("name", GOLDEN_CASES)
def test_output_equals_the_installed_command(name: str, function_image: str, fn_bin: Path) -> None:
    """Every golden case, through the hardened container and through the installed command."""
    case = GOLDEN / name
    args: list[str | Path] = ["--config", case / "config.yaml"] if (case / "config.yaml").is_file() else []
    data = (case / "input.yaml").read_bytes()
    got = in_image(function_image, *args, stdin=data, mounts=(case,) if args else ())
    want = installed(fn_bin, *args, stdin=data)
    assert (got.returncode, got.stdout, got.stderr.decode()) == (want.returncode, want.stdout, want.stderr.decode())
    assert got.stdout, "no output"


@pytest.mark.parametrize("stdin", [b"", b"kind: [unclosed\n", b"\x00\x01 binary"], ids=["empty", "bad-yaml", "binary"])
def test_failures_equal_the_installed_command(stdin: bytes, function_image: str, fn_bin: Path) -> None:
    got = in_image(function_image, stdin=stdin)
    want = installed(fn_bin, stdin=stdin)
    assert got.returncode == want.returncode == 1
    assert (got.stdout, got.stderr) == (want.stdout, want.stderr)


def test_files_mode_and_check_in_the_image(function_image: str, fn_bin: Path) -> None:
    """Paths mounted read-only: the rewritten stream on stdout, and --check's exit code 1."""
    quickstart = EXAMPLES / "quickstart"
    got = in_image(function_image, quickstart, mounts=(quickstart,))
    want = installed(fn_bin, quickstart, stdin=b"")
    assert got.returncode == want.returncode == 0, got.stderr
    assert (got.stdout, got.stderr) == (want.stdout, want.stderr)
    assert b"httpGet:" in got.stdout
    check = in_image(function_image, "--check", quickstart, mounts=(quickstart,))
    assert check.returncode == 1


def test_the_build_context_is_the_allowlist(base_image: str, tmp_path: Path) -> None:
    """.dockerignore keeps everything but what the Dockerfile copies out of the context (no .git, .venv,
    tests or caches reach the builder)."""
    containerfile = tmp_path / "Containerfile"
    containerfile.write_text(f"FROM {base_image}\nCOPY . /ctx\n")
    tag = "localhost/fix-kserve-probes-test-context:latest"
    engine.build(tag, dockerfile=containerfile, what="a copy of the build context")
    try:
        proc = engine.podman("run", "--rm", "--network", "none", tag, "find", "/ctx", "-mindepth", "1")
    finally:
        engine.podman("rmi", "-f", tag)
    assert proc.returncode == 0, proc.stderr
    files = {line.removeprefix("/ctx/") for line in proc.stdout.splitlines()}
    top = {f for f in files if "/" not in f}
    assert top == {"pyproject.toml", "README.md", "requirements", "fn", "examples"}
    assert {f for f in files if f.startswith("requirements/")} == {"requirements/build.txt", "requirements/runtime.txt"}
    assert {f for f in files if f.startswith("examples/")} == {"examples/argocd", "examples/argocd/plugin.yaml"}
    assert not [f for f in files if "__pycache__" in f or f.endswith((".pyc", ".egg-info"))]
    assert any(f.startswith("fn/fix_kserve_probes/") and f.endswith(".py") for f in files)
