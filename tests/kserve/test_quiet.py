"""kserve/quiet.py: an InferenceService it calls agent-free makes the planner find nothing.

The property test is the one that matters: for generated InferenceServices, laid out as
kyaml writes a ResourceList item, ``agent_free`` may say False when unsure, but True only
when the planner, given the parsed resource, has no edit and no finding.
"""

from __future__ import annotations

from typing import Any

import pytest
import strategies as gen
import yaml
from builders import AGENT_FREE_ISVC
from guards import fails_after
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fix_kserve_probes.kserve import quiet
from fix_kserve_probes.kserve.plan import plan
from fix_kserve_probes.kserve.settings import Settings
from fix_kserve_probes.yamltext.pieces import plain_block, scalar

RUNTIMES = [("ClusterServingRuntime", "kserve-sklearnserver")]
ISVC = AGENT_FREE_ISVC.format(n=1)


def free(text: str) -> bool:
    return quiet.agent_free(text, scalar, plain_block)


def as_item(resource: dict[str, Any], width: int = 80) -> str:
    """One ResourceList item as kyaml lays it out."""
    return yaml.safe_dump([resource], sort_keys=False, allow_unicode=True, width=width)


def test_a_model_with_storage_and_no_agent_is_free() -> None:
    assert free(ISVC)
    assert free(ISVC.replace("RawDeployment", "Serverless"))
    assert free(ISVC.replace("      serving.kserve.io/deploymentMode: RawDeployment\n", ""))
    assert free(ISVC.replace("storageUri: gs://bucket/model-1", 'storageUri: "gs://bucket/model"  '))


def test_a_custom_container_list_is_no_multi_model_server() -> None:
    custom = ISVC.split("      model:")[0] + "      containers:\n      - name: kserve-container\n        image: x\n"
    assert free(custom)
    assert free(custom.replace("      - name", "        - name").replace("        image", "          image"))


@pytest.mark.parametrize(("old", "new"), [
    ("storageUri: gs://bucket/model-1", "storageUri: null"),  # a multi-model predictor: the model puller
    ("storageUri: gs://bucket/model-1", "storageUri:"),
    ("storageUri: gs://bucket/model-1", "storageUri: ~"),
    ("        storageUri: gs://bucket/model-1\n", ""),
    ("    predictor:\n", "    predictor:\n      logger:\n        mode: all\n"),
    ("    predictor:\n", "    transformer:\n      batcher: {}\n    predictor:\n"),
    ("      serving.kserve.io/deploymentMode", "      internal.serving.kserve.io/agent: 'true'\n      x"),
    ("RawDeployment", "Raw"),  # an unknown mode is a warning
    ("name: isvc-1", "name: 12"),  # a name that is no string is a warning
    ("  metadata:\n    name: isvc-1\n", "  metadata:\n"),
    ("kind: InferenceService", "kind: InferenceServiceList"),
    ("      model:\n", "      sklearn:\n        storageUri: gs://x\n      model:\n"),  # model_field picks model
    ("    predictor:\n", "    canary:\n    - trafficPercent: 10\n    predictor:\n"),
    ("storageUri: gs://bucket/model-1", "storageUri: *uri"),
    ("storageUri: gs://bucket/model-1", 'storageUri: "gs://bucket/\\model"'),
    ("storageUri: gs://bucket/model-1", "storageUri: \"gs://bucket/model\n          more\""),  # not plain block
    ("        storageUri", "         storageUri"),  # not under model as kyaml lays it out
])
def test_anything_that_could_give_an_agent_or_a_finding_is_not_free(old: str, new: str) -> None:
    assert old in ISVC
    assert not free(ISVC.replace(old, new))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resource=gen.inference_service("isvc-1", RUNTIMES), width=st.sampled_from((30, 80, 1000)))
def test_agent_free_means_the_planner_finds_nothing(resource: dict[str, Any], width: int) -> None:
    text = as_item(resource, width)
    (parsed,) = yaml.safe_load(text)
    found = plan([parsed], Settings())
    if free(text):
        assert found.edits == [] and found.findings == [], text


def test_the_generated_inference_services_include_free_ones() -> None:
    """The property above is not vacuous: the generator draws agent-free services."""
    free_ones = []

    @settings(max_examples=200, deadline=None, database=None)
    @given(resource=gen.inference_service("isvc-1", RUNTIMES))
    def count(resource: dict[str, Any]) -> None:
        free_ones.append(free(as_item(resource)))

    count()
    assert 5 <= sum(free_ones) < len(free_ones)


def test_planner_words_and_runtimes() -> None:
    assert quiet.planner_words("kind: ConfigMap\n") == ()
    assert quiet.planner_words("x: inferenceservice-config\n") == ("inferenceservice-config",)
    assert quiet.runtime_may_inject("kind: ServingRuntime\n  internal.serving.kserve.io/agent: 'true'\n")
    assert not quiet.runtime_may_inject("kind: ServingRuntime\n")


def test_a_search_that_fails_after_many_deep_lines_ends_at_once() -> None:
    """Regression: the searches once backtracked through every way to split a deep line's
    spaces, and never ended on an InferenceService without a storageUri (found by the test above)."""
    deep = "".join(f"        {' ' * (n % 12)}k{n}: v\n" for n in range(300))
    text = ISVC.replace("        storageUri: gs://bucket/model-1\n", deep).replace("    name: isvc-1\n", "")
    with fails_after(10):
        assert not free(text)
        assert not free(text.replace("  metadata:\n", "  metadata:\n    name: x\n"))

