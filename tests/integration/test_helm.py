"""Helm: examples/helm/, the function as a Helm 3 post-renderer (an executable) and as a Helm 4
postrenderer/v1 plugin (examples/helm/fix-kserve-probes/plugin.yaml).

There is no Helm binary here, so the tests do what Helm does, following its source:

- Helm 3, helm/helm v3 ``pkg/postrender/exec.go``: ``exec.Command(path, args...)``, the rendered
  manifests written to a stdin pipe, stdout buffered as the new manifests, stderr kept only for
  the error message of a non-zero exit. The stream is ``pkg/action/action.go`` ``renderResources``'s:
  ``---\\n# Source: NAME\\nCONTENT\\n`` per template.
- Helm 4, helm/helm v4 ``internal/plugin/metadata_v1.go`` (the plugin.yaml schema, unknown fields
  refused), ``internal/plugin/subprocess_commands.go`` (``getPlatformCommand``, ``PrepareCommands``:
  the command split on spaces, ``os.Expand`` over the environment plus ``HELM_PLUGIN_NAME`` and
  ``HELM_PLUGIN_DIR``, then the args, then ``--post-renderer-args``), ``runtime_subprocess.go``
  ``runPostrenderer`` (stdin, stdout buffer, stderr buffer) and ``pkg/postrenderer/postrenderer.go``
  (empty output is an error). The stream is ``pkg/action/action.go`` ``annotateAndMerge``'s: kyaml
  documents joined by ``---``, each annotated with ``postrenderer.helm.sh/postrender-filename``.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .support import EXAMPLES, REPO, dig, load_all, load_file, run, tool_env

PLUGIN_DIR = EXAMPLES / "helm/fix-kserve-probes"
PLUGIN = PLUGIN_DIR / "plugin.yaml"
QUICKSTART = EXAMPLES / "quickstart/inferenceservice.yaml"
PROBE = "spec.predictor.model.readinessProbe"
FIXED = {"httpGet": {"path": "/v1/models/sklearn-iris", "port": 8080}, "initialDelaySeconds": 10, "periodSeconds": 5}

# helm v4 internal/plugin/metadata_v1.go MetadataV1 and Validate; metadata.go validPluginName.
METADATA_V1_FIELDS = {"apiVersion", "name", "type", "runtime", "version", "sourceURL", "config", "runtimeConfig"}
SUBPROCESS_FIELDS = {"platformCommand", "platformHooks", "protocolCommands"}  # runtime_subprocess.go
PLATFORM_COMMAND_FIELDS = {"os", "arch", "command", "args"}  # subprocess_commands.go PlatformCommand
VALID_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
SEMVER = re.compile(r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")


def package_version() -> str:
    script = Path(sys.executable).parent / "fix-kserve-probes"
    out = subprocess.run([str(script) if script.exists() else "fix-kserve-probes", "--version"],
                         capture_output=True, text=True, check=True).stdout
    return out.split()[-1]


def documents() -> tuple[str, str]:
    """The quickstart's InferenceService and ClusterServingRuntime, as two chart templates."""
    text = QUICKSTART.read_text()
    isvc, runtime = text.split("\n---\n")
    return isvc.rstrip("\n") + "\n", runtime.rstrip("\n") + "\n"


def helm3_stream() -> str:
    isvc, runtime = documents()
    files = {"demo/templates/inferenceservice.yaml": isvc, "demo/templates/servingruntime.yaml": runtime}
    return "".join(f"---\n# Source: {name}\n{content}\n" for name, content in files.items())


def helm4_stream() -> str:
    """What annotateAndMerge gives kio.StringAll: each document with the filename annotation."""
    isvc, runtime = documents()
    isvc = isvc.replace("    serving.kserve.io/deploymentMode: RawDeployment\n",
                        "    serving.kserve.io/deploymentMode: RawDeployment\n"
                        "    postrenderer.helm.sh/postrender-filename: 'demo/templates/inferenceservice.yaml'\n")
    runtime = runtime.replace("    serving.kserve.io/server-type: sklearnserver\n",
                              "    serving.kserve.io/server-type: sklearnserver\n"
                              "    postrenderer.helm.sh/postrender-filename: 'demo/templates/servingruntime.yaml'\n")
    assert isvc.count("postrender-filename") == runtime.count("postrender-filename") == 1
    return isvc + "---\n" + runtime


def helm3_post_render(binary: str, args: list[str], manifests: str, env: dict[str, str]) -> str:
    """helm v3 postrender.execRender.Run (after NewExec's exec.LookPath)."""
    path = shutil.which(binary, path=env["PATH"]) if os.sep not in binary else binary
    assert path, f"Helm 3 would fail: unable to find binary at {binary}"
    proc = subprocess.run([path, *args], input=manifests, capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"error while running command {path}. error output:\n{proc.stderr}")
    return proc.stdout


def platform_command(commands: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """helm v4 subprocess_commands.go getPlatformCommand, on this machine."""
    goos = {"linux": "linux", "darwin": "darwin", "win32": "windows"}.get(sys.platform, sys.platform)
    goarch = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(), platform.machine())
    command: list[str] = []
    args: list[str] = []
    found = found_os = False
    for c in commands:
        os_, arch = str(c.get("os", "")), str(c.get("arch", ""))
        if os_.lower() == goos and arch.lower() == goarch:
            return str(c["command"]).split(" "), list(c.get("args") or [])
        if (os_ and os_.lower() != goos) or arch:
            continue
        if not found_os and os_ and os_.lower() == goos:
            command, args, found, found_os = str(c["command"]).split(" "), list(c.get("args") or []), True, True
        elif not found:
            command, args, found = str(c["command"]).split(" "), list(c.get("args") or []), True
    return command, args


def go_expand(text: str, env: dict[str, str]) -> str:
    """Go's os.Expand: $VAR and ${VAR}; unset variables become empty."""
    return re.sub(r"\$\{([^}]*)\}|\$([A-Za-z0-9_]+)", lambda m: env.get(m.group(1) or m.group(2), ""), text)


def helm4_post_render(plugin_dir: Path, extra_args: list[str], manifests: str, env: dict[str, str]) -> str:
    """helm v4 SubprocessPluginRuntime.runPostrenderer and postRendererPlugin.Run."""
    meta = load_file(plugin_dir / "plugin.yaml")
    env = {**env, "HELM_PLUGIN_NAME": meta["name"], "HELM_PLUGIN_DIR": str(plugin_dir)}
    parts, args = platform_command(meta["runtimeConfig"]["platformCommand"])
    assert parts and parts[0], "Helm 4 would fail: no plugin command is applicable"
    main = go_expand(parts[0], env)
    argv = [go_expand(a, env) for a in parts[1:]] + [go_expand(a, env) for a in args] + extra_args
    path = shutil.which(main, path=env["PATH"]) if os.sep not in main else main  # exec.Command's LookPath
    assert path, f"Helm 4 would fail: {main} is not on PATH"
    proc = subprocess.run([path, *argv], input=manifests, capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(f'plugin "{meta["name"]}" exited with error')  # stderr is not shown
    if not proc.stdout.strip():
        raise RuntimeError(f'post-renderer "{meta["name"]}" produced empty output')
    return proc.stdout


@pytest.fixture
def env(fn_bin: Path) -> dict[str, str]:
    return tool_env(fn_bin)


def isvc_probe(stream: str) -> Any:
    docs = [d for d in load_all(stream) if d.get("kind") == "InferenceService"]
    assert len(docs) == 1
    return dig(docs[0], PROBE)


# --- the plugin's metadata ---------------------------------------------------------------------

def test_plugin_yaml_follows_helm4_schema() -> None:
    meta = load_file(PLUGIN)
    assert set(meta) <= METADATA_V1_FIELDS, f"Helm 4 refuses unknown fields: {set(meta) - METADATA_V1_FIELDS}"
    assert meta["apiVersion"] == "v1"
    assert meta["type"] == "postrenderer/v1"
    assert meta["runtime"] == "subprocess"
    assert VALID_NAME.match(meta["name"]) and meta["name"] == PLUGIN_DIR.name == "fix-kserve-probes"
    assert isinstance(meta["version"], str) and SEMVER.match(meta["version"])
    assert meta["version"] == package_version(), "the plugin's version follows the package's"
    runtime_config = meta["runtimeConfig"]
    assert isinstance(runtime_config, dict) and set(runtime_config) <= SUBPROCESS_FIELDS
    commands = runtime_config["platformCommand"]
    assert commands and all(set(c) <= PLATFORM_COMMAND_FIELDS and c.get("command") for c in commands)
    parts, _ = platform_command(commands)
    scripts = (REPO / "pyproject.toml").read_text().split("[project.scripts]\n", 1)[1].split("\n[", 1)[0]
    assert re.search(rf'(?m)^{re.escape(parts[0])} = "', scripts), "the plugin runs this package's console script"


# --- Helm 3: the executable ----------------------------------------------------------------------

def test_helm3_post_renderer_fixes_the_stream(env: dict[str, str]) -> None:
    stream = helm3_stream()
    out = helm3_post_render("fix-kserve-probes", [], stream, env)
    assert isvc_probe(out) == FIXED
    assert out.count("# Source: demo/templates/") == 2, "the # Source: comments are kept"
    original = '        exec:\n          command: ["test", "-f", "/mnt/models/model.joblib"]\n'
    fixed = "        httpGet:\n          path: /v1/models/sklearn-iris\n          port: 8080\n"
    assert out == stream.replace(original, fixed), "only the probe's handler changes"


def test_helm3_post_renderer_args(env: dict[str, str]) -> None:
    out = helm3_post_render("fix-kserve-probes", ["--set=strategy=tcp"], helm3_stream(), env)
    assert isvc_probe(out)["tcpSocket"] == {"port": 8080}


def test_helm3_fails_on_a_broken_stream(env: dict[str, str]) -> None:
    with pytest.raises(RuntimeError, match="fix-kserve-probes: error: invalid YAML"):
        helm3_post_render("fix-kserve-probes", [], helm3_stream() + "---\nbroken: [\n", env)


# --- Helm 4: the plugin --------------------------------------------------------------------------

def test_helm4_plugin_fixes_the_stream(env: dict[str, str]) -> None:
    stream = helm4_stream()
    out = helm4_post_render(PLUGIN_DIR, [], stream, env)
    assert isvc_probe(out) == FIXED
    files = {d["metadata"]["annotations"]["postrenderer.helm.sh/postrender-filename"] for d in load_all(out)}
    assert files == {"demo/templates/inferenceservice.yaml", "demo/templates/servingruntime.yaml"}, \
        "Helm 4 splits the output back into files by this annotation"


def test_helm4_plugin_passes_post_renderer_args(env: dict[str, str]) -> None:
    out = helm4_post_render(PLUGIN_DIR, ["--set=strategy=tcp"], helm4_stream(), env)
    assert isvc_probe(out)["tcpSocket"] == {"port": 8080}


def test_helm4_plugin_fails_on_a_broken_stream(env: dict[str, str]) -> None:
    with pytest.raises(RuntimeError, match="exited with error"):
        helm4_post_render(PLUGIN_DIR, [], helm4_stream() + "---\nbroken: [\n", env)


# --- the repository as a kpt package ---------------------------------------------------------------

def test_kpt_render_does_not_read_the_plugin(kpt: str, fn_bin: Path, tmp_path: Path) -> None:
    """plugin.yaml is no Kubernetes object, and kpt refuses those: the repository's .krmignore keeps it
    out of ``kpt fn render`` at the root (a package with the root's .krmignore and examples/helm)."""
    package = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "helm", package / "examples/helm")
    shutil.copy(REPO / ".krmignore", package / ".krmignore")
    (package / "Kptfile").write_text(
        "apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: repo\n  annotations:\n"
        '    config.kubernetes.io/local-config: "true"\npipeline:\n  mutators:\n    - exec: fix-kserve-probes\n')
    proc = run([kpt, "fn", "render", "--allow-exec", "-o", "stdout"], cwd=package, env=tool_env(fn_bin))
    assert proc.returncode == 0, proc.stderr
    assert "plugin.yaml" not in proc.stdout
