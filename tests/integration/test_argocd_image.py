"""Argo CD: the sidecar image (the Dockerfile's argocd-cmp target), with the plugin run inside it.

argocd-cmp-server, the sidecar's entrypoint, comes from Argo CD's repo-server at run time,
so the tests do what it does with the plugin.yaml baked into the image (argo-cd
cmpserver/plugin/plugin.go): ``init`` then ``generate``, each as
``exec(command[0], command[1:] + args)`` with no shell of its own, as uid 999, in the
application's directory under the server's work directory in /tmp, with the image's
environment plus the variables the repo-server sends (ARGOCD_APP_*, PARAM_*, ...).

kustomize inside the image is the stand-in described in conftest.py's ``cmp_image`` (no
kustomize image can be pulled and no standalone kustomize exists here; kubectl has
kustomize built in), so the machine's kubectl is mounted read-only at
/usr/local/bin/kubectl, where the stand-in finds it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from . import engine
from .support import EXAMPLES
from .test_argocd import (
    APPLICATION,
    ARGOCD,
    ARGOCD_UID,
    HTTP,
    PLUGIN,
    Sidecar,
    assert_logs_only,
    assert_only_manifests,
    kustomize_docs,
    with_probe,
)
from .test_argocd import (
    by_kind_name as by_kind_name,
)

WORKDIR = "/tmp/_cmp_server/3c4f2a9e-7d1b-4e0a-9f8e-2b6c5d4a3e1f"  # argocd-cmp-server: one per request
APP = f"{WORKDIR}/examples/argocd/app"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The application's repository as the server unpacks it, owned by the sidecar's user."""
    root = tmp_path / "repo"
    shutil.copytree(ARGOCD / "app", root / "examples/argocd/app")
    for path in [root, *root.rglob("*")]:
        os.chown(path, ARGOCD_UID, ARGOCD_UID)
    return root


def plugin_command(image: str, repo: Path, name: str, **params: str) -> subprocess.CompletedProcess[str]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is needed for the kustomize stand-in"
    spec = PLUGIN["spec"][name]
    command = [*spec["command"], *(spec.get("args") or [])]
    # The repo-server's variables; PATH, HOME and the Python settings stay the image's own.
    env = {k: v for k, v in Sidecar(Path("/opt/fn/bin/fix-kserve-probes"), Path("/home/argocd"), {}).env(
        Path(APP), **params).items() if k not in ("PATH", "HOME") and not k.startswith("PYTHON")}
    argv: list[str | Path] = ["run", "--rm", "--user", f"{ARGOCD_UID}:{ARGOCD_UID}", "--network", "none",
                              "--read-only", "--security-opt=no-new-privileges",
                              "-v", f"{repo}:{WORKDIR}", "-v", f"{os.path.realpath(kubectl)}:/usr/local/bin/kubectl:ro",
                              "-w", APP, "--entrypoint", command[0]]
    for key, value in env.items():
        argv += ["-e", f"{key}={value}"]
    return engine.podman(*argv, image, *command[1:], timeout=90)  # ARGOCD_EXEC_TIMEOUT's default is 90s


def render(image: str, repo: Path, **params: str) -> subprocess.CompletedProcess[str]:
    init = plugin_command(image, repo, "init", **params)
    return init if init.returncode != 0 else plugin_command(image, repo, "generate", **params)


def test_the_sidecar_image(cmp_image: str) -> None:
    """uid 999, argocd-cmp-server as the entrypoint, and plugin.yaml where the server reads it."""
    config = engine.inspect(cmp_image)["Config"]
    assert config["User"] == f"{ARGOCD_UID}:{ARGOCD_UID}"
    assert config["Entrypoint"] == ["/var/run/argocd/argocd-cmp-server"]
    labels = config["Labels"]
    assert labels["org.opencontainers.image.source"] == "https://github.com/fix-kserve-probes/fix-kserve-probes"
    proc = engine.podman("run", "--rm", "--network", "none", "--entrypoint", "cat", cmp_image,
                         "/home/argocd/cmp-server/config/plugin.yaml")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (ARGOCD / "plugin.yaml").read_text()
    tools = engine.podman("run", "--rm", "--network", "none", "--entrypoint", "sh", cmp_image, "-c",
                          "for t in fix-kserve-probes kustomize bash; do command -v \"$t\"; done")
    assert tools.stdout.split() == ["/opt/fn/bin/fix-kserve-probes", "/usr/local/bin/kustomize", "/usr/bin/bash"]


def test_generate_in_the_image(cmp_image: str, repo: Path, kubectl: str) -> None:
    """init + generate inside the sidecar print kustomize's manifests with the readinessProbe fixed, and only
    log lines on stderr."""
    proc = render(cmp_image, repo)
    assert proc.returncode == 0, proc.stderr
    docs = assert_only_manifests(proc.stdout)
    assert by_kind_name(docs) == with_probe(kustomize_docs(kubectl, ARGOCD / "app"), HTTP)
    assert_logs_only(proc.stderr)


def test_generate_with_the_applications_parameters(cmp_image: str, repo: Path, kubectl: str) -> None:
    parameters: list[dict[str, Any]] = APPLICATION["spec"]["source"]["plugin"]["parameters"]
    strategy = next(p["string"] for p in parameters if p["name"] == "strategy")
    proc = render(cmp_image, repo, strategy="tcp")
    assert proc.returncode == 0, proc.stderr
    isvc = by_kind_name(assert_only_manifests(proc.stdout))[("InferenceService", "fraud-scorer")]
    assert "tcpSocket" in isvc["spec"]["predictor"]["model"]["readinessProbe"]
    assert "using the Application's settings" in proc.stderr and strategy == "auto"


@pytest.mark.parametrize(("kustomization", "why"), [
    ("namePrefix: x-\n", "fix-kserve-probes: error: input is empty"),  # valid, renders no resources
    ("", "kustomization.yaml is empty"),  # kustomize itself refuses (pipefail)
], ids=["no-resources", "empty-kustomization"])
def test_empty_render_fails_in_the_image(cmp_image: str, repo: Path, kustomization: str, why: str) -> None:
    """A render with no resources fails the generate step, with the reason on stderr: an empty manifest
    set with prune would delete the application."""
    (repo / "examples/argocd/app/kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" + kustomization)
    proc = render(cmp_image, repo)
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert why in proc.stderr


def test_init_fails_without_a_kustomization(cmp_image: str, repo: Path) -> None:
    (repo / "examples/argocd/app/kustomization.yaml").unlink()
    proc = plugin_command(cmp_image, repo, "init")
    assert proc.returncode == 1
    assert "no kustomization.yaml" in proc.stderr


def test_the_patch_names_the_image_the_target_builds(cmp_image: str) -> None:
    patch = (EXAMPLES / "argocd/install/argocd-repo-server-patch.yaml").read_text()
    assert f"image: {cmp_image}\n" in patch
