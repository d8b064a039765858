"""kustomize: examples/kustomize/, built with kubectl's built-in kustomize.

The container form runs through the stand-in docker, which checks the image and runs
the installed function with the flags kustomize passes. The exec form needs the
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

from .support import IMAGE, StandinDocker, by_kind_name, copy_example, dig, load_all, run, tool_env

# kustomize kyaml/fn/runtime/container/container.go: how kustomize runs a container function.
KUSTOMIZE_DOCKER_RUN = ["--rm", "-i", "-a", "STDIN", "-a", "STDOUT", "-a", "STDERR", "--network", "none",
                        "--user", "nobody", "--security-opt=no-new-privileges",
                        "-e", "LOG_TO_STDERR=true", "-e", "STRUCTURED_RESULTS=true", IMAGE]
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


def test_container_form(kubectl: str, example: Path, standin_docker: StandinDocker) -> None:
    """`kubectl kustomize --enable-alpha-plugins` runs the image: the probes of the InferenceService and its
    ServingRuntime are rewritten, the old checks kept as startupProbes, and nothing else changes."""
    base = build(kubectl, example / "base", standin_docker.env)
    assert base.returncode == 0, base.stderr
    proc = build(kubectl, example / "container", standin_docker.env, "--enable-alpha-plugins")
    assert proc.returncode == 0, proc.stderr
    assert by_kind_name(load_all(proc.stdout)) == expected_fixed(load_all(base.stdout))
    assert "fix-kserve-probes" not in proc.stderr, "no warnings expected for this example"
    calls = standin_docker.calls("run")
    assert [c["argv"] for c in calls] == [KUSTOMIZE_DOCKER_RUN]


def test_container_form_reports_warnings_on_stderr(kubectl: str, example: Path, standin_docker: StandinDocker) -> None:
    """kustomize discards results, so the function prints warnings on stderr (kustomize passes
    LOG_TO_STDERR=true), and kustomize shows them."""
    kustomization = example / "base/kustomization.yaml"
    kustomization.write_text(kustomization.read_text().replace("  - servingruntime.yaml\n", ""))
    proc = build(kubectl, example / "container", standin_docker.env, "--enable-alpha-plugins")
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("fix-kserve-probes: [warning]")]
    # The missing runtime, and (issue 10) the port it then has to assume, which is never silent.
    assert len(warnings) == 2, proc.stderr
    assert "InferenceService/fraud/fraud-detector" in warnings[0] and "fraud-xgbserver" in warnings[0]
    assert "assumed 8080, KServe's default" in warnings[1]
    # Without its runtime the server is unknown: the probe is still fixed (tcpSocket).
    isvc = by_kind_name(load_all(proc.stdout))[ISVC]
    assert "exec" not in dig(isvc, "spec.predictor.model.readinessProbe")


def test_container_form_config_error_fails_the_build(kubectl: str, example: Path,
                                                     standin_docker: StandinDocker) -> None:
    """An invalid config stops the build; the function's one-line error names the field."""
    config = example / "container/fix-kserve-probes.yaml"
    config.write_text(config.read_text().replace("keepAsStartupProbe: true", "stratgy: tcp"))
    proc = build(kubectl, example / "container", standin_docker.env, "--enable-alpha-plugins")
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert "couldn't execute function" in proc.stderr
    assert "fix-kserve-probes: error: invalid function config: spec.stratgy: unknown field 'stratgy'" in proc.stderr
    assert "did you mean 'strategy'?" in proc.stderr


def test_container_form_needs_enable_alpha_plugins(kubectl: str, example: Path, standin_docker: StandinDocker) -> None:
    proc = build(kubectl, example / "container", standin_docker.env)
    assert proc.returncode != 0
    assert "external plugins disabled" in proc.stderr
    assert standin_docker.calls("run") == []


def test_kubectl_kustomize_silently_skips_the_exec_form(kubectl: str, example: Path,
                                                       standin_docker: StandinDocker) -> None:
    """What the README warns about: kubectl kustomize has no --enable-exec, and with
    --enable-alpha-plugins an exec-only function is skipped without a word."""
    base = build(kubectl, example / "base", standin_docker.env)
    proc = build(kubectl, example / "exec", standin_docker.env, "--enable-alpha-plugins")
    assert proc.returncode == 0, proc.stderr
    assert load_all(proc.stdout) == load_all(base.stdout), "kubectl kustomize ran the exec function"
    assert "exec" in dig(by_kind_name(load_all(proc.stdout))[ISVC], "spec.predictor.model.readinessProbe")
    flag = build(kubectl, example / "exec", standin_docker.env, "--enable-alpha-plugins", "--enable-exec")
    assert flag.returncode != 0
    assert "unknown flag: --enable-exec" in flag.stderr


def test_no_fallback_from_container_to_exec(kubectl: str, example: Path, standin_docker: StandinDocker) -> None:
    """With both `container` and `exec` in one config, kustomize always picks the container: when the
    image cannot run, the build fails instead of falling back to exec (kustomize kyaml/runfn/runfn.go)."""
    config = example / "container/fix-kserve-probes.yaml"
    config.write_text(config.read_text().replace(
        "      container:\n", "      exec:\n        path: fix-kserve-probes\n      container:\n"))
    env = dict(standin_docker.env, FKP_STANDIN_IMAGE="ghcr.io/example/other:v1")  # our image "is not there"
    proc = build(kubectl, example / "container", env, "--enable-alpha-plugins")
    assert proc.returncode != 0
    assert "Unable to find image" in proc.stderr
    assert [c["image"] for c in standin_docker.calls("run")] == [IMAGE]
    standalone = shutil.which("kustomize")
    if standalone:
        again = run([standalone, "build", "--enable-alpha-plugins", "--enable-exec", example / "container"], env=env)
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
