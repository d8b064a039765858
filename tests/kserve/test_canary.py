"""A canary pod runs the stable predictor with the canary merged over it (kserve
predictor.go buildCanaryPredictor, mergo with override): the probe its agent reads must
have one handler after that merge, so a stable exec is fixed even when only the canary
has an agent (issue 9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clihelp import cli
from merged import handlers, merge
from ruamel.yaml import YAML

from fix_kserve_probes.kserve.components import canary_merge, surviving

CASE = Path(__file__).resolve().parents[1] / "golden" / "canary-only-logger" / "input.yaml"


def canary_pods(isvc: dict[str, Any]) -> list[list[str]]:
    stable = isvc["spec"]["predictor"]
    return [handlers(merge(stable, c["predictor"])["model"]) for c in isvc["spec"]["canary"]]


def test_only_the_canary_has_an_agent_and_both_sides_are_fixed() -> None:
    before = next(YAML(typ="safe").load_all(CASE.read_text()))
    assert canary_pods(before) == [["exec"], ["exec"]]
    r = cli(stdin=CASE.read_text())
    assert r.code == 0, r.err
    after = next(YAML(typ="safe").load_all(r.out))
    assert canary_pods(after) == [["httpGet"], ["httpGet"]]
    assert after["spec"]["predictor"]["model"]["readinessProbe"]["periodSeconds"] == 10


def test_the_merge_is_mergo_with_override() -> None:
    stable = {"model": {"readinessProbe": {"exec": {"command": ["x"]}, "periodSeconds": 3}}, "containers": [{"a": 1}],
              "minReplicas": 2}
    canary = {"model": {"readinessProbe": {"httpGet": {"port": 8080}}}, "containers": [{"b": 2}], "minReplicas": 0}
    out = canary_merge(stable, canary)
    assert out["model"]["readinessProbe"] == {"exec": {"command": ["x"]}, "periodSeconds": 3, "httpGet": {"port": 8080}}
    assert out["containers"] == [{"b": 2}] and out["minReplicas"] == 2  # lists replaced; empty values ignored
    assert surviving(stable, canary, ("containers", 0)) is None
    assert surviving(stable, {}, ("containers", 0)) == {"a": 1}
    assert surviving(stable, canary, ("model",)) == stable["model"]
