"""extraTargets JSONPath evaluation is bounded (issue 11, E)."""

from __future__ import annotations

import time

import pytest
from badinput_helpers import run_inproc

from fix_kserve_probes.krm.extra_targets import MAX_STEPS, check

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - name: c
        readinessProbe: {exec: {command: [cat, /tmp/ready]}}
"""


def _config(path: str) -> str:
    return ("apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\nmetadata: {name: c}\n"
            f"spec:\n  extraTargets:\n  - kind: Deployment\n    containers: \"{path}\"\n")


@pytest.mark.parametrize(("path", "problem"), [
    ("$..containers[*]", "recursive descent"),
    ("$.spec.template.spec.containers[?(@.name =~ '(a+)+$')]", "regular expression filters"),
    ("$" + ".a" * 20_000, f"more than {MAX_STEPS} steps"),
])
def test_unbounded_paths_are_config_errors(path: str, problem: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Regression: ``$..containers[*]`` over an alias bomb and ``=~ '(a+)+$'`` ran for minutes;
    a 20,000-step path was an internal RecursionError."""
    assert problem in (check(path) or "")
    config = tmp_path / "fn.yaml"
    config.write_text(_config(path))
    start = time.monotonic()
    run = run_inproc(["--config", str(config)], DEPLOYMENT.encode())
    assert time.monotonic() - start < 10
    assert run.code == 1 and "internal error" not in run.err and problem in run.err, run.err
    assert len(run.err.splitlines()) == 1, run.err


def test_a_bounded_path_still_finds_the_containers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "fn.yaml"
    config.write_text(_config("$.spec.template.spec.containers[?(@.name == 'c')]"))
    run = run_inproc(["--config", str(config)], DEPLOYMENT.encode())
    assert run.code == 0 and b"exec" not in run.out, run.err


def test_an_alias_bomb_is_a_limit_error_not_minutes_of_work(tmp_path) -> None:  # type: ignore[no-untyped-def]
    levels = ["  l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"  l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 8)]
    bomb = DEPLOYMENT.replace("spec:\n  template:", "bomb:\n" + "\n".join(levels) + "\nspec:\n  template:", 1)
    config = tmp_path / "fn.yaml"
    config.write_text(_config("$.bomb.l7[*][*][*][*][*][*][*]"))
    start = time.monotonic()
    run = run_inproc(["--config", str(config)], bomb.encode())
    assert time.monotonic() - start < 10
    assert run.code == 1 and "too large to search with extraTargets" in run.err, run.err
    assert "internal error" not in run.err
