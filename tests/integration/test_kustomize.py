"""kustomize: examples/kustomize/, built with kubectl's built-in kustomize.

The container form runs the real image, built from the Dockerfile, through the docker
CLI, which kustomize always calls, against podman's Docker-compatible API. kustomize runs
``docker run --rm -i -a STDIN -a STDOUT -a STDERR --network none --user nobody
--security-opt=no-new-privileges -e LOG_TO_STDERR=true -e STRUCTURED_RESULTS=true IMAGE``
(kustomize kyaml/fn/runtime/container/container.go). The exec form needs the
standalone kustomize (``--enable-exec``), which these machines do not have; its test
skips without it, and the kubectl behaviour the README warns about (the exec function
is silently skipped) is checked instead.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import Runtime
from .support import IMAGE, by_kind_name, copy_example, dig, load_all, run, tool_env

ISVC = ("InferenceService", "fraud-detector")
RUNTIME = ("ServingRuntime", "fraud-xgbserver")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example("kustomize", tmp_path / "kustomize")


def build(kubectl: str, directory: Path, env: dict[str, str], *flags: str) -> Any:
    proc = run([kubectl, "kustomize", *flags, directory], env=env)
    return proc


def expected_fixed(base_docs: list[Any]) -> dict[tuple[str, str], Any]:
    """The base's output with exactly the edits the function makes (keepAsStartupProbe: true)."""
    docs = copy.deepcopy(by_kind_name(base_docs))
    model = dig(docs[ISVC], "spec.predictor.model")
    assert model["readinessProbe"]["exec"], "the example's InferenceService must start with an exec probe"
    model["startupProbe"] = {**model["readinessProbe"], "failureThreshold": 60}
    model["readinessProbe"] = {"httpGet": {"path": "/v1/models/fraud-detector", "port": 8080},
                               "initialDelaySeconds": 5, "periodSeconds": 10}
    container = dig(docs[RUNTIME], "spec.containers.0")
    assert container["readinessProbe"]["exec"], "the example's ServingRuntime must start with an exec probe"
    container["startupProbe"] = {**container["readinessProbe"], "failureThreshold": 60}
    # {{.Name}} is filled in by KServe for each InferenceService that uses the runtime.
    container["readinessProbe"] = {"httpGet": {"path": "/v1/models/{{.Name}}", "port": 8080}, "periodSeconds": 10}
    return docs


def test_container_form(kubectl: str, example: Path, docker_api: Runtime) -> None:
    """`kubectl kustomize --enable-alpha-plugins` runs the image: the probes of the InferenceService and its
    ServingRuntime are rewritten, the old checks kept as startupProbes, and nothing else changes."""
    assert IMAGE in (example / "container/fix-kserve-probes.yaml").read_text()
    base = build(kubectl, example / "base", docker_api.env)
    assert base.returncode == 0, base.stderr
    proc = build(kubectl, example / "container", docker_api.env, "--enable-alpha-plugins")
    assert proc.returncode == 0, proc.stderr
    assert by_kind_name(load_all(proc.stdout)) == expected_fixed(load_all(base.stdout))
    # No warnings for this example: only the summary (kustomize shows stderr, not results).
    assert [line for line in proc.stderr.splitlines() if "fix-kserve-probes" in line] == [
        "fix-kserve-probes: fixed 2 readinessProbes in 1 InferenceService and 1 ServingRuntime"]


def test_container_form_reports_warnings_on_stderr(kubectl: str, example: Path, docker_api: Runtime) -> None:
    """kustomize discards results, so the function prints warnings on stderr (kustomize passes
    LOG_TO_STDERR=true), and kustomize shows them."""
    kustomization = example / "base/kustomization.yaml"
    kustomization.write_text(kustomization.read_text().replace("  - servingruntime.yaml\n", ""))
    proc = build(kubectl, example / "container", docker_api.env, "--enable-alpha-plugins")
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("fix-kserve-probes: [warning]")]
    # The missing runtime, and (issue 10) the port it then has to assume, which is never silent.
    assert len(warnings) == 2, proc.stderr
    assert "InferenceService/fraud/fraud-detector" in warnings[0] and "fraud-xgbserver" in warnings[0]
    assert "assumed 8080, KServe's default" in warnings[1]
    assert proc.stderr.splitlines()[-1].endswith("fix-kserve-probes: fixed 1 readinessProbe in 1 InferenceService; 2 warnings")
    # Without its runtime the server is unknown: the probe is still fixed (tcpSocket).
    isvc = by_kind_name(load_all(proc.stdout))[ISVC]
    assert "exec" not in dig(isvc, "spec.predictor.model.readinessProbe")


def test_container_form_config_error_fails_the_build(kubectl: str, example: Path,
                                                     docker_api: Runtime) -> None:
    """An invalid config stops the build; the function's one-line error names the field."""
    config = example / "container/fix-kserve-probes.yaml"
    config.write_text(config.read_text().replace("keepAsStartupProbe: true", "stratgy: tcp"))
    proc = build(kubectl, example / "container", docker_api.env, "--enable-alpha-plugins")
    assert "fix-kserve-probes: error: invalid function config: spec.stratgy: unknown field 'stratgy'" in proc.stderr
    assert "did you mean 'strategy'?" in proc.stderr
    if not docker_api.keeps_exit_codes:
        # The engine loses the function's exit code (engine.PODMAN_RM_EXIT_BUG), so kustomize cannot know
        # that it failed: the build "succeeds" with the probes unfixed, and only the error line on stderr
        # tells. The README's kustomize section warns about it. With Docker, or podman >= 4.6, it fails:
        assert proc.returncode == 0, "the engine keeps exit codes now: drop this branch"
        assert "exec" in dig(by_kind_name(load_all(proc.stdout))[ISVC], "spec.predictor.model.readinessProbe")
        return
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert "couldn't execute function" in proc.stderr


def test_container_form_needs_enable_alpha_plugins(kubectl: str, example: Path, fn_bin: Path) -> None:
    """Without the flag kustomize refuses before it starts any container (no engine is reachable here)."""
    proc = build(kubectl, example / "container", tool_env(fn_bin))
    assert proc.returncode != 0
    assert "external plugins disabled" in proc.stderr


def test_kubectl_kustomize_silently_skips_the_exec_form(kubectl: str, example: Path, fn_bin: Path) -> None:
    """What the README warns about: kubectl kustomize has no --enable-exec, and with
    --enable-alpha-plugins an exec-only function is skipped without a word."""
    env = tool_env(fn_bin)
    base = build(kubectl, example / "base", env)
    proc = build(kubectl, example / "exec", env, "--enable-alpha-plugins")
    assert proc.returncode == 0, proc.stderr
    assert load_all(proc.stdout) == load_all(base.stdout), "kubectl kustomize ran the exec function"
    assert "exec" in dig(by_kind_name(load_all(proc.stdout))[ISVC], "spec.predictor.model.readinessProbe")
    flag = build(kubectl, example / "exec", env, "--enable-alpha-plugins", "--enable-exec")
    assert flag.returncode != 0
    assert "unknown flag: --enable-exec" in flag.stderr


def test_no_fallback_from_container_to_exec(kubectl: str, example: Path, docker_api: Runtime) -> None:
    """With both `container` and `exec` in one config, kustomize always picks the container: when the
    image cannot run, the build fails instead of falling back to exec (kustomize kyaml/runfn/runfn.go),
    though fix-kserve-probes is on PATH."""
    absent = "localhost:1/fix-kserve-probes/absent:v0"  # no such image, and no registry to pull it from
    config = example / "container/fix-kserve-probes.yaml"
    config.write_text(config.read_text().replace(
        "      container:\n", "      exec:\n        path: fix-kserve-probes\n      container:\n").replace(IMAGE, absent))
    proc = build(kubectl, example / "container", docker_api.env, "--enable-alpha-plugins")
    assert proc.returncode != 0
    assert f"Unable to find image '{absent}' locally" in proc.stderr
    assert proc.stdout == ""
    standalone = shutil.which("kustomize")
    if standalone:
        again = run([standalone, "build", "--enable-alpha-plugins", "--enable-exec", example / "container"],
                    env=docker_api.env)
        assert again.returncode != 0


def test_exec_form_with_standalone_kustomize(example: Path, fn_bin: Path) -> None:
    standalone = shutil.which("kustomize")
    if standalone is None:
        pytest.skip("no standalone kustomize on PATH: `kubectl kustomize` cannot run exec functions")
    env = tool_env(fn_bin)
    base = run([standalone, "build", example / "base"], env=env)
    proc = run([standalone, "build", "--enable-alpha-plugins", "--enable-exec", example / "exec"], env=env)
    assert proc.returncode == 0, proc.stderr
    assert by_kind_name(load_all(proc.stdout)) == expected_fixed(load_all(base.stdout))
