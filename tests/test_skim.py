"""skim.py: a skimmed run has exactly the outcome of a full read, it skims what it can,
and it reads in full whatever it cannot be sure of.

Every input these tests have (generated ResourceLists, the benchmark's, the golden
cases, kpt's captured inputs) runs both ways: same output, results, summary and error.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from badinput_cases import CASES
from builders import AGENT_FREE_ISVC
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from fix_kserve_probes import engine, skim
from fix_kserve_probes.errors import FnError
from fix_kserve_probes.krm.config import load
from fix_kserve_probes.yamltext import pieces
from fix_kserve_probes.yamltext.errors import TextError
from fix_kserve_probes.yamltext.nodes import YMap
from fix_kserve_probes.yamltext.scanner import Limits
from fix_kserve_probes.yamltext.source import decode

try:
    from . import strategies as gen
except ImportError:  # tests/ is not a package
    import strategies as gen  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402  (bench/generate.py: the benchmark's inputs)

GOLDEN = Path(__file__).parent / "golden"
SHARED = ROOT.parent / "shared" / "krm-inputs"
SKIMMED: list[int] = []  # items left unread in each generated ResourceList


@contextmanager
def skim_everything() -> Iterator[None]:
    """Skim even the smallest ResourceList, as if each were a big one."""
    kept = skim.SMALLEST, skim.MIN_SKIPPED, engine.SKIM_FROM
    skim.SMALLEST, skim.MIN_SKIPPED, engine.SKIM_FROM = 0, 1, 0
    try:
        yield
    finally:
        skim.SMALLEST, skim.MIN_SKIPPED, engine.SKIM_FROM = kept


def outcome(text: str | bytes, skimmed: bool, config: Any = None) -> tuple[Any, ...]:
    """Everything a run tells: output, results, summary, error."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        got = engine.run_package([engine.Source(decode(data))], config=config, skim=skimmed)
    except (FnError, TextError) as err:
        return ("raised", type(err).__name__, str(err))
    return (got.output, [r.to_dict() for r in got.results], got.summary, str(got.fatal), got.changed)


def same_both_ways(text: str | bytes, config: Any = None) -> None:
    with skim_everything():
        assert outcome(text, True, config) == outcome(text, False, config)


def stand_ins(text: str) -> list[int]:
    """The items a skim leaves unread (None: it does not skim at all)."""
    with skim_everything():
        found = skim.skim(text)
    if found is None:
        return []
    items = found.scan.docs[0].root["items"]
    return [k for k, item in enumerate(items) if isinstance(item, YMap) and item.flow and not item]


@st.composite
def package(draw: Any) -> str:
    """A ResourceList of many resources (strategies.py's), laid out as kyaml writes it:
    two spaces a level, sequences compact, long strings folded at a drawn width."""
    items = list(draw(gen.resources()))
    runtimes = [(i["kind"], i["metadata"]["name"]) for i in items if i["kind"].endswith("ServingRuntime")]
    for n in range(draw(st.integers(2, 8))):
        maker = draw(st.sampled_from((gen.config_map, gen.deployment, gen.config_map)))
        items.append(draw(maker(f"extra-{n}")))
    items += [draw(gen.inference_service(f"more-{n}", runtimes)) for n in range(draw(st.integers(0, 4)))]
    items = list(draw(st.permutations(items)))
    root: dict[str, Any] = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": items}
    config = draw(gen.function_config())
    if config is not None:
        root["functionConfig"] = config
    return yaml.safe_dump(root, sort_keys=False, allow_unicode=True, width=draw(st.sampled_from((40, 80, 1000))))


# Derandomized: the test after it counts how many of these examples were skimmed.
@settings(max_examples=80, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=st.one_of(package(), gen.resource_list().map(lambda case: case.text)))
def test_generated_resource_lists_read_the_same_skimmed(text: str) -> None:
    same_both_ways(text)
    SKIMMED.append(len(stand_ins(text)))


def test_generated_resource_lists_were_skimmed() -> None:
    """The test above compared skimmed runs, not only full ones (it runs first)."""
    assert len(SKIMMED) >= 20 and sum(1 for n in SKIMMED if n) >= len(SKIMMED) // 10, SKIMMED


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=package(), extra=st.sampled_from(("", "  x: '- - y'\n", "  y: a ? b\n", "  z: '*&!'\n")))
def test_signs_searched_once_in_the_whole_text_give_each_item_its_own_verdict(text: str, extra: str) -> None:
    """``skim._Present``: an item is searched only for the signs the whole text holds,
    and that gives every item the verdict a search for all of them gives."""
    text = text.replace("\nitems:\n", f"\nitems:\n- kind: Note\n{extra}", 1)
    found = pieces.item_pieces(text)
    assume(found is not None)
    assert extra in text[found[0][0] : found[0][1]]
    present, everything = skim._Present.of(text), skim._Present(skim.UNSAFE, True)
    for a, b in found:
        assert skim._unread(text[a:b], True, Limits(), present) == skim._unread(text[a:b], True, Limits(), everything)


@pytest.mark.parametrize("variant", generate.VARIANTS)
@pytest.mark.parametrize("fraction", [0, 0.05, 0.5, 1])
def test_benchmark_inputs_skim_every_item_the_planner_passes_over(variant: str, fraction: float) -> None:
    text = generate.resource_list(40, fraction, generate.SEED, variant=variant)
    same_both_ways(text)
    unread = set(stand_ins(text))
    pieces = text.split("\n- ")[1:]  # the items, in order (each opens with "- " at column 0)
    for k, piece in enumerate(pieces):
        last = k == len(pieces) - 1
        readable = "kind: ConfigMap" in piece or ("kind: InferenceService" in piece and "logger" not in piece
                                                  and "&" not in piece)
        assert (k in unread) == (readable and not last), piece[:200]


def test_big_inputs_are_skimmed_and_small_ones_are_not() -> None:
    assert skim.skim(generate.resource_list(2, 0.05, generate.SEED)) is None  # a few items: not worth it
    found = skim.skim(generate.resource_list(200, 0.05, generate.SEED))
    assert found is not None and found.unread > 300


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir() if (p / "input.yaml").is_file()))
def test_golden_inputs_read_the_same_skimmed(case: str) -> None:
    text = (GOLDEN / case / "input.yaml").read_bytes().decode("utf-8-sig")
    config_file = GOLDEN / case / "config.yaml"
    config = None
    if config_file.is_file():
        try:
            config = load(YAML(typ="safe").load(config_file.read_text()))
        except FnError:
            return  # a case about a refused config: nothing is planned either way
    same_both_ways(text, config)


def test_captured_kpt_inputs_read_the_same_skimmed() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent (the shared KServe files are not beside this clone)")
    files = sorted(SHARED.glob("*.yaml"))
    assert files
    for path in files:
        same_both_ways(path.read_text(encoding="utf-8"))


def resource_list(*items: str, config: str = "") -> str:
    """A ResourceList as kpt writes it, of these items (each a block mapping at column 0)."""
    body = "".join("- " + textwrap.indent(item, "  ")[2:] for item in items)
    tail = "functionConfig:\n" + textwrap.indent(config, "  ") if config else ""
    return f"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{body}{tail}"


CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{n}\ndata:\n  a: '1'\n"
ISVC = AGENT_FREE_ISVC.replace("\n  ", "\n")[2:]  # the resource itself, at column 0


def filler(n: int = 3) -> list[str]:
    return [CONFIGMAP.format(n=k) for k in range(n)]


@pytest.mark.parametrize(("item", "why"), [
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: &x 1\n  y: *x\n", "anchor and alias"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: !!str 1\n", "a tag"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: InferenceService\n", "a KServe word"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"\\u0041\"\n", "an escape"),
    ("apiVersion: v1\nkind: ConfigMapList\nitems: []\n", "a List"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: [a\n", "bad YAML"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inferenceservice-config\n", "KServe's own config"),
])
def test_items_that_could_matter_are_read(item: str, why: str) -> None:
    text = resource_list(*filler(), item, *filler())
    assert 3 not in stand_ins(text), why
    same_both_ways(text)


@pytest.mark.parametrize(("change", "why"), [
    (("storageUri: gs://bucket/model-1", "storageUri: null"), "no storage: a multi-model predictor"),
    (("storageUri: gs://bucket/model-1", "storage:\n        key: k"), "storage: left to the full read"),
    (("      readinessProbe:", "      logger:\n        mode: all\n      readinessProbe:"), "a logger"),
    (("RawDeployment", "Raw"), "an unknown deployment mode warns"),
    (("  name: isvc-1\n", "  name: 1\n"), "a name that is a number is warned about"),
    (("    model:\n", "    canary: {}\n    model:\n"), "a canary"),
    (("    model:\n", "    sklearn:\n      storageUri: gs://x\n    model:\n"), "two model fields"),
    (("      storageUri: gs://bucket/model-1", "      storageUri: \"gs://bucket/model-1\n        x\""), "multi-line"),
])
def test_inference_services_that_might_get_an_agent_are_read(change: tuple[str, str], why: str) -> None:
    quiet_one = ISVC.format(n=1)
    assert change[0] in quiet_one
    text = resource_list(*filler(), quiet_one.replace(*change), *filler())
    assert 3 not in stand_ins(text), why
    assert 3 in stand_ins(resource_list(*filler(), quiet_one, *filler()))
    same_both_ways(text)


def test_a_runtime_that_may_inject_an_agent_makes_every_inference_service_read() -> None:
    runtime = """apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata:
  name: sklearn-rt
spec:
  annotations:
    internal.serving.kserve.io/agent: "true"
  supportedModelFormats:
  - name: sklearn
    autoSelect: true
  containers:
  - name: kserve-container
    image: x
"""
    text = resource_list(runtime, *filler(), ISVC.format(n=1), *filler())
    assert 4 not in stand_ins(text)
    same_both_ways(text)
    with skim_everything():
        got = engine.run(decode(text.encode()))
    items = got.output.split("\nresults:")[0]
    assert got.changed and "exec:" not in items  # the runtime's annotation gives the InferenceService an agent


def test_extra_targets_read_every_item() -> None:
    deployment = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        readinessProbe:
          exec:
            command: [cat, /tmp/ready]
"""
    config = "apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\nmetadata:\n  name: fn\nspec:\n" \
             "  extraTargets:\n  - kind: Deployment\n    containers: $.spec.template.spec.containers[*]\n"
    text = resource_list(*filler(), deployment, *filler(), config=config)
    same_both_ways(text)
    with skim_everything():
        got = engine.run(decode(text.encode()))
    assert "exec:" not in got.output.split("kind: Deployment")[1].split("\n- ")[0]


def test_a_quoted_scalar_with_a_line_that_looks_like_an_item_is_one_item() -> None:
    tricky = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  x: "one\n- two"\n'
    text = resource_list(*filler(), tricky, *filler()).replace("\n  - two", "\n- two")
    assert "\n- two\"" in text
    assert 3 not in stand_ins(text)
    same_both_ways(text)


def test_repeated_keys_in_an_unread_item_are_not_checked() -> None:
    """The documented difference (README, Safety): libyaml does not refuse a repeated key;
    kyaml does, when kpt or kustomize reads the package that becomes a ResourceList."""
    repeated = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\ndata:\n  x: '1'\n  x: '2'\n"
    text = resource_list(*filler(), repeated, *filler())
    assert 3 in stand_ins(text)
    with skim_everything():
        skimmed = outcome(text, True)
        full = outcome(text, False)
    assert skimmed[0].startswith(text) and skimmed[3] == "None"  # passed through as it is
    assert full[0] == "raised" and "duplicate key" in full[2]



HEAD = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
CONFIG_MAP = "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-{n}\n  data:\n    a: '1'\n"
RUNTIME_ESCAPED = """- apiVersion: serving.kserve.io/v1alpha1
  kind: ServingRuntime
  metadata: {name: rt}
  spec:
    annotations: {"internal.serving.kserve.\\x69o/agent": "true"}
    supportedModelFormats: [{name: sklearn, autoSelect: true}]
    containers: [{name: kserve-container, image: x}]
"""
HIDDEN = ("- {apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, metadata: {name: h}, spec: {predictor: "
          "{model: {modelFormat: {name: sklearn}, readinessProbe: {exec: {command: [cat, /tmp/ready]}}}}}}\n")


@pytest.mark.parametrize("text", [
    pytest.param(HEAD + "- a: 1\u2028- 5\n- b: 2\n", id="LS-hides-an-item"),
    pytest.param(HEAD + "- a: 1\x85- c: 3\n- b: 2\n", id="NEL-hides-an-item"),
    pytest.param(HEAD + AGENT_FREE_ISVC.format(n=1) + "  #\u2028" + HIDDEN + "- b: 2\n", id="LS-in-a-comment"),
    pytest.param(HEAD + "- a: 1\n---\n- b: 2\n", id="document-start-in-an-item"),
    pytest.param(HEAD + "- a: 1\n--- {b: 1}\n- b: 2\n", id="document-start-with-content"),
    pytest.param(HEAD + "- a:\n  " + "- " * 260 + "x\n- b: 2\n", id="compact-sequences-too-deep"),
    pytest.param(HEAD + "- a:\n    " + "? " * 260 + "x\n- b: 2\n", id="explicit-keys-too-deep"),
    pytest.param((HEAD.replace("items:", "items: #") + "- a: 1\n-\n  c: 3\n- b: 2\n").replace("\n", "\r\n"), id="CRLF"),
    pytest.param(HEAD + RUNTIME_ESCAPED + AGENT_FREE_ISVC.format(n=1) + "- b: 2\n", id="runtime-agent-key-escaped"),
    pytest.param(HEAD + "- x: &ann {internal.serving.kserve.io/agent: 'true'}\n"
                 + RUNTIME_ESCAPED.replace('{"internal.serving.kserve.\\x69o/agent": "true"}', "*ann")
                 + AGENT_FREE_ISVC.format(n=1) + "- b: 2\n", id="runtime-agent-key-aliased"),
    pytest.param(HEAD + AGENT_FREE_ISVC.format(n=1).replace("RawDeployment\n", "RawDeployment\n        -\n")
                 + "- {}\n", id="plain-scalar-continued-by-a-dash-line"),
    pytest.param(HEAD + "- metadata:\n    annotations:\n      config.kubernetes.io/index: .inf\n- {}\n",
                 id="a-file-index-of-infinity"),
    pytest.param(HEAD + '- k: "x\n- y"\n' * 2 + "".join(CONFIG_MAP.format(n=n) for n in range(12)),
                 id="quoted-scalars-cut-twice"),
    pytest.param(HEAD + "- kind: InferenceService\n" * 4 + '- k: "x\n- k2: v\n    z"\n' + CONFIG_MAP.format(n=1)
                 + CONFIG_MAP.format(n=2) + '- q: v # "\n', id="quoted-scalar-cut-before-a-stand-in"),
])
def test_regression_red_team_inputs_read_the_same_skimmed(text: str) -> None:
    """Inputs three reviews found where the skimmed run differed (an item hidden behind a
    line break other than LF, a document marker, nesting on one line, a runtime's agent
    annotation spelled with an escape or an alias, a plain scalar continued on a "- "
    line, a file index the full read crashed on, quoted scalars holding a "- " line at
    column 0, which cut the text into more pieces than items: an IndexError)."""
    same_both_ways(text)


def test_a_collection_before_the_items_does_not_stop_the_skim() -> None:
    """Its nodes come first among the scan's offsets, before the first item's (a review
    found such input always read whole: the same outcome, only slower)."""
    items = "".join(CONFIG_MAP.format(n=n) for n in range(12)) + AGENT_FREE_ISVC.format(n=1) + "- {}\n"
    text = HEAD.replace("items:\n", "results:\n- message: earlier\n  severity: info\nitems:\n") + items
    same_both_ways(text)
    assert stand_ins(text)[:13] == list(range(13))  # the 12 ConfigMaps and the InferenceService


@pytest.mark.parametrize("case", [c for c in CASES if c.resource_list is not None], ids=lambda c: c.id)
def test_bad_inputs_in_a_big_resource_list_read_the_same_skimmed(case: Any) -> None:
    """Each ResourceList of the bad-input table (tests/badinput_cases.py), as it is and with
    its items among many ConfigMaps a skim leaves unread."""
    data = case.resource_list() if callable(case.resource_list) else case.resource_list
    if len(data) > 1 << 20:
        return  # the table's inputs built to pass a size limit: refused before any scan
    same_both_ways(data)
    padding = "".join(textwrap.indent(CONFIGMAP.format(n=k), "  ").replace("  apiVersion", "- apiVersion", 1)
                      for k in range(12)).encode()
    if b"\nitems:\n" in data:
        same_both_ways(data.replace(b"\nitems:\n", b"\nitems:\n" + padding, 1))


def test_debug_says_how_many_items_were_skimmed() -> None:
    from clihelp import cli

    data = generate.resource_list(200, 0.05, generate.SEED).encode()
    loud = cli("--debug", stdin=data)
    unread = 200 - 1 + 200 - 10  # the ConfigMaps but the last item, the InferenceServices without a logger
    assert loud.code == 0 and f"debug: skimmed: {unread} of 401 items checked by libyaml only, not read" in loud.err
    assert loud.out == cli(stdin=data).out
