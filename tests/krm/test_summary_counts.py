"""krm.summary: counting a plan's edits into the run's one line."""

from __future__ import annotations

from fix_kserve_probes.krm.resourcelist import Item
from fix_kserve_probes.krm.summary import Summary, summarize
from fix_kserve_probes.kserve.decisions import Edit
from fix_kserve_probes.yamltext.scanner import YMap


def item(kind: str, file: str | None = None) -> Item:
    data = YMap()
    data["kind"] = kind
    return Item(0, (), data, file)


ISVC_PROBE = ("spec", "predictor", "containers", 0, "readinessProbe")


def test_edits_of_one_probe_count_once_and_its_startup_probe_is_part_of_it() -> None:
    items = [item("InferenceService", "a.yaml")]
    edits = [Edit(0, (*ISVC_PROBE, "exec"), "remove", {}, None, "r"),
             Edit(0, (*ISVC_PROBE, "httpGet"), "add", None, {}, "r"),
             Edit(0, (*ISVC_PROBE[:-1], "startupProbe"), "add", None, {}, "r")]
    assert summarize(items, edits, [], 1) == Summary(1, (("InferenceService", 1),), 1, 1, 0, 0)


def test_kinds_in_first_seen_order_files_distinct_and_problems_counted() -> None:
    items = [item("ServingRuntime", "rt.yaml"), item("InferenceService", "a.yaml"), item("InferenceService", "a.yaml"),
             item("ConfigMap")]
    edits = [Edit(n, ISVC_PROBE, "set", {}, {}, "r") for n in (0, 1, 2)]
    summary = summarize(items, edits, ["warning", "error", "error", "info"], 4)
    assert summary.text() == ("fixed 3 readinessProbes in 1 ServingRuntime and 2 InferenceServices (2 files); "
                              "2 errors, 1 warning")
    assert summary.text(would=True).startswith("would fix 3 readinessProbes")


def test_three_kinds_are_a_list() -> None:
    kinds = (("InferenceService", 2), ("ServingRuntime", 1), ("Deployment", 1))
    assert Summary(4, kinds, 0, 9, 0, 0).text() == ("fixed 4 readinessProbes in 2 InferenceServices, "
                                                    "1 ServingRuntime and 1 Deployment")


def test_nothing_to_fix_unless_an_error_says_something_was_not_fixed() -> None:
    assert Summary(0, (), 0, 1, 0, 0).text() == "nothing to fix in 1 resource"
    assert Summary(0, (), 0, 40, 0, 2).text() == "nothing to fix in 40 resources; 2 warnings"
    assert Summary(0, (), 0, 3, 1, 0).text() == "fixed nothing in 3 resources; 1 error"
    assert Summary(0, (), 0, 3, 1, 0).text(would=True) == "would fix nothing in 3 resources; 1 error"
