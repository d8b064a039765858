"""pre-commit: the hook in .pre-commit-hooks.yaml, run by the pre-commit package itself.

The hook repository is a throwaway git repository holding this working tree's package
(pyproject.toml, README.md, fn/) and .pre-commit-hooks.yaml, committed, so the test
sees uncommitted changes too. The project under test is another throwaway repository
with examples/pre-commit/.pre-commit-config.yaml, its repo and rev pointed at the hook
repository. pre-commit installs the hook (``language: python``) with pip into its own
virtualenv, once per module (PRE_COMMIT_HOME is shared), which needs the package index;
without one the tests skip.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from .support import EXAMPLES, REPO, git_repo, load_all, load_file, run

BROKEN = (EXAMPLES / "quickstart/inferenceservice.yaml").read_text()
HOOKS = load_file(REPO / ".pre-commit-hooks.yaml")
NETWORK_ERRORS = ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable",
                  "Max retries exceeded", "No matching distribution found", "Could not find a version")


def pre_commit() -> str:
    candidate = Path(sys.executable).parent / "pre-commit"
    found = str(candidate) if candidate.exists() else shutil.which("pre-commit")
    if found is None:
        pytest.skip("the pre-commit package is not installed (requirements/test.txt has it)")
    return found


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository with the package and its .pre-commit-hooks.yaml, as users' pre-commit clones it."""
    path = tmp_path_factory.mktemp("hook-repo")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(REPO / name, path / name)
    shutil.copytree(REPO / "fn", path / "fn", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    git_repo(path)
    return path, run(["git", "rev-parse", "HEAD"], cwd=path).stdout.strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


class Project:
    def __init__(self, path: Path, env: dict[str, str], exe: str) -> None:
        self.path, self.env, self.exe = path, env, exe

    def pre_commit(self, *args: str) -> Any:
        proc = run([self.exe, *args], cwd=self.path, env=self.env, timeout=600)
        output = proc.stdout + proc.stderr
        log = Path(self.env["PRE_COMMIT_HOME"]) / "pre-commit.log"
        details = log.read_text() if log.exists() else ""
        if "Installing environment" in output and proc.returncode != 0 and any(
                e in output + details for e in NETWORK_ERRORS):
            pytest.skip("pre-commit could not install the hook: no package index reachable")
        return proc

    def configure(self, hook_repo: tuple[Path, str], **hook: Any) -> None:
        """examples/pre-commit/.pre-commit-config.yaml with repo/rev pointed at the throwaway hook repo."""
        text = (EXAMPLES / "pre-commit/.pre-commit-config.yaml").read_text()
        text = text.replace("https://github.com/fix-kserve-probes/fix-kserve-probes", str(hook_repo[0]))
        text = text.replace("rev: v0.1.0", f"rev: {hook_repo[1]}")
        for key, value in hook.items():
            if f"\n        {key}: " in text:  # the example sets it: replace its line
                text = re.sub(rf"(?m)^        {key}: .*$", lambda _, k=key, v=value: f"        {k}: {v}", text)
            else:
                text = text.replace("        files: ^(deploy|manifests)/\n",
                                    f"        files: ^(deploy|manifests)/\n        {key}: {value}\n")
        (self.path / ".pre-commit-config.yaml").write_text(text)
        run(["git", "add", ".pre-commit-config.yaml"], cwd=self.path)

    def read(self, name: str) -> str:
        return (self.path / name).read_text()


FIXED = BROKEN.replace('''        exec:
          command: ["test", "-f", "/mnt/models/model.joblib"]
''', '''        httpGet:
          path: /v1/models/sklearn-iris
          port: 8080
''')
NOT_KRM = {
    "manifests/kustomization.yaml": "resources: [broken.yaml, fixed.yaml]\n",
    ".github/workflows/ci.yaml": "on: push\njobs: {}\n",
    "notes.txt": "exec: probes are bad\n",
}


@pytest.fixture
def project(tmp_path: Path, pre_commit_home: Path) -> Project:
    path = tmp_path / "project"
    (path / "manifests").mkdir(parents=True)
    (path / "manifests/broken.yaml").write_text(BROKEN)
    (path / "manifests/fixed.yaml").write_text(FIXED)
    for name, text in NOT_KRM.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    git_repo(path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    env.update(PRE_COMMIT_HOME=str(pre_commit_home), PIP_DEFAULT_TIMEOUT="30", GIT_AUTHOR_NAME="test",
               GIT_AUTHOR_EMAIL="test@example.com", GIT_COMMITTER_NAME="test", GIT_COMMITTER_EMAIL="test@example.com")
    return Project(path, env, pre_commit())


def hook_block(output: str) -> str:
    return output[output.index("fix-kserve-probes."):]


def test_hook_manifest() -> None:
    """One python hook in files mode, --check by default, on YAML and JSON."""
    (hook,) = HOOKS
    assert hook["id"] == "fix-kserve-probes" and hook["language"] == "python"
    assert hook["entry"] == "fix-kserve-probes" and hook["args"] == ["--check"]
    assert hook["require_serial"] is True  # one process sees every staged file: one input
    assert set(hook["types_or"]) == {"yaml", "json"}
    excluded = re.compile(hook["exclude"])
    assert all(excluded.search(p) for p in ("apps/kustomization.yaml", ".github/workflows/ci.yaml",
                                            "chart/values-prod.yaml", "pkg/.expected/config.yaml"))
    assert not any(excluded.search(p) for p in ("deploy/isvc.yaml", "manifests/runtime.yml", "m/isvc.json"))
    assert load_all((EXAMPLES / "pre-commit/.pre-commit-config.yaml").read_text())[0]["repos"][0]["hooks"][0]["id"] \
        == hook["id"]


def test_check_fails_on_a_broken_probe(project: Project, hook_repo: tuple[Path, str]) -> None:
    """--check: fails naming the broken manifest, changes nothing, and never sees the non-KRM YAML."""
    project.configure(hook_repo)
    before = {p: project.read(p) for p in ("manifests/broken.yaml", "manifests/fixed.yaml", *NOT_KRM)}
    proc = project.pre_commit("run", "--all-files")
    out = hook_block(proc.stdout)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Failed" in out and "- exit code: 1" in out
    assert "manifests/broken.yaml would change" in out
    assert "fixed.yaml would change" not in out
    assert "error" not in out, "the hook was given a file that is not a Kubernetes manifest"
    assert {p: project.read(p) for p in before} == before


def test_check_passes_when_the_probes_are_fixed(project: Project, hook_repo: tuple[Path, str]) -> None:
    (project.path / "manifests/broken.yaml").write_text(FIXED)
    project.configure(hook_repo)
    proc = project.pre_commit("run", "--all-files")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"fix-kserve-probes\.+Passed", proc.stdout)


def test_in_place_fixes_the_file(project: Project, hook_repo: tuple[Path, str]) -> None:
    """args: [--in-place]: the file is rewritten (only the probe), pre-commit reports the modification,
    and the next run passes."""
    project.configure(hook_repo, args="[--in-place, --context, manifests]")
    fixed_before = project.read("manifests/fixed.yaml")
    proc = project.pre_commit("run", "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "files were modified by this hook" in proc.stdout
    assert project.read("manifests/broken.yaml") == FIXED
    assert project.read("manifests/fixed.yaml") == fixed_before
    run(["git", "add", "manifests"], cwd=project.path)
    again = project.pre_commit("run", "--all-files")
    assert again.returncode == 0, again.stdout + again.stderr


def test_blocks_a_commit(project: Project, hook_repo: tuple[Path, str]) -> None:
    """Installed as a git hook, it stops a commit that stages a broken manifest, and lets a fixed one in."""
    project.configure(hook_repo)
    run(["git", "commit", "-q", "-m", "config"], cwd=project.path, env=project.env)
    assert project.pre_commit("install").returncode == 0
    (project.path / "manifests/new.yaml").write_text(BROKEN.replace("sklearn-iris", "new-model"))
    run(["git", "add", "manifests/new.yaml"], cwd=project.path)
    blocked = run(["git", "commit", "-m", "add a model"], cwd=project.path, env=project.env, timeout=600)
    assert blocked.returncode != 0
    assert "manifests/new.yaml would change" in blocked.stdout + blocked.stderr
    (project.path / "manifests/new.yaml").write_text(FIXED.replace("sklearn-iris", "new-model"))
    run(["git", "add", "manifests/new.yaml"], cwd=project.path)
    allowed = run(["git", "commit", "-m", "add a model"], cwd=project.path, env=project.env, timeout=600)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


SPLIT = EXAMPLES / "kustomize" / "base"


def agent_handlers(project: Project) -> list[str]:
    """The handlers of the probe the agent reads once KServe merges the InferenceService's
    model container over the runtime's kserve-container."""
    from merged import handlers

    isvc = load_file(project.path / "manifests/inferenceservice.yaml")
    runtime = load_file(project.path / "manifests/servingruntime.yaml")
    container = next(c for c in runtime["spec"]["containers"] if c["name"] == "kserve-container")
    return handlers(container, isvc["spec"]["predictor"]["model"])


def split_project(project: Project) -> None:
    for name in ("inferenceservice.yaml", "servingruntime.yaml"):
        shutil.copy(SPLIT / name, project.path / "manifests" / name)
    (project.path / "manifests/broken.yaml").unlink()
    run(["git", "add", "-A"], cwd=project.path)


def test_a_split_file_repository_fails_then_passes_after_in_place(project: Project,
                                                                  hook_repo: tuple[Path, str]) -> None:
    """The InferenceService and its runtime in two files: --check fails naming both, with no
    false "not in the input"; --in-place fixes both so that the merged probe has one handler."""
    split_project(project)
    project.configure(hook_repo)
    proc = project.pre_commit("run", "--all-files")
    out = hook_block(proc.stdout)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "manifests/inferenceservice.yaml would change" in out and "manifests/servingruntime.yaml would change" in out
    assert "not in the input" not in out
    assert agent_handlers(project) == ["exec"]
    project.configure(hook_repo, args="[--in-place, --context, manifests]")
    assert project.pre_commit("run", "--all-files").returncode == 1  # files were modified
    assert agent_handlers(project) == ["httpGet"]
    run(["git", "add", "-A"], cwd=project.path)
    again = project.pre_commit("run", "--all-files")
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_staged_inferenceservice_sees_the_committed_runtime(project: Project, hook_repo: tuple[Path, str]) -> None:
    """pre-commit passes only the staged file; --context manifests shows it the runtime."""
    split_project(project)
    project.configure(hook_repo)
    run(["git", "commit", "-q", "--no-verify", "-m", "manifests"], cwd=project.path, env=project.env)
    assert project.pre_commit("install").returncode == 0
    isvc = project.path / "manifests/inferenceservice.yaml"
    isvc.write_text(isvc.read_text().replace("periodSeconds: 10", "periodSeconds: 15"))
    run(["git", "add", str(isvc)], cwd=project.path)
    blocked = run(["git", "commit", "-m", "tune"], cwd=project.path, env=project.env, timeout=600)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0
    assert "manifests/inferenceservice.yaml would change" in output
    assert "servingruntime.yaml would change" not in output  # not staged: context only
    assert "not in the input" not in output and "read-only context" in output
