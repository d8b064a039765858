"""Selectors and excludes."""

from __future__ import annotations

from builders import isvc

from fix_kserve_probes.krm.function_config import Selection, Selector
from fix_kserve_probes.krm.selection import excluded, matches, selected

ITEM = isvc("fraud-v2", namespace="team-a", annotations={"owner": "ml"})
ITEM["metadata"]["labels"] = {"tier": "gold", "n": "1"}


def test_every_set_field_must_match() -> None:
    assert matches(Selector(), ITEM)
    assert matches(Selector(name="fraud-*", namespace="team-?", kind="InferenceService"), ITEM)
    assert matches(Selector(labels={"tier": "gold"}, annotations={"owner": "ml"}), ITEM)
    assert not matches(Selector(name="fraud-*", namespace="team-b"), ITEM)
    assert not matches(Selector(labels={"tier": "silver"}), ITEM)
    assert not matches(Selector(labels={"missing": ""}), ITEM)
    assert not matches(Selector(kind="ServingRuntime"), ITEM)
    assert not matches(Selector(name="Fraud-*"), ITEM)  # case-sensitive, like Kubernetes names


def test_selectors_are_any_of_and_exclude_wins() -> None:
    assert selected(ITEM, Selection())
    assert selected(ITEM, Selection(selectors=(Selector(name="x"), Selector(namespace="team-a"))))
    assert not selected(ITEM, Selection(selectors=(Selector(namespace="team-a"),), exclude=(Selector(name="fraud-*"),)))
    assert excluded(ITEM, Selection(exclude=(Selector(labels={"n": "1"}),)))
