"""Argo CD: the config management plugin in examples/argocd/, run as its sidecar would.

There is no Argo CD here, so the tests do what argocd-cmp-server does with plugin.yaml
(argo-cd cmpserver/plugin/plugin.go): run ``init`` then ``generate`` with
``exec(command[0], command[1:] + args)``, no shell of their own, the application's
directory as working directory, and the sidecar's environment plus the variables the
repo-server sends (reposerver/repository/repository.go: ARGOCD_APP_*, KUBE_*,
ARGOCD_ENV_*, PARAM_*). The sidecar image's environment is minimal (PATH, HOME and the
Python settings), and so is the one here. Commands run as uid 999 when the tests run as
root and that user can run the installed function; on machines where the interpreter
lives in a directory only root can read, they run as the current user.
``kustomize`` is the real one when installed, else a shim over ``kubectl kustomize``.
"""

from __future__ import annotations

import copy
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .support import EXAMPLES, KUSTOMIZE_SHIM, REPO, by_kind_name, dig, load_all, load_file, run

ARGOCD = EXAMPLES / "argocd"
PLUGIN = load_file(ARGOCD / "plugin.yaml")
APPLICATION = load_file(ARGOCD / "application.yaml")
ARGOCD_UID = 999
ISVC = ("InferenceService", "fraud-scorer")
PROBE = "spec.predictor.model.readinessProbe"


def param_env(parameters: list[dict[str, Any]]) -> dict[str, str]:
    """Argo CD's ApplicationSourcePluginParameters.Environ() (pkg/apis/application/v1alpha1/types.go)."""
    def env_name(name: str) -> str:
        return re.sub(r"[^A-Z0-9_]", "_", name.upper())

    env = {"ARGOCD_APP_PARAMETERS": json.dumps(parameters)}
    for p in parameters:
        name = env_name(p["name"])
        if "string" in p:
            env[f"PARAM_{name}"] = p["string"]
        for i, item in enumerate(p.get("array") or []):
            env[f"PARAM_{name}_{i}"] = item
        for key, value in (p.get("map") or {}).items():
            env[f"PARAM_{name}_{env_name(key)}"] = value
    return env


class Sidecar:
    """Runs plugin commands the way argocd-cmp-server does."""

    def __init__(self, fn_bin: Path, home: Path, user: dict[str, Any]) -> None:
        kustomize_dir = Path(shutil.which("kustomize") or KUSTOMIZE_SHIM / "kustomize").parent
        kubectl_dir = Path(shutil.which("kubectl") or "/usr/bin/kubectl").parent
        path = [str(kustomize_dir), str(fn_bin.parent), str(kubectl_dir), "/usr/local/bin", "/usr/bin", "/bin"]
        # The image's ENV (Dockerfile target argocd-cmp); nothing else from the test process.
        self.base_env = {"PATH": os.pathsep.join(dict.fromkeys(path)), "HOME": str(home),
                         "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}
        self.user = user

    def env(self, app: Path, parameters: list[dict[str, Any]] | None = None,
            plugin_env: dict[str, str] | None = None, **params: str) -> dict[str, str]:
        revision = "3f6c2a1e9d8b7c6a5f4e3d2c1b0a99887766554f"
        env = dict(self.base_env)
        env.update({
            "ARGOCD_APP_NAME": "fraud-scorer", "ARGOCD_APP_NAMESPACE": "fraud", "ARGOCD_APP_PROJECT_NAME": "default",
            "ARGOCD_APP_REVISION": revision, "ARGOCD_APP_REVISION_SHORT": revision[:7],
            "ARGOCD_APP_REVISION_SHORT_8": revision[:8],
            "ARGOCD_APP_SOURCE_REPO_URL": "https://github.com/example-org/ml-platform.git",
            "ARGOCD_APP_SOURCE_PATH": "examples/argocd/app", "ARGOCD_APP_SOURCE_TARGET_REVISION": "main",
            "KUBE_VERSION": "1.31.4", "KUBE_API_VERSIONS": "v1,apps/v1,serving.kserve.io/v1beta1",
        })
        env.update(param_env(parameters or []))
        env.update({f"PARAM_{k.upper()}": v for k, v in params.items()})
        env.update({f"ARGOCD_ENV_{k}": v for k, v in (plugin_env or {}).items()})
        return env

    def command(self, name: str, app: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        spec = PLUGIN["spec"][name]
        argv = [*spec["command"], *(spec.get("args") or [])]
        return subprocess.run(argv, cwd=app, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              timeout=90, check=False, **self.user)  # ARGOCD_EXEC_TIMEOUT's default is 90s

    def render(self, app: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        """init, then generate if init passed: one manifest generation."""
        env = self.env(app, **kwargs)
        init = self.command("init", app, env)
        return init if init.returncode != 0 else self.command("generate", app, env)


def argocd_user(fn_bin: Path) -> dict[str, Any]:
    """subprocess arguments to run as uid 999 (the sidecar's user), or {} when that is not possible here."""
    if os.geteuid() != 0:
        return {}  # already not root
    user = {"user": ARGOCD_UID, "group": ARGOCD_UID, "extra_groups": []}
    try:
        probe = subprocess.run([fn_bin, "--version"], capture_output=True, cwd="/", check=False, **user)
    except OSError:
        return {}
    return user if probe.returncode == 0 else {}


@pytest.fixture(scope="module")
def sidecar_user(fn_bin: Path) -> dict[str, Any]:
    return argocd_user(fn_bin)


@pytest.fixture
def workdir(sidecar_user: dict[str, Any]) -> Iterator[Path]:
    """A work directory the sidecar's user owns, like argocd-cmp-server's /tmp/_cmp_server/<id>."""
    path = Path(tempfile.mkdtemp(prefix="cmp-"))
    path.chmod(0o755)
    (path / "home").mkdir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def give(path: Path, user: dict[str, Any]) -> None:
    if user:
        for p in [path, *path.rglob("*")]:
            os.chown(p, user["user"], user["group"])


@pytest.fixture
def sidecar(fn_bin: Path, workdir: Path, sidecar_user: dict[str, Any], kubectl: str) -> Sidecar:
    give(workdir / "home", sidecar_user)
    return Sidecar(fn_bin, workdir / "home", sidecar_user)


@pytest.fixture
def app(workdir: Path, sidecar_user: dict[str, Any]) -> Path:
    dest = workdir / "repo/examples/argocd/app"
    shutil.copytree(ARGOCD / "app", dest)
    give(workdir / "repo", sidecar_user)
    return dest


def kustomize_docs(kubectl: str, app: Path) -> list[Any]:
    proc = run([kubectl, "kustomize", app])
    assert proc.returncode == 0, proc.stderr
    return load_all(proc.stdout)


def with_probe(docs: list[Any], probe: dict[str, Any]) -> dict[tuple[str, str], Any]:
    fixed = copy.deepcopy(by_kind_name(docs))
    model = dig(fixed[ISVC], "spec.predictor.model")
    assert "exec" in model["readinessProbe"]
    model["readinessProbe"] = probe
    return fixed


HTTP = {"httpGet": {"path": "/v1/models/fraud-scorer", "port": 8080}, "initialDelaySeconds": 15, "periodSeconds": 10}
TCP = {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 15, "periodSeconds": 10}


def assert_only_manifests(stdout: str) -> list[Any]:
    """What the repo-server can use: a stream of Kubernetes objects and nothing else."""
    docs = load_all(stdout)
    assert docs, "no manifests"
    for doc in docs:
        assert isinstance(doc, dict) and doc.get("apiVersion") and doc.get("kind") and doc["metadata"].get("name"), doc
    assert "fix-kserve-probes:" not in stdout, "log lines leaked into the manifests"
    return docs


def assert_logs_only(stderr: str) -> None:
    for line in stderr.splitlines():
        assert line.startswith("fix-kserve-probes"), f"unexpected stderr line: {line!r}"


def test_plugin_config() -> None:
    """plugin.yaml is a valid ConfigManagementPlugin v2 whose generate fails on pipe errors and empty output,
    and the Application names it and points at an opted-in directory."""
    assert PLUGIN["apiVersion"] == "argoproj.io/v1alpha1" and PLUGIN["kind"] == "ConfigManagementPlugin"
    spec = PLUGIN["spec"]
    assert spec["generate"]["command"] and spec["init"]["command"]
    script = spec["generate"]["args"][0]
    assert "set -euo pipefail" in script and "kustomize build . | fix-kserve-probes" in script
    assert spec["discover"] == {"fileName": "./fix-kserve-probes.yaml"}
    source = APPLICATION["spec"]["source"]
    # Without spec.version the plugin's name is metadata.name (Argo CD's CMP docs).
    assert "version" not in spec and source["plugin"]["name"] == PLUGIN["metadata"]["name"]
    announced = {p["name"] for p in spec["parameters"]["static"]}
    assert {p["name"] for p in source["plugin"]["parameters"]} <= announced
    app_dir = REPO / source["path"]
    assert (app_dir / "kustomization.yaml").is_file()
    assert glob.glob(str(app_dir / spec["discover"]["fileName"]))


def test_discovery_is_opt_in() -> None:
    """The discover rule (a filepath.Glob in the application directory) matches the example application but
    not an ordinary kustomize application, which Argo CD keeps building itself."""
    pattern = PLUGIN["spec"]["discover"]["fileName"]
    assert glob.glob(os.path.join(ARGOCD / "app", pattern))
    plain = EXAMPLES / "kustomize/base"
    assert (plain / "kustomization.yaml").is_file()
    assert not glob.glob(os.path.join(plain, pattern))


def test_generate(sidecar: Sidecar, app: Path, kubectl: str) -> None:
    """init + generate print exactly kustomize's manifests with the readinessProbe fixed; logs go to stderr."""
    proc = sidecar.render(app)
    assert proc.returncode == 0, proc.stderr
    docs = assert_only_manifests(proc.stdout)
    assert by_kind_name(docs) == with_probe(kustomize_docs(kubectl, app), HTTP)
    assert_logs_only(proc.stderr)
    # KServe's sklearn ClusterServingRuntime is not in the application, but the function
    # knows what it ships (no readinessProbe): no warning, only the info kustomize drops.
    assert "[warning]" not in proc.stderr


def test_generate_with_the_applications_parameters(sidecar: Sidecar, app: Path, kubectl: str) -> None:
    """The example Application's parameters (strategy: auto) give the same manifests as the file's config."""
    parameters = APPLICATION["spec"]["source"]["plugin"]["parameters"]
    proc = sidecar.render(app, parameters=parameters)
    assert proc.returncode == 0, proc.stderr
    assert by_kind_name(assert_only_manifests(proc.stdout)) == with_probe(kustomize_docs(kubectl, app), HTTP)
    assert "using the Application's settings" in proc.stderr


@pytest.mark.parametrize(("params", "plugin_env", "probe"), [
    ({"strategy": "tcp"}, {}, TCP),
    ({}, {"FIX_KSERVE_PROBES_STRATEGY": "tcp"}, TCP),
    ({"strategy": "http"}, {"FIX_KSERVE_PROBES_STRATEGY": "tcp"}, HTTP),  # the parameter wins
], ids=["parameter", "plugin-env", "parameter-over-env"])
def test_settings_from_parameters_and_env(sidecar: Sidecar, app: Path, kubectl: str, params: dict[str, str],
                                          plugin_env: dict[str, str], probe: dict[str, Any]) -> None:
    proc = sidecar.render(app, plugin_env=plugin_env, **params)
    assert proc.returncode == 0, proc.stderr
    assert by_kind_name(assert_only_manifests(proc.stdout)) == with_probe(kustomize_docs(kubectl, app), probe)


def test_validate_mode_fails_the_sync(sidecar: Sidecar, app: Path) -> None:
    """mode=validate: a probe the agent cannot run fails manifest generation, and the error says which."""
    proc = sidecar.render(app, mode="validate")
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("fix-kserve-probes: [error]")]
    assert len(errors) == 1 and "InferenceService/fraud/fraud-scorer" in errors[0] and PROBE in errors[0]


def test_parameter_values_cannot_inject_settings(sidecar: Sidecar, app: Path) -> None:
    proc = sidecar.render(app, strategy='tcp"\n  mode: "validate')
    assert proc.returncode != 0
    assert "invalid strategy" in proc.stderr
    assert "kind:" not in proc.stdout


def test_empty_render_fails(sidecar: Sidecar, app: Path) -> None:
    """A kustomization that renders nothing must fail: an empty result with prune would delete the app."""
    (app / "kustomization.yaml").write_text("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
    proc = sidecar.render(app)
    assert proc.returncode != 0
    assert "kind:" not in proc.stdout
    assert proc.stderr.strip()


def test_failing_kustomize_fails(sidecar: Sidecar, app: Path) -> None:
    """kustomize's own failure fails the step (pipefail), with kustomize's message for the Argo CD UI."""
    kustomization = app / "kustomization.yaml"
    kustomization.write_text(kustomization.read_text().replace("configmap.yaml", "missing.yaml"))
    proc = sidecar.render(app)
    assert proc.returncode != 0
    assert "missing.yaml" in proc.stderr
    assert "kind:" not in proc.stdout


def test_init_requires_a_kustomization(sidecar: Sidecar, app: Path) -> None:
    (app / "kustomization.yaml").unlink()
    proc = sidecar.command("init", app, sidecar.env(app))
    assert proc.returncode == 1
    assert "no kustomization.yaml" in proc.stderr


def test_repo_server_patch_adds_the_sidecar(kubectl: str, tmp_path: Path) -> None:
    """The patch merges onto argocd-repo-server as Argo CD ships it (a repo-server container and the
    var-files and plugins volumes), adding a uid-999 sidecar that runs argocd-cmp-server."""
    (tmp_path / "repo-server.yaml").write_text(REPO_SERVER_STUB)
    shutil.copy(ARGOCD / "install/argocd-repo-server-patch.yaml", tmp_path)
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [repo-server.yaml]\npatches:\n  - path: argocd-repo-server-patch.yaml\n")
    proc = run([kubectl, "kustomize", tmp_path])
    assert proc.returncode == 0, proc.stderr
    pod = load_all(proc.stdout)[0]["spec"]["template"]["spec"]
    containers = {c["name"]: c for c in pod["containers"]}
    assert set(containers) == {"argocd-repo-server", "fix-kserve-probes"}
    sidecar = containers["fix-kserve-probes"]
    assert sidecar["command"] == ["/var/run/argocd/argocd-cmp-server"]
    assert sidecar["image"].startswith("ghcr.io/fix-kserve-probes/fix-kserve-probes:")
    assert sidecar["securityContext"]["runAsNonRoot"] is True and sidecar["securityContext"]["runAsUser"] == ARGOCD_UID
    mounts = {m["mountPath"]: m["name"] for m in sidecar["volumeMounts"]}
    assert mounts == {"/var/run/argocd": "var-files", "/home/argocd/cmp-server/plugins": "plugins",
                      "/tmp": "fix-kserve-probes-tmp"}
    volumes = {v["name"] for v in pod["volumes"]}
    assert {"var-files", "plugins", "fix-kserve-probes-tmp"} <= volumes
    repo_server_tmp = {m["mountPath"]: m["name"] for m in containers["argocd-repo-server"]["volumeMounts"]}["/tmp"]
    assert repo_server_tmp != mounts["/tmp"], "the sidecar must not share the repo-server's /tmp"


def test_sidecar_image_target() -> None:
    """The Dockerfile's argocd-cmp target bakes plugin.yaml where argocd-cmp-server reads it and runs as
    999; the default (last) stage is still the function image."""
    text = (REPO / "Dockerfile").read_text()
    stages = re.split(r"(?m)^FROM ", text)[1:]
    cmp = next(s for s in stages if s.split("\n", 1)[0].strip().endswith("AS argocd-cmp"))
    assert "COPY --chown=999:999 examples/argocd/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml" in cmp
    assert re.search(r"(?m)^USER 999(:999)?$", cmp)
    assert "/usr/local/bin/kustomize" in cmp and "/opt/fn" in cmp
    assert 'ENTRYPOINT ["fix-kserve-probes"]' in stages[-1] and " AS " not in stages[-1].split("\n", 1)[0]
    hadolint = shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if hadolint:
        proc = run([hadolint, REPO / "Dockerfile"])
        assert proc.returncode == 0, proc.stdout + proc.stderr


# argocd-repo-server as manifests/install.yaml shapes it, reduced to what the patch touches.
REPO_SERVER_STUB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: argocd-repo-server}
  template:
    metadata:
      labels: {app.kubernetes.io/name: argocd-repo-server}
    spec:
      containers:
        - name: argocd-repo-server
          image: quay.io/argoproj/argocd:v3.5.1
          volumeMounts:
            - {mountPath: /app/config/ssh, name: ssh-known-hosts}
            - {mountPath: /tmp, name: tmp}
            - {mountPath: /home/argocd/cmp-server/plugins, name: plugins}
      volumes:
        - {name: ssh-known-hosts, configMap: {name: argocd-ssh-known-hosts-cm}}
        - {name: var-files, emptyDir: {}}
        - {name: plugins, emptyDir: {}}
        - {name: tmp, emptyDir: {}}
"""
