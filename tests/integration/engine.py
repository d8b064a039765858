"""The real container engine for the image tests (pytest marker ``container``).

podman (Debian's, with runc) builds the repository's Dockerfile and runs the images. Two
ways of reaching it are tested, as users have them:

* ``podman`` itself (kpt's ``KPT_FN_RUNTIME=podman``);
* the ``docker`` CLI against podman's Docker-compatible API (``podman system service``,
  ``DOCKER_HOST=unix://...``), which is what kpt's default runtime, kustomize and the
  Flux example's ``hydrate.sh`` call.

podman reads ``containers.conf`` beside this file, selected with ``CONTAINERS_CONF`` in
the environment of the commands the tests run; the machine's own configuration is never
changed.

No registry image can be pulled here, so the ``PYTHON_IMAGE`` base of the build is made
from Debian packages with debootstrap, from the mirror the machine's apt sources name,
and imported with ``podman import``. It is cached per machine: the root filesystem's
tarball under ``~/.cache/fix-kserve-probes/`` and the image in podman's store, both
keyed by what goes into them, and rebuilt when missing.

The build reaches the package index only through the machine's own pip configuration
and CA bundle, bind-mounted read-only into the build's RUN steps (``podman build -v
FILE:FILE:ro``); nothing of it is copied into an image.

Without podman, runc, debootstrap (and root, which debootstrap and rootful podman
need) the tests fail when ``CI`` is set, since ``.ci/run`` installs them, and skip with
the reason elsewhere.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CONTAINERS_CONF = HERE / "containers.conf"
TOOLS = ("podman", "runc", "debootstrap")
SUITE = "bookworm"
BASE_PACKAGES = ("python3", "python3-venv", "python-is-python3", "ca-certificates")
BASE_REPOSITORY = "localhost/fix-kserve-probes-test-base"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fix-kserve-probes"
# Time spent on each step of this session, shown in the terminal summary (conftest.py).
TIMINGS: dict[str, float] = {}


class EngineError(RuntimeError):
    """A step of building or running an image failed; the message says which and why."""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> None:
    """Fail (in CI, where .ci/run installs the engine) or skip with ``reason``."""
    if in_ci():
        pytest.fail(f"CI: the container tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def missing() -> str | None:
    """Why the engine cannot be used on this machine, or None."""
    absent = [tool for tool in TOOLS if shutil.which(tool) is None]
    if absent:
        return (f"{', '.join(absent)} not installed (apt-get install podman runc debootstrap; "
                ".ci/run does it)")
    if os.geteuid() != 0:
        return "the container tests run rootful podman and debootstrap, which need root"
    return None


def engine_env(base: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env["CONTAINERS_CONF"] = str(CONTAINERS_CONF)
    env.update(extra)
    return env


def run(argv: Sequence[str | Path], *, input: bytes | str | None = None, timeout: float = 900,
        env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[Any]:
    text = not isinstance(input, bytes)
    return subprocess.run([str(a) for a in argv], input=input, capture_output=True, text=text, timeout=timeout,
                          env=engine_env() if env is None else env, cwd=cwd, check=False,
                          stdin=None if input is not None else subprocess.DEVNULL)


def checked(argv: Sequence[str | Path], what: str, **kwargs: Any) -> subprocess.CompletedProcess[Any]:
    proc = run(argv, **kwargs)
    if proc.returncode != 0:
        tail = "\n".join(str(proc.stderr or proc.stdout).strip().splitlines()[-25:])
        raise EngineError(f"{what} failed (exit {proc.returncode}): {shlex.join(map(str, argv))}\n{tail}")
    return proc


def podman(*args: str | Path, **kwargs: Any) -> subprocess.CompletedProcess[Any]:
    return run(["podman", *args], **kwargs)


def image_exists(ref: str) -> bool:
    return podman("image", "exists", ref).returncode == 0


def inspect(ref: str) -> dict[str, Any]:
    proc = checked(["podman", "image", "inspect", ref], f"podman image inspect {ref}")
    return json.loads(proc.stdout)[0]


@contextlib.contextmanager
def locked(name: str) -> Iterator[None]:
    """One builder at a time per machine (two test sessions may share podman's store)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --- the base image, from Debian packages -------------------------------------------------

def apt_mirror(suite: str = SUITE) -> str:
    """The Debian mirror the machine's apt sources name for ``suite`` (deb822 or one-line)."""
    sources = Path("/etc/apt/sources.list.d")
    files = sorted(sources.glob("*.sources")) + sorted(sources.glob("*.list")) + [Path("/etc/apt/sources.list")]
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if path.suffix == ".sources":
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(re.findall(r"(?m)^([A-Za-z-]+):[ \t]*(.*)$", stanza))
                if ("deb" in fields.get("Types", "").split() and suite in fields.get("Suites", "").split()
                        and fields.get("Enabled", "yes").lower() != "no"):
                    for uri in fields.get("URIs", "").split():
                        if "security" not in uri:
                            return uri
        else:
            for line in text.splitlines():
                words = re.sub(r"\[[^]]*\]", " ", line.split("#", 1)[0]).split()
                if len(words) >= 3 and words[0] == "deb" and words[2] == suite and "security" not in words[1]:
                    return words[1]
    raise EngineError(f"no apt source on this machine names Debian {suite} (looked in {', '.join(map(str, files))})")


def base_image() -> str:
    """A local image with Debian's Python 3 and venv, for ``--build-arg PYTHON_IMAGE``."""
    mirror = apt_mirror()
    arch = checked(["dpkg", "--print-architecture"], "dpkg --print-architecture").stdout.strip()
    recipe = json.dumps({"suite": SUITE, "packages": BASE_PACKAGES, "mirror": mirror, "arch": arch,
                         "variant": "minbase"}, sort_keys=True)
    key = hashlib.sha256(recipe.encode()).hexdigest()[:12]
    ref = f"{BASE_REPOSITORY}:{SUITE}-{key}"
    with locked("base"):
        if image_exists(ref):
            TIMINGS.setdefault("base image (cached in podman's store)", 0.0)
            return ref
        started = time.monotonic()
        tarball = CACHE / f"base-{SUITE}-{key}.tar"
        if not tarball.is_file():
            with tempfile.TemporaryDirectory(dir=CACHE, prefix="debootstrap-") as tmp:
                root = Path(tmp) / "root"
                checked(["debootstrap", "--variant=minbase", f"--include={','.join(BASE_PACKAGES)}", SUITE, root,
                         mirror], f"debootstrap of Debian {SUITE} from {mirror}", timeout=1200)
                partial = tarball.with_suffix(".partial")
                checked(["tar", "-C", root, "--numeric-owner", "-cf", partial, "."], "tar of the base root")
                partial.rename(tarball)
            TIMINGS["base image: debootstrap"] = time.monotonic() - started
        imported = time.monotonic()
        checked(["podman", "import", "--change", "CMD [\"/bin/bash\"]", tarball, ref], f"podman import {tarball}")
        TIMINGS["base image: podman import"] = time.monotonic() - imported
        checked(["podman", "run", "--rm", "--network", "none", ref, "python", "-m", "venv", "--help"],
                "the base image's python -m venv")
    return ref


# --- the machine's pip configuration, for the build ----------------------------------------

PATH_KEYS = {"cert", "client-cert", "constraint", "requirement", "find-links", "index-url", "extra-index-url"}


@dataclass
class PipConfig:
    """What pip on this machine reads: files, environment settings, and the local paths they name."""

    files: list[tuple[Path, Path]] = field(default_factory=list)  # (on the machine, in the build)
    env_settings: dict[str, str] = field(default_factory=dict)  # from PIP_* variables
    paths: list[Path] = field(default_factory=list)  # local files and directories the settings name

    def mounts(self, tmp: Path) -> list[str]:
        volumes = [f"{src}:{dest}:ro" for src, dest in self.files]
        if self.env_settings:
            # PIP_* variables cannot reach a RUN step without being baked into the image, so
            # they go in as a config file, at the legacy per-user path pip still reads.
            generated = tmp / "pip-env.conf"
            generated.write_text("[global]\n" + "".join(f"{k} = {v}\n" for k, v in self.env_settings.items()))
            volumes.append(f"{generated}:/root/.pip/pip.conf:ro")
        volumes += [f"{p}:{p}:ro" for p in self.paths]
        return volumes


def pip_config() -> PipConfig:
    """The pip configuration of the interpreter running the tests (``pip config debug``)."""
    debug = checked([sys.executable, "-m", "pip", "config", "debug"], "pip config debug", env=dict(os.environ))
    config = PipConfig()
    section = ""
    home = Path.home()
    for line in debug.stdout.splitlines():
        if re.match(r"^\S.*:$", line):
            section = line[:-1].strip()
            continue
        found = re.match(r"^\s+(/\S.*), exists: True$", line)
        if found and section in ("global", "user"):
            src = Path(found.group(1))
            dest = src
            if section == "user":  # the build runs as root
                with contextlib.suppress(ValueError):
                    dest = Path("/root") / src.relative_to(home)
            config.files.append((src, dest))
    values: dict[str, str] = {}
    listing = checked([sys.executable, "-m", "pip", "config", "list"], "pip config list", env=dict(os.environ))
    for line in listing.stdout.splitlines():
        match = re.match(r"^(:env:|[\w-]+)\.([\w-]+)='(.*)'$", line)
        if not match:
            continue
        origin, key, value = match.groups()
        if origin == ":env:":
            config.env_settings[key] = value
        values[f"{origin}.{key}"] = value
        if key in PATH_KEYS:
            for item in value.split():
                path = Path(item[len("file://"):]) if item.startswith("file://") else Path(item)
                if path.name == "simple":  # a local index links its files relatively (../../files/...)
                    path = path.parent
                if path.is_absolute() and path.exists() and path not in config.paths:
                    config.paths.append(path)
    # The CA bundle pip uses: its configured cert, else the system bundle Python's ssl uses.
    cert = next((values[k] for k in (":env:.cert", "global.cert", "user.cert") if k in values), None)
    bundle = Path(cert or os.environ.get("SSL_CERT_FILE") or "/etc/ssl/certs/ca-certificates.crt")
    if bundle.is_file() and bundle not in config.paths:
        config.paths.append(bundle)
    return config


# --- building ----------------------------------------------------------------------------

def build(tag: str, *, context: Path = REPO, target: str | None = None, dockerfile: Path | None = None,
          build_args: dict[str, str] | None = None, what: str) -> str:
    """``podman build`` with the machine's pip configuration mounted; no image is pulled."""
    argv: list[str | Path] = ["podman", "build", "--pull=never", "--layers", "-t", tag]
    if target:
        argv += ["--target", target]
    if dockerfile:
        argv += ["-f", dockerfile]
    for key, value in (build_args or {}).items():
        argv += ["--build-arg", f"{key}={value}"]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="fkp-build-") as tmp:
        for volume in pip_config().mounts(Path(tmp)):
            argv += ["-v", volume]
        argv.append(context)
        with locked("build"):
            checked(argv, f"podman build of {what}", timeout=1200)
    TIMINGS[f"build: {what}"] = time.monotonic() - started
    return tag


# --- podman's Docker-compatible API ------------------------------------------------------

@dataclass
class ApiService:
    socket: Path
    process: subprocess.Popen[bytes]

    @property
    def docker_host(self) -> str:
        return f"unix://{self.socket}"


def start_api_service(directory: Path) -> ApiService:
    """``podman system service`` on a socket of this session, answering the docker CLI."""
    socket = directory / "podman.sock"
    log = open(directory / "podman-service.log", "wb")  # noqa: SIM115 (the process writes to it)
    process = subprocess.Popen(["podman", "system", "service", "--time=0", f"unix://{socket}"], env=engine_env(),
                               stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    service = ApiService(socket, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        probe = run(["docker", "version", "--format", "{{.Server.Version}}"],
                    env=engine_env(DOCKER_HOST=service.docker_host), timeout=30)
        if probe.returncode == 0 and probe.stdout.strip():
            return service
        time.sleep(0.3)
    stop_api_service(service)
    raise EngineError(f"podman system service did not answer on {socket}: "
                      f"{(directory / 'podman-service.log').read_text(errors='replace')[-2000:]}")


def stop_api_service(service: ApiService) -> None:
    if service.process.poll() is None:
        service.process.terminate()
        try:
            service.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait(timeout=30)


def machine() -> str:
    return f"{platform.machine()}, podman {podman('--version').stdout.strip().split()[-1]}"


# podman's Docker-compatible API before 4.6 answers the docker CLI's
# ``wait?condition=removed`` (what ``docker run --rm`` sends) with exit code 0, whatever the
# container returned (containers/podman issue 18889, fixed by pull request 18912 in 4.6).
# Debian 12 ships podman 4.3. kpt, kustomize and hydrate.sh all use ``docker run --rm``.
PODMAN_RM_EXIT_BUG = "podman < 4.6: `docker run --rm` through its API always exits 0 (containers/podman#18889)"


def rm_keeps_exit_codes(cli: str, env: dict[str, str], image: str) -> bool:
    """Whether ``CLI run --rm`` returns the container's exit code: the function exits 2 on a bad flag."""
    proc = run([cli, "run", "--rm", "--network", "none", image, "--no-such-option"], env=env, timeout=120)
    if "unrecognized arguments: --no-such-option" not in proc.stderr:
        raise EngineError(f"{cli} run --rm {image} did not run the function: {proc.stderr[-2000:]}")
    return proc.returncode == 2
