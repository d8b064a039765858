"""Fixtures for the end-to-end tests that drive kpt, kustomize, Argo CD's plugin commands,
the Flux hydration script and pre-commit against the examples.

Every test works on a copy of an example in a temporary directory; none of them
changes the working tree. Container functions run in the real image, built once per
session from the repository's Dockerfile with podman (engine.py); a test that needs it
gets the ``container`` marker. The stand-in ``kustomize`` (``kustomize-shim/kustomize``)
is put on PATH only inside these tests.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import engine
from .support import CMP_IMAGE, IMAGE, KUSTOMIZE_SHIM, installed_function, tool_env

# Tests that use one of these fixtures need the container engine: they get the marker.
CONTAINER_FIXTURES = {"container_engine", "base_image", "function_image", "cmp_image", "podman_api", "runtime",
                      "docker_api", "podman_runtime"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if CONTAINER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.container)


_DURATIONS: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "container" in report.keywords:
        _DURATIONS[report.nodeid] = _DURATIONS.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _DURATIONS:
        return
    terminalreporter.section("container tests")
    for step, seconds in engine.TIMINGS.items():
        terminalreporter.write_line(f"{step}: {seconds:.1f} s")
    terminalreporter.write_line(f"{len(_DURATIONS)} container tests: {sum(_DURATIONS.values()):.1f} s in all "
                                "(setup, image builds included)")


@pytest.fixture(scope="session")
def fn_bin() -> Path:
    return installed_function()


@pytest.fixture(scope="session")
def kpt() -> str:
    path = shutil.which("kpt")
    if path is None:
        pytest.skip("kpt is not on PATH (install kpt 1.0 to run the kpt end-to-end tests)")
    return path


@pytest.fixture(scope="session")
def kubectl() -> str:
    path = shutil.which("kubectl")
    if path is None:
        pytest.skip("kubectl is not on PATH (its built-in kustomize drives the kustomize tests)")
    return path


# --- the real container engine ---------------------------------------------------------------

@pytest.fixture(scope="session")
def container_engine() -> None:
    reason = engine.missing()
    if reason:
        engine.unavailable(reason)


@pytest.fixture(scope="session")
def base_image(container_engine: None) -> str:
    try:
        return engine.base_image()
    except engine.EngineError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def function_image(base_image: str) -> str:
    """The Dockerfile's default target, tagged with the image name the docs and examples use."""
    try:
        return engine.build(IMAGE, build_args={"PYTHON_IMAGE": base_image}, what="the function image")
    except engine.EngineError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def cmp_image(base_image: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Dockerfile's argocd-cmp target, tagged as examples/argocd/install names it.

    kustomize's release image (the target's KUSTOMIZE_IMAGE) cannot be pulled here, and no
    standalone kustomize binary is installed: kubectl has kustomize built in. So the
    kustomize stage is a stand-in built from the base image, holding at /app/kustomize (where
    the release image keeps its binary, and where the Dockerfile copies it from) the shim
    ``kustomize build DIR`` -> ``kubectl kustomize DIR``; the tests mount the machine's kubectl
    read-only into the container when they run it.
    """
    context = tmp_path_factory.mktemp("kustomize-standin")
    shutil.copy(KUSTOMIZE_SHIM / "kustomize", context / "kustomize")
    (context / "Containerfile").write_text(f"FROM {base_image}\nCOPY --chmod=0755 kustomize /app/kustomize\n")
    try:
        standin = engine.build("localhost/fix-kserve-probes-test-kustomize:standin", context=context,
                               dockerfile=context / "Containerfile", what="the kustomize stand-in")
        return engine.build(CMP_IMAGE, target="argocd-cmp", what="the argocd-cmp image",
                            build_args={"PYTHON_IMAGE": base_image, "KUSTOMIZE_IMAGE": standin})
    except engine.EngineError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def podman_api(container_engine: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[engine.ApiService]:
    if shutil.which("docker") is None:
        engine.unavailable("the docker CLI is not on PATH (it drives podman's Docker-compatible API here)")
    try:
        service = engine.start_api_service(tmp_path_factory.mktemp("podman-api"))
    except engine.EngineError as error:
        pytest.fail(str(error), pytrace=False)
    yield service
    engine.stop_api_service(service)


@dataclass
class Runtime:
    """How kpt reaches the engine: ``podman`` (KPT_FN_RUNTIME=podman) or ``docker-api`` (its default,
    the docker CLI, here against podman's API). ``keeps_exit_codes``: whether ``run --rm`` returns the
    container's exit code (engine.PODMAN_RM_EXIT_BUG)."""

    name: str
    env: dict[str, str]
    keeps_exit_codes: bool


@pytest.fixture(scope="session")
def docker_api(fn_bin: Path, function_image: str, podman_api: engine.ApiService) -> Runtime:
    """The docker CLI against podman's API: what tools that always call ``docker`` (kustomize, hydrate.sh)
    and kpt's default runtime use."""
    env = engine.engine_env(tool_env(fn_bin), DOCKER_HOST=podman_api.docker_host)
    try:
        keeps = engine.rm_keeps_exit_codes("docker", env, function_image)
    except engine.EngineError as error:
        pytest.fail(str(error), pytrace=False)
    return Runtime("docker-api", env, keeps)


@pytest.fixture(scope="session")
def podman_runtime(fn_bin: Path, function_image: str) -> Runtime:
    env = engine.engine_env(tool_env(fn_bin), KPT_FN_RUNTIME="podman")
    try:
        keeps = engine.rm_keeps_exit_codes("podman", env, function_image)
    except engine.EngineError as error:
        pytest.fail(str(error), pytrace=False)
    assert keeps, "podman run --rm must return the container's exit code"
    return Runtime("podman", env, keeps)


@pytest.fixture(scope="session", params=["podman", "docker-api"])
def runtime(request: pytest.FixtureRequest) -> Runtime:
    return request.getfixturevalue("podman_runtime" if request.param == "podman" else "docker_api")
