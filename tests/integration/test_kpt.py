"""kpt: the example packages under examples/kpt/, run with the real kpt.

Each package is a test case in the kpt function catalog's layout, checked by
``kpt_runner`` exactly as kpt's own e2e runner would check it: exit code, package diff
against ``.expected/diff.patch`` and results against ``.expected/results.yaml``, twice
(idempotence). ``image:`` functions run the real image, built from the Dockerfile, with
both of kpt's container runtimes: podman (``KPT_FN_RUNTIME=podman``) and its default, the
docker CLI (here against podman's Docker-compatible API). kpt runs a function container
with ``--network none --user nobody --security-opt=no-new-privileges --pull missing``
(kpt internal/fnruntime/container.go, v1.0.0-beta.56), so the locally built image is used
and nothing is pulled.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from . import kpt_runner
from .conftest import Runtime
from .support import EXAMPLES, IMAGE, REPO, load_all, load_file, run, tool_env

KPT_EXAMPLES = EXAMPLES / "kpt"
CASES = kpt_runner.scan(KPT_EXAMPLES)


def pipeline_functions(package: Path) -> list[dict]:
    pipeline = load_file(package / "Kptfile").get("pipeline") or {}
    return [*(pipeline.get("mutators") or []), *(pipeline.get("validators") or [])]


def uses_image(case: kpt_runner.Case) -> bool:
    return case.config.get("image") == IMAGE or any(f.get("image") for f in pipeline_functions(case.path))


def test_examples_follow_the_catalog_layout() -> None:
    """Every example is a package with a README, a .krmignore for .expected, and .expected/config.yaml;
    together they cover render with exec and image mutators, a validator, and eval."""
    assert CASES, "no kpt example packages found"
    for case in CASES:
        for name in ("Kptfile", "README.md", ".krmignore", ".expected/config.yaml"):
            assert (case.path / name).is_file(), f"{case.name} has no {name}"
        assert ".expected" in (case.path / ".krmignore").read_text().split(), case.name
        assert (case.path / ".expected/results.yaml").is_file(), f"{case.name} does not check its results"
    renders = [c for c in CASES if c.test_type == "render"]
    functions = [f for c in renders for f in pipeline_functions(c.path)]
    assert any(f.get("exec") == "fix-kserve-probes" for f in functions)
    assert any(f.get("image") == IMAGE for f in functions)
    assert any("configPath" in f for f in functions) and any("configMap" in f for f in functions)
    assert any("selectors" in f for f in functions) and any("exclude" in f for f in functions)
    assert any((load_file(c.path / "Kptfile").get("pipeline") or {}).get("validators") for c in renders)
    assert any(c.test_type == "eval" for c in CASES)
    assert any(int(c.config.get("exitCode") or 0) == 1 for c in CASES), "no example shows a failing validation"


EXEC_CASES = [c for c in CASES if not uses_image(c)]
IMAGE_CASES = [c for c in CASES if uses_image(c)]
EVAL_CASES = [c for c in CASES if c.test_type == "eval"]


@pytest.mark.parametrize("case", EXEC_CASES, ids=lambda c: c.name)
def test_example_package(case: kpt_runner.Case, kpt: str, fn_bin: Path, tmp_path: Path) -> None:
    """Exec-only packages need no container runtime: the environment has none (no docker, podman or
    DOCKER_HOST the tests set), and kpt finds fix-kserve-probes on PATH."""
    # kpt runs from an unrelated directory: nothing may depend on kpt's working directory.
    kpt_runner.run_case(case, kpt, tool_env(fn_bin), cwd=tmp_path)


@pytest.mark.parametrize("case", IMAGE_CASES, ids=lambda c: c.name)
def test_image_example_package(case: kpt_runner.Case, kpt: str, runtime: Runtime, tmp_path: Path) -> None:
    """``kpt fn render`` with an ``image:`` mutator runs the image and matches ``.expected/``."""
    kpt_runner.run_case(case, kpt, runtime.env, cwd=tmp_path)


def as_image_case(case: kpt_runner.Case, dest: Path) -> kpt_runner.Case:
    """The same eval package, with ``--image`` instead of ``--exec``: same diff, and the same results
    but for the function's name in them (kpt records ``image:`` or ``exec:``)."""
    shutil.copytree(case.path, dest)
    exec_sh = dest / ".expected/exec.sh"
    script = exec_sh.read_text()
    assert "--exec fix-kserve-probes" in script, case.name
    exec_sh.write_text(script.replace("--exec fix-kserve-probes", f"--image {IMAGE}"))
    results = dest / ".expected/results.yaml"
    text = results.read_text()
    assert "  - exec: fix-kserve-probes\n" in text, case.name
    results.write_text(text.replace("  - exec: fix-kserve-probes\n", f"  - image: {IMAGE}\n"))
    return kpt_runner.load(dest)


@pytest.mark.parametrize("case", EVAL_CASES, ids=lambda c: c.name)
def test_eval_with_the_image(case: kpt_runner.Case, kpt: str, runtime: Runtime, tmp_path: Path) -> None:
    """``kpt fn eval --image``: the eval packages give the same diff and results in the container as with
    ``--exec`` (a passing fix with arguments, and a validation that fails with exit code 1)."""
    image_case = as_image_case(case, tmp_path / case.name)
    if int(case.config.get("exitCode") or 0) and not runtime.keeps_exit_codes:
        # The engine loses the function's exit code (engine.PODMAN_RM_EXIT_BUG): kpt reports the error
        # result but passes. Checked as it is; the podman runtime checks the failure itself.
        package = shutil.copytree(case.path, tmp_path / "package", ignore=shutil.ignore_patterns(".expected"))
        proc = run([kpt, "fn", "eval", package, "--image", IMAGE, "--", "mode=validate"], env=runtime.env)
        assert proc.returncode == 0, "the engine keeps exit codes now: drop this branch"
        assert str(case.config["stdErr"]) in proc.stderr and f'[PASS] "{IMAGE}"' in proc.stderr
        return
    kpt_runner.run_case(image_case, kpt, runtime.env, cwd=tmp_path)


def test_render_of_an_exec_mutator_needs_allow_exec(kpt: str, fn_bin: Path, tmp_path: Path) -> None:
    """kpt refuses exec functions in a Kptfile unless --allow-exec is given (documented in the README)."""
    package = tmp_path / "mutator-exec"
    shutil.copytree(KPT_EXAMPLES / "mutator-exec", package)
    before = (package / "inferenceservices.yaml").read_bytes()
    proc = run([kpt, "fn", "render", package], env=tool_env(fn_bin))
    assert proc.returncode == 1
    assert "--allow-exec" in proc.stderr
    assert (package / "inferenceservices.yaml").read_bytes() == before


def test_kpt_fn_doc_shows_the_usage(kpt: str, runtime: Runtime) -> None:
    """``kpt fn doc --image`` runs the image with --help and no stdin (kpt commands/fn/doc/cmdfndoc.go)."""
    proc = run([kpt, "fn", "doc", "--image", IMAGE], env=runtime.env)
    assert proc.returncode == 0, proc.stderr
    assert "usage: fix-kserve-probes" in proc.stdout
    assert "--in-place" in proc.stdout


# --- the repository itself is a kpt package -------------------------------------------------

# What a checkout holds that kpt must skip, as .krmignore says; planted in the copy so the
# test fails if .krmignore stops covering it.
NON_KRM = {
    ".venv/lib/site-packages/pkg/data.yaml": "just: [some, data]\n",
    ".github/workflows/ci.yaml": "on: push\njobs: {}\n",
    ".pre-commit-config.yaml": "repos: []\n",
    "bench/out/run.yaml": "timings: [1, 2]\n",
    "tests/golden/some-case/input.yaml": "not: a resource\n",
}


def copy_repository(dest: Path) -> Path:
    """The repository's files as a fresh clone has them (no .git, no caches, no venv)."""
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis",
                                    ".mypy_cache", ".ruff_cache", ".import_linter_cache", "bench")
    shutil.copytree(REPO, dest, ignore=ignore)
    for relative, text in NON_KRM.items():
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        (dest / relative).write_text(text)
    return dest


def test_render_the_repository(kpt: str, runtime: Runtime, tmp_path: Path) -> None:
    """``kpt fn render --allow-exec`` at the repository root: every example package renders with its own
    pipeline, the root mutator fixes the rest, nothing that is not KRM is read, and a second run changes
    nothing."""
    repo = copy_repository(tmp_path / "repo")
    run(["git", "init", "-q"], cwd=repo)
    originals = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    quickstart = repo / "examples/quickstart/inferenceservice.yaml"
    assert b"exec:" in quickstart.read_bytes()

    proc = run([kpt, "fn", "render", "--allow-exec"], cwd=repo, env=runtime.env)
    assert proc.returncode == 0, proc.stderr
    # kpt renders subpackages depth-first, then the root package.
    assert 'Package "repo/examples/kpt/mutator-exec"' in proc.stderr
    assert 'Package "repo": ' in proc.stderr
    assert f'[PASS] "{IMAGE}"' in proc.stderr, "the image mutator of examples/kpt/mutator-image did not run"

    changed = {p.relative_to(repo).as_posix() for p, data in originals.items() if p.read_bytes() != data}
    assert changed, "rendering the repository changed nothing"
    assert all(path.startswith("examples/") for path in changed), changed
    assert not any("/.expected/" in path or path.endswith((".md", ".sh")) for path in changed), changed
    for relative in NON_KRM:
        assert (repo / relative).read_text() == NON_KRM[relative]
    fixed = {d["metadata"]["name"]: d for d in load_all(quickstart.read_text())}
    assert fixed["sklearn-iris"]["spec"]["predictor"]["model"]["readinessProbe"]["httpGet"] == {
        "path": "/v1/models/sklearn-iris", "port": 8080}

    after_first = {p: p.read_bytes() for p in originals}
    again = run([kpt, "fn", "render", "--allow-exec"], cwd=repo, env=runtime.env)
    assert again.returncode == 0, again.stderr
    assert {p for p in originals if p.read_bytes() != after_first[p]} == set(), "the second render changed files"



# --- read-only context: the config's context field -------------------------------------------

CONTEXT_CONFIG = """\
apiVersion: fn.kpt.dev/v1alpha1
kind: FixKServeProbes
metadata:
  name: fix
  annotations:
    config.kubernetes.io/local-config: "true"
spec:
  context: [cluster/runtime.yaml]
"""


def test_eval_reads_the_config_context_and_never_writes_it(kpt: str, fn_bin: Path, tmp_path: Path) -> None:
    """A cluster export kept out of the package (.krmignore) is read through the config's
    ``context``. kpt runs an exec function in kpt's own working directory (checked here by
    running from the package), so relative context paths are from there."""
    package = tmp_path / "pkg"
    (package / "cluster").mkdir(parents=True)
    base = EXAMPLES / "kustomize" / "base"
    shutil.copy(base / "inferenceservice.yaml", package / "inferenceservice.yaml")
    shutil.copy(base / "servingruntime.yaml", package / "cluster" / "runtime.yaml")
    (package / ".krmignore").write_text("cluster/\n")
    (package / "fn-config.yaml").write_text(CONTEXT_CONFIG)
    runtime_before = (package / "cluster" / "runtime.yaml").read_bytes()
    proc = run([kpt, "fn", "eval", ".", "--exec", "fix-kserve-probes", "--fn-config", "fn-config.yaml"],
               cwd=package, env=tool_env(fn_bin))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "read-only context" in proc.stdout + proc.stderr
    isvc = load_file(package / "inferenceservice.yaml")
    probe = isvc["spec"]["predictor"]["model"]["readinessProbe"]
    assert probe["httpGet"]["path"] == "/v1/models/fraud-detector" and "exec" not in probe
    assert (package / "cluster" / "runtime.yaml").read_bytes() == runtime_before
    elsewhere = run([kpt, "fn", "eval", str(package), "--exec", "fix-kserve-probes", "--fn-config",
                     str(package / "fn-config.yaml")], cwd=tmp_path, env=tool_env(fn_bin))
    assert elsewhere.returncode != 0 and "cluster/runtime.yaml: no such file" in elsewhere.stdout + elsewhere.stderr


def test_a_big_package_is_skimmed_and_evaluates_as_if_read_whole(kpt: str, fn_bin: Path, tmp_path: Path) -> None:
    """kpt's own ResourceList of 300 InferenceServices and 300 ConfigMaps (one file each,
    bench/generate.py): the function skims it (``--debug`` says so in kpt's output) and
    kpt gets exactly what reading every item gives."""
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    import generate

    package = tmp_path / "pkg"
    generate.write_kustomization(package, 300, 0.05, generate.SEED)
    (package / "kustomization.yaml").unlink()
    skimmed = tmp_path / "skimmed.sh"
    skimmed.write_text(f'#!/bin/sh\nexec "{fn_bin}" --debug "$@"\n')
    whole = tmp_path / "whole.sh"  # the same function with skimming off
    whole.write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "import sys; from fix_kserve_probes import engine; '
                     f'from fix_kserve_probes.cli.entry import main; engine.SKIM_FROM = sys.maxsize; '
                     f'sys.exit(main(sys.argv[1:]))" "$@"\n')
    for script in (skimmed, whole):
        script.chmod(0o755)
    runs = [run([kpt, "fn", "eval", package, "--exec", script, "-o", "stdout"], env=tool_env(fn_bin), timeout=300)
            for script in (skimmed, whole)]
    assert [r.returncode for r in runs] == [0, 0], [r.stderr[-2000:] for r in runs]
    assert "skimmed: 584 of 600 items checked by libyaml only, not read" in runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    out = runs[0].stdout
    assert (out.count("exec:"), out.count("httpGet:")) == (285, 15)  # the 15 with a logger are fixed, only they
