"""Differential tests: the text splicer against the ruamel round-trip reference applier.

Hypothesis draws KServe-shaped inputs (see ``strategies.py``) rendered in many layouts,
runs each through ``engine.run`` with both appliers (a few also through the CLI), and
checks that:

- the input loads to the data it was drawn from (the generator keeps its word);
- both appliers report the same results, and both outputs load (JSON input: as JSON)
  to the same data: the input's data with exactly the reported rewrites applied;
- each rewritten readinessProbe equals the result's ``proposedValue`` and has no
  ``exec``/``grpc`` handler (or is gone, with strategy ``remove``), and the input held
  the result's ``currentValue``;
- where the splicer ran (``spans`` is not None), every character outside the spans is
  unchanged and in order, every span lies in a resource the planner edited (or is the
  ResourceList's ``results``/``items``), and every other resource's text is in the
  output byte for byte;
- the round-trip applier takes over only edited resources with anchors or aliases, and
  always does for those;
- a second run over the output changes nothing (streams: identical text; ResourceLists:
  identical data apart from ``results``).

FIX_KSERVE_PROBES_DIFF_EXAMPLES sets the number of generated inputs for the whole file
(default 150, shared out between the tests below); CI=1 makes the run deterministic.
The hand-written cases at the end pin every bug these tests have found (B to H in the
history), as regression tests.
"""

from __future__ import annotations

import collections
import copy
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import event as _event
from hypothesis import note as _note
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from fix_kserve_probes import cli, engine
from fix_kserve_probes.errors import InputError
from fix_kserve_probes.krm.config import load as load_config
from fix_kserve_probes.krm.function_config import FunctionConfig
from fix_kserve_probes.yamltext.roundtrip import BROKEN_DUMP
from fix_kserve_probes.yamltext.source import decode

try:
    from . import strategies as gen
except ImportError:  # tests/ is not a package
    import strategies as gen  # type: ignore[no-redef]

TOTAL = int(os.environ.get("FIX_KSERVE_PROBES_DIFF_EXAMPLES", "150"))
SHARES = {"yaml": 0.4, "resourcelist": 0.33, "json": 0.17, "cli": 0.1}
CI = bool(os.environ.get("CI"))
STATS: collections.Counter[str] = collections.Counter()
MISSING = object()


def cfg(raw: dict[str, Any] | None) -> FunctionConfig | None:
    """A raw function config, validated as the CLI's --config would be."""
    return None if raw is None else load_config(raw)


def budget(name: str) -> Any:
    return settings(
        max_examples=max(1, round(TOTAL * SHARES[name])),
        deadline=None,
        derandomize=CI,
        database=None if CI else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
        print_blob=True,
    )


class _Summary:
    """A plugin registered at run time: one line on the generated inputs in pytest's summary."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if STATS["cases"]:
            terminalreporter.write_line(
                f"differential: {STATS['cases']} inputs (FIX_KSERVE_PROBES_DIFF_EXAMPLES={TOTAL}): "
                f"{STATS['edited']} with edits, {STATS['spliced']} spliced, {STATS['fallback']} with a round-trip "
                f"fallback, {STATS['resourcelist']} ResourceLists, {STATS['json']} JSON, {STATS['cli']} also through "
                "the CLI"
            )


@pytest.fixture(scope="module", autouse=True)
def _report(request: pytest.FixtureRequest) -> Any:
    manager = request.config.pluginmanager
    if not manager.has_plugin("fix-kserve-probes-differential"):
        manager.register(_Summary(), "fix-kserve-probes-differential")
    yield


def run_cli(args: list[str], **streams: Any) -> int:
    """cli.main in this process, leaving the recursion limit it raises as it was."""
    limit = sys.getrecursionlimit()
    try:
        return cli.main(args, **streams)
    finally:
        sys.setrecursionlimit(limit)


# --------------------------------------------------------------------------- helpers


def note(message: str) -> None:
    if currently_in_test_context():
        _note(message)


def event(message: str) -> None:
    if currently_in_test_context():
        _event(message)


def load(text: str, is_json: bool) -> list[Any]:
    return [json.loads(text)] if is_json else gen.load_yaml(text)


def items_of(docs: list[Any], form: str) -> list[Any]:
    if form == "resourcelist":
        return list(docs[0].get("items") or [])
    return [d for d in docs if d is not None]


def without_results(docs: list[Any]) -> list[Any]:
    return [{k: v for k, v in d.items() if k != "results"} if isinstance(d, dict) else d for d in docs]


def parse_path(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in path.split("."):
        name, *indices = re.split(r"\[(\d+)\]", part)
        if name:
            steps.append(name)
        steps.extend(int(i) for i in indices if i)
    return steps


def get(value: Any, path: list[str | int]) -> Any:
    for step in path:
        in_list = isinstance(step, int) and isinstance(value, list) and step < len(value)
        in_map = isinstance(step, str) and isinstance(value, dict) and step in value
        if not (in_list or in_map):
            return MISSING
        value = value[step]
    return value


def ref_of(result: Any) -> tuple[str, str, str | None]:
    ref = result.resource_ref or {}
    return ref.get("kind", ""), ref.get("name", ""), ref.get("namespace")


def by_ref(items: list[Any]) -> dict[tuple[str, str, str | None], Any]:
    return {gen.ref_key(item): item for item in items if isinstance(item, dict)}


def describe(key: tuple[str, str, str | None]) -> str:
    """The name engine.Outcome.fallbacks uses for a resource (krm.Item.describe)."""
    kind, name, namespace = key
    return f"{kind} {namespace}/{name}" if namespace else f"{kind} {name}"


def check_spans(src: str, out: str, spans: list[tuple[int, int, str]]) -> None:
    """Every character outside the spans is in the output, unchanged and in order."""
    pos_in = pos_out = 0
    for start, end, replacement in sorted(spans):
        assert pos_in <= start <= end, f"spans overlap or are reversed at {start}"
        gap = src[pos_in:start]
        assert out[pos_out : pos_out + len(gap)] == gap, f"text before span {start} changed"
        pos_out += len(gap)
        assert out[pos_out : pos_out + len(replacement)] == replacement
        pos_out += len(replacement)
        pos_in = end
    assert out[pos_out:] == src[pos_in:], "text after the last span changed"


def check_span_owners(case: gen.Case, spans: list[tuple[int, int, str]], edited: set[Any], newline: str) -> None:
    """Each span lies inside one edited resource, or is the ResourceList's results/items."""
    for start, end, replacement in spans:
        owners = [key for key, (a, b) in case.ranges.items() if a <= start and end <= b + len(newline)]
        if any(key in edited for key in owners):
            continue
        overlaps = [key for key, (a, b) in case.ranges.items() if start < b and end > a]
        root_key = re.search(r'(^|[\s{,])"?(results|items)"?\s*:', replacement) or re.match(
            r'[\s,]*(- )?\{?"?message"?\s*:', replacement)  # results appended to ones already there
        assert case.form == "resourcelist" and root_key and not overlaps, (
            f"span {(start, end, replacement)!r} is outside every edited resource (owners {owners}, "
            f"overlapping {overlaps}, edited {sorted(edited)})"
        )


def check_untouched(case: gen.Case, out: str, edited: set[Any]) -> None:
    """The text of every resource the planner did not edit is in the output, byte for byte, in order."""
    cursor = 0
    for key, (a, b) in sorted(case.ranges.items(), key=lambda kv: kv[1]):
        if key in edited:
            continue
        chunk = case.text[a:b]
        found = out.find(chunk, cursor)
        assert found >= 0, f"unedited {key} is not in the output byte for byte:\n{chunk}"
        cursor = found + len(chunk)


def check_rewrites(case: gen.Case, before: list[Any], after: list[Any], results: list[Any]) -> set[Any]:
    """Rewritten probes are what the results say, and runnable; returns the edited resources."""
    edited = set()
    before_items, after_items = by_ref(items_of(before, case.form)), by_ref(items_of(after, case.form))
    for result in results:
        if result.severity != "info" or not result.field:
            continue
        key = ref_of(result)
        edited.add(key)
        path = parse_path(result.field["path"])
        assert key in after_items, f"{key} missing from the output"
        old = get(before_items[key], path)
        new = get(after_items[key], path)
        if "currentValue" in result.field:
            assert old == result.field["currentValue"], f"{result.field['path']}: input differs from currentValue"
        else:
            assert old is MISSING
        if "proposedValue" in result.field:
            assert new == result.field["proposedValue"], f"{result.field['path']}: output differs from proposedValue"
        else:
            assert new is MISSING, f"{result.field['path']} should be gone"
        if path[-1] == "readinessProbe" and isinstance(new, dict):
            assert not {"exec", "grpc"} & set(new), f"{result.field['path']} still has {new}"
    return edited


def expected_after(case: gen.Case, results: list[Any], fix: bool = True) -> list[Any]:
    """The input's data with every reported rewrite applied: an oracle independent of both appliers."""
    docs = copy.deepcopy(case.docs)
    items = by_ref(items_of(docs, case.form))
    for result in results:
        if not fix or result.severity != "info" or not result.field:
            continue
        path = parse_path(result.field["path"])
        parent = get(items[ref_of(result)], path[:-1])
        if "proposedValue" in result.field:
            parent[path[-1]] = copy.deepcopy(result.field["proposedValue"])
        else:
            del parent[path[-1]]
    if case.form == "resourcelist":
        root = docs[0]
        root.setdefault("items", [])
        if results:
            root["results"] = [*(root.get("results") or []), *(r.to_dict() for r in results)]
    return docs


def differential(case: gen.Case) -> engine.Outcome:
    STATS["cases"] += 1
    STATS["json"] += case.json
    STATS["resourcelist"] += case.form == "resourcelist"
    note(case.label)
    assert load(case.text, case.json) == case.docs, "generator bug: the text does not load to its data"
    text = decode(case.text.encode("utf-8"))
    logged: list[str] = []
    fast = engine.run(text, config=cfg(case.config), applier="splice", log=logged.append)
    try:
        ref: engine.Outcome | None = engine.run(text, config=cfg(case.config), applier="roundtrip")
    except InputError as err:  # ruamel.yaml wrote broken YAML (a bug of its own): the reference refuses
        assert BROKEN_DUMP in str(err), err
        STATS["reference refused"] += 1
        ref = None
    assert fast.form == case.form
    if ref is not None:
        assert [r.to_dict() for r in fast.results] == [r.to_dict() for r in ref.results]
        assert fast.changed == ref.changed

    # Both outputs load to the input's data with exactly the reported rewrites.
    fast_docs = load(fast.output, case.json)
    expected = expected_after(case, fast.results, fix=fast.config.settings.mode == "fix")
    if ref is not None:
        ref_docs = load(ref.output, case.json)
        assert fast_docs == ref_docs, "the splicer's output loads to other data than the reference's"
        assert ref_docs == expected, "the reference's output is not the input plus the reported rewrites"
    assert fast_docs == expected, "the splicer's output is not the input plus the reported rewrites"

    edited = check_rewrites(case, case.docs, fast_docs, fast.results) if fast.config.settings.mode == "fix" else set()
    assert bool(edited) == fast.changed
    if case.form == "stream" and not fast.changed:
        assert fast.output == text.body

    if fast.changed:
        STATS["edited"] += 1
        event("edited")
    # The round-trip applier may only take over resources it must: edited ones with
    # anchors, aliases or tags (each on its own; the whole input only when one is in flow style).
    fell_back = set(fast.fallbacks)
    must = edited & case.specials
    for desc in fell_back:
        event(f"fallback: {desc}")
    if fast.spans is None:
        STATS["fallback"] += 1
        assert must, f"the whole input went through the round-trip applier without need: {logged}"
        # Generated anchors are aliased only inside their own resource (names may repeat
        # across documents): sharing is never a reason here.
        assert not [line for line in logged if "shares anchors with other resources" in line], logged
    else:
        STATS["spliced"] += bool(fast.spans)
        STATS["fallback"] += bool(fell_back)
        keys = {key for key in case.ranges if any(f == describe(key) or f.startswith(describe(key) + " (")
                                                  for f in fell_back)}
        assert len(keys) == len(fell_back), f"unexpected fallbacks {fell_back} ({logged})"
        # Edited resources with anchors, aliases or tags may be spliced (when no edit touches
        # them): check_spans and check_untouched hold them to the same byte preservation.
        assert keys <= must, f"round-trip applier used without need: {keys - must} ({logged})"
        check_spans(text.body, fast.output, fast.spans)
        check_span_owners(case, fast.spans, edited, text.newline)
        check_untouched(case, fast.output, edited)

    # Idempotence of the fast path.
    again = engine.run(decode(fast.output.encode("utf-8")), config=cfg(case.config))
    assert not again.changed, f"a second run changed more: {[r.message for r in again.results]}"
    if case.form == "stream":
        assert again.output == fast.output, "a second run changed the text"
    else:
        assert without_results(load(again.output, case.json)) == without_results(fast_docs), "a second run changed data"
    return fast


# --------------------------------------------------------------------------- hand-written layouts

ISVC_HEAD = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: {name}
spec:
  predictor:
    logger:
      mode: all
"""
TYPED = {"apiVersion": "fn.kpt.dev/v1alpha1", "kind": "FixKServeProbes", "metadata": {"name": "cfg"}}


def isvc(name: str, containers: str, head: str = ISVC_HEAD) -> str:
    return head.format(name=name) + containers


COMPACT_FIRST = gen.literal(isvc("compact-first", """\
    containers:
    - readinessProbe:
        exec:
          command: [test, -f, /mnt/models/model]
        periodSeconds: 3
      name: kserve-container
      image: example.com/server:1
"""), label="compact entry whose first key is readinessProbe")
COMPACT_FIRST_REMOVE = gen.literal(COMPACT_FIRST.text, config={**TYPED, "spec": {"strategy": "remove"}},
                                   label="compact first key removed")
COMPACT_FIRST_EXEC_ONLY = gen.literal(isvc("compact-exec", """\
    containers:
    - readinessProbe:
        exec: {command: [cat, /tmp/ready]}
      name: kserve-container
"""), label="compact entry, probe with only exec")
EOF_NO_NEWLINE = gen.literal(isvc("eof", """\
    model:
      modelFormat: {name: sklearn}
      readinessProbe:
        periodSeconds: 5
        grpc:
          port: 9000"""), label="probe at end of file, no trailing newline")
EOF_NO_NEWLINE_STARTUP = gen.literal(EOF_NO_NEWLINE.text, config={**TYPED, "spec": {"keepAsStartupProbe": True}},
                                     label="startupProbe appended at end of file without newline")
FLOW_PROBE = gen.literal(isvc("flow", """\
    model:
      modelFormat: {name: triton}
      readinessProbe: {exec: {command: [test, -f, /m]}, periodSeconds: 3}
      storageUri: gs://bucket/model
"""), label="flow-style probe")
FLOW_PROBE_STARTUP = gen.literal(FLOW_PROBE.text, config={**TYPED, "spec": {"keepAsStartupProbe": True}},
                                 label="flow-style probe with a startupProbe added after it")
PRETTY_JSON = gen.literal(json.dumps({
    "apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
    "metadata": {"name": "json-isvc", "annotations": {"serving.kserve.io/deploymentMode": "RawDeployment"}},
    "spec": {"predictor": {"batcher": {"maxBatchSize": 8}, "model": {
        "modelFormat": {"name": "sklearn"},
        "readinessProbe": {"exec": {"command": ["test", "-f", "/mnt/models/model.joblib"]}, "periodSeconds": 5}}}},
}, indent=2) + "\n", is_json=True, label="pretty JSON")
CRLF = gen.literal(isvc("crlf", """\
    model:
      modelFormat:
        name: sklearn
      readinessProbe:
        exec:
          command: ["test", "-f", "/mnt/models/model.joblib"]
        initialDelaySeconds: 10
""").replace("\n", "\r\n"), label="CRLF line endings")
COMMENT_BETWEEN = gen.literal(isvc("commented", """\
    model:
      modelFormat:
        name: sklearn
      readinessProbe:
        # 就绪探针: the agent copies this one
        exec:
          command: [test, -f, /m]  # 模型文件
        # check every 3 seconds
        periodSeconds: 3
      # 🚀 after the probe
      storageUri: gs://bucket/model
"""), label="comments between keys")
BLOCK_SCALAR_BEFORE = gen.literal(isvc("block-scalar", """\
    containers:
    - name: kserve-container
      env:
      - name: NOTE
        value: |
          line one
          line two
      readinessProbe:
        exec:
          command: [test, -f, /m]
"""), label="block scalar just before the probe")
BLOCK_SCALAR_KEEP = gen.literal(isvc("block-scalar-keep", """\
    containers:
    - name: kserve-container
      readinessProbe:
        grpc: {port: 9000}
      workingDir: |-
        /srv
"""), config={**TYPED, "spec": {"keepAsStartupProbe": True}}, label="block scalar after the probe, startupProbe added")
QUOTED_KEYS = gen.literal(isvc("quoted-keys", """\
    "model":
      'modelFormat': {"name": "sklearn"}
      "readinessProbe":
        "exec":
          "command": ['test', "-f", '/m']
        'periodSeconds': 3
"""), label="quoted keys")
TABS_IN_COMMENTS = gen.literal(isvc("tabs", """\
    model:  #\ta tab after the hash
      modelFormat:
        name: sklearn
      readinessProbe:  #\tprobe\twith\ttabs
        exec:
          command: [test, -f, /m] #\ttrailing\t
        #\tbetween keys
        periodSeconds: 3
"""), label="tabs inside comments")
ANCHORED = gen.literal(isvc("anchored", """\
    model:
      modelFormat:
        name: sklearn
      readinessProbe:
        exec:
          command: [test, -f, /m]
        periodSeconds: &period 5
      livenessProbe:
        tcpSocket: {port: 8080}
        periodSeconds: *period
""", head=ISVC_HEAD.replace("  name: {name}\n", "  name: {name}\n  labels:\n    app: &app anchored\n    instance: *app\n")),
    label="anchors and aliases in a touched item", specials=(("InferenceService", "anchored", None),))
ANCHORED_FLOW = gen.literal(
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: before\ndata:\n  a: b\n---\n"
    "{apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, metadata: {name: flow, labels: {app: &a flow, "
    "instance: *a}}, spec: {predictor: {logger: {mode: all}, containers: [{name: kserve-container, "
    "readinessProbe: {exec: {command: [x]}}}]}}}\n",
    label="anchors in a flow-style touched document", specials=(("InferenceService", "flow", None),))
ANCHORED_ELSEWHERE = gen.literal(
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  a: &x one\n  b: *x\n---\n"
    + EOF_NO_NEWLINE.text + "\n", label="anchors only in an untouched document")
RESOURCE_LIST = gen.literal("""\
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- # head comment
  apiVersion: serving.kserve.io/v1beta1
  kind: InferenceService
  metadata:
    name: sklearn-iris # line comment
    namespace: models
    annotations:
      config.kubernetes.io/index: '0'
      config.kubernetes.io/path: 'isvc.yaml'
      internal.config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/path: 'isvc.yaml'
      internal.config.kubernetes.io/seqindent: 'compact'
      internal.config.kubernetes.io/id: '1'
      config.k8s.io/id: '1'
  spec:
    predictor:
      model:
        modelFormat:
          name: sklearn
        args:
        - --foo
        readinessProbe:
          exec:
            command: [test, -f, model]
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: cm
  data:
    a: "1"
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: function-input
  data: {strategy: tcp}
""", form="resourcelist", label="kpt ResourceList")

LAYOUTS = [COMPACT_FIRST, COMPACT_FIRST_REMOVE, COMPACT_FIRST_EXEC_ONLY, EOF_NO_NEWLINE, EOF_NO_NEWLINE_STARTUP,
           FLOW_PROBE, FLOW_PROBE_STARTUP, PRETTY_JSON, CRLF, COMMENT_BETWEEN, BLOCK_SCALAR_BEFORE, BLOCK_SCALAR_KEEP,
           QUOTED_KEYS, TABS_IN_COMMENTS, ANCHORED, ANCHORED_FLOW, ANCHORED_ELSEWHERE, RESOURCE_LIST]


@pytest.mark.parametrize("case", LAYOUTS, ids=[c.label for c in LAYOUTS])
def test_tricky_layout(case: gen.Case) -> None:
    out = differential(case)
    assert out.changed, "every hand-written layout has a probe to rewrite"
    if case.specials:  # the anchored resource is spliced, or goes through the round-trip applier alone or with the rest
        assert out.spans is None or {f.split(" (")[0] for f in out.fallbacks} <= {describe(k) for k in case.specials}
    else:
        assert out.spans and not out.fallbacks, "the splicer must handle this layout itself"


# --------------------------------------------------------------------------- generated inputs


@budget("yaml")
@given(case=gen.yaml_stream())
@example(case=COMPACT_FIRST)
@example(case=EOF_NO_NEWLINE)
@example(case=FLOW_PROBE)
@example(case=CRLF)
@example(case=ANCHORED)
def test_yaml_streams(case: gen.Case) -> None:
    differential(case)


@budget("resourcelist")
@given(case=gen.resource_list())
@example(case=RESOURCE_LIST)
def test_resource_lists(case: gen.Case) -> None:
    differential(case)


@budget("json")
@given(case=gen.json_case())
@example(case=PRETTY_JSON)
def test_json(case: gen.Case) -> None:
    differential(case)


@budget("cli")
@given(case=st.one_of(gen.yaml_stream(), gen.resource_list(), gen.json_case()), bom=st.booleans())
def test_cli_matches_engine(case: gen.Case, bom: bool) -> None:
    """The command line writes exactly the engine's spliced output (BOM kept), on stdin and in files."""
    STATS["cli"] += 1
    differential(case)
    data = ("\ufeff" if bom else "").encode() + case.text.encode("utf-8")
    text = decode(data)
    expected = engine.run(text, config=cfg(case.config))
    with tempfile.TemporaryDirectory() as tmp:
        args: list[str] = []
        if case.config is not None:
            (Path(tmp) / "config.yaml").write_text(json.dumps(case.config), encoding="utf-8")
            args = ["--config", str(Path(tmp) / "config.yaml")]
        out, err = io.BytesIO(), io.StringIO()
        code = run_cli(args, stdin=io.BytesIO(data), stdout=out, stderr=err)
        assert out.getvalue() == text.encode(expected.output)
        assert code == (1 if expected.failed else 0), err.getvalue()
        if case.form != "stream":
            return
        target = Path(tmp) / ("in.json" if case.json else "in.yaml")
        target.write_bytes(data)
        code = run_cli([*args, "--check", str(target)], stdout=io.BytesIO(), stderr=io.StringIO())
        assert code == (1 if expected.changed or expected.failed else 0)
        code = run_cli([*args, "--in-place", str(target)], stdout=io.BytesIO(), stderr=io.StringIO())
        assert code == (1 if expected.failed else 0)
        assert target.read_bytes() == (text.encode(expected.output) if not expected.failed else data)


def test_generated_inputs_exercised_the_splicer() -> None:
    """Guard against a generator that drifted into inputs with nothing to rewrite, or none
    that reach the round-trip applier."""
    if STATS["cases"] < 30:
        pytest.skip("the generated tests did not run (or ran too few examples) in this session")
    assert STATS["edited"] >= STATS["cases"] * 0.3, dict(STATS)
    assert STATS["spliced"] >= STATS["edited"] * 0.5, dict(STATS)
    # and into the round-trip applier: an anchored exec that is rewritten (strategies.anchor_one)
    assert STATS["fallback"] >= 1, dict(STATS)


# --------------------------------------------------------------------------- minimal reproductions of bugs

RL_ANCHORED = """\
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: serving.kserve.io/v1beta1
  kind: InferenceService
  metadata:
    name: a
    labels: {app: &n a, instance: *n}
  spec:
    predictor:
      logger: {mode: all}
      model:
        modelFormat: {name: sklearn}
        readinessProbe:
          exec: {command: [test, -f, m]}
"""
# These inputs have no storageUri: multi-model servers, so the server-wide path.
HTTP_PROBE = {"httpGet": {"path": "/v2/health/ready", "port": 8080}}


def test_roundtrip_fallback_in_a_resource_list() -> None:
    """Found by these tests (fixed in 8d05bf7): the round-trip applier could not dump the
    results' currentValue, a yamlscan.YMap (RepresenterError, nothing on stdout).
    The anchor is in the replaced exec, so the splicer must leave this resource to it."""
    out = engine.run(decode(RL_ANCHORED.replace("[test, -f, m]", "[test, -f, &m m]").encode()))
    assert out.fallbacks == ("InferenceService a",)
    item = gen.load_yaml(out.output)[0]["items"][0]
    assert item["spec"]["predictor"]["model"]["readinessProbe"] == HTTP_PROBE


def test_roundtrip_keep_as_startup_probe() -> None:
    """Found by these tests (fixed in 8d05bf7): the startupProbe built from the scanned
    exec handler (a yamlscan.YMap) could not be dumped."""
    text = "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: a\nspec:\n" \
           "  predictor:\n    logger: {mode: all}\n    model:\n      modelFormat: {name: sklearn}\n" \
           "      readinessProbe:\n        exec: {command: [test, -f, m]}\n"
    out = engine.run(decode(text.encode()), config=cfg({**TYPED, "spec": {"keepAsStartupProbe": True}}),
                     applier="roundtrip")
    model = gen.load_yaml(out.output)[0]["spec"]["predictor"]["model"]
    assert model["readinessProbe"] == HTTP_PROBE
    assert model["startupProbe"] == {"exec": {"command": ["test", "-f", "m"]}, "failureThreshold": 60}


# Regression (bug B): JSON input is read by libyaml, a YAML 1.1 parser, and valid JSON is not always
# valid YAML 1.1: a surrogate-pair escape (json.dumps' default for emoji) and a raw DEL
# or C1 control character are refused, and a raw NEL (U+0085) is read as a line break.
def _json_isvc(command: str) -> str:
    return ('{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [{"apiVersion": '
            '"serving.kserve.io/v1beta1", "kind": "InferenceService", "metadata": {"name": "a"}, "spec": {"predictor": '
            '{"logger": {"mode": "all"}, "model": {"modelFormat": {"name": "sklearn"}, "readinessProbe": {"exec": '
            '{"command": ["' + command + '"]}}}}}}]}\n')


@pytest.mark.parametrize("command", ["\\ud83d\\ude80", "a\x7fb", "a\x85b"], ids=["surrogate-escape", "raw-DEL", "raw-NEL"])
def test_regression_json_read_as_yaml_1_1(command: str) -> None:
    text = _json_isvc(command)
    out = engine.run(decode(text.encode()))
    assert json.loads(out.output)["results"][0]["field"]["currentValue"] == {"exec": {"command": [json.loads(f'"{command}"')]}}


# Regression (bug D): emit.scalar double-quotes with json.dumps(ensure_ascii=False), which leaves DEL,
# C1 controls and NEL raw; YAML refuses raw controls and reads NEL as a line break. The
# old exec command is copied into the results' currentValue and into a kept startupProbe.
CONTROL_IN_EXEC = ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
                   "- apiVersion: serving.kserve.io/v1beta1\n  kind: InferenceService\n  metadata:\n    name: a\n"
                   "  spec:\n    predictor:\n      logger: {mode: all}\n      model:\n        modelFormat: {name: sklearn}\n"
                   "        readinessProbe:\n          exec: {command: [\"a\\%sb\"]}\n")


@pytest.mark.parametrize("escape,char", [("x7f", "\x7f"), ("x9b", "\x9b"), ("N", "\x85")], ids=["DEL", "CSI", "NEL"])
def test_regression_emit_control_characters(escape: str, char: str) -> None:
    out = engine.run(decode((CONTROL_IN_EXEC % escape).encode()))
    results = gen.load_yaml(out.output)[0]["results"]
    assert results[0]["field"]["currentValue"] == {"exec": {"command": [f"a{char}b"]}}


# Regression (bug C): roundtrip._yaml takes ruamel's load_yaml_guess_indent guess as is. The guess
# measures the first block sequence's dash against the last key that ends a line with
# ":", so a key with a trailing comment (`items: # c`) after a deeper key-only line gives
# a negative dash offset, and a root-level sequence is dumped with its entries'
# continuation lines at column 0: YAML that does not parse.
GUESS_NEGATIVE = """\
apiVersion: config.kubernetes.io/v1
kind: ResourceList
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: cfg
items: # c
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: shared
  data: &d {a: b}
- apiVersion: serving.kserve.io/v1beta1
  kind: InferenceService
  metadata:
    name: a
    annotations: *d
  spec:
    predictor:
      logger: {mode: all}
      model:
        modelFormat: {name: sklearn}
        readinessProbe:
          exec: {command: [x]}
"""


@pytest.mark.parametrize("applier", ["splice", "roundtrip"])
def test_regression_roundtrip_negative_dash_offset(applier: str) -> None:
    # splice: the InferenceService aliases an anchor in another item, so it cannot be
    # re-dumped alone and the whole input goes through the round-trip applier.
    out = engine.run(decode(GUESS_NEGATIVE.encode()), applier=applier)
    assert out.spans is None
    items = gen.load_yaml(out.output)[0]["items"]
    assert items[1]["spec"]["predictor"]["model"]["readinessProbe"] == HTTP_PROBE


# Regression (bugs E and F): strategy remove + keepAsStartupProbe. The startupProbe is a Put "after"
# readinessProbe, the key the same batch removes. splice._Editor.spans files it under
# the removed entry; the layouts then insert at that entry's end, which lies inside the
# removal span (E: apply_spans raises "edits overlap" and engine._apply re-dumps the
# whole input through the round-trip applier) or, in a flow mapping left with no other
# entry, behind a separator with nothing before it (F: `{, startupProbe: ...}`).
REMOVE_KEEP = {**TYPED, "spec": {"strategy": "remove", "keepAsStartupProbe": True}}
STARTUP = {"exec": {"command": ["x"]}, "failureThreshold": 60}
PREDICTOR_HEAD = ("apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: a\nspec:\n"
                  "  predictor:\n    logger: {mode: all}\n")
E_LAYOUTS = {
    "flow": PREDICTOR_HEAD + "    sklearn: {readinessProbe: {exec: {command: [x]}}, storageUri: 'gs://b/m'}\n",
    "compact-entry": PREDICTOR_HEAD + "    containers:\n    - readinessProbe:\n        exec: {command: [x]}\n"
                                      "      name: kserve-container\n",
    "json": json.dumps({"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService", "metadata": {"name": "a"},
                        "spec": {"predictor": {"logger": {"mode": "all"}, "sklearn": {
                            "readinessProbe": {"exec": {"command": ["x"]}}, "storageUri": "gs://b/m"}}}}) + "\n",
}


@pytest.mark.parametrize("layout", list(E_LAYOUTS))
def test_regression_startup_probe_after_removed_probe_overlaps(layout: str) -> None:
    text = E_LAYOUTS[layout]
    out = engine.run(decode(text.encode()), config=cfg(REMOVE_KEEP))
    assert out.spans is not None and out.fallbacks == ()
    doc = load(out.output, layout == "json")[0]
    container = doc["spec"]["predictor"]["containers"][0] if layout == "compact-entry" else doc["spec"]["predictor"]["sklearn"]
    assert container["startupProbe"] == STARTUP and "readinessProbe" not in container


@pytest.mark.parametrize("is_json", [False, True], ids=["yaml-flow", "json"])
def test_regression_flow_mapping_emptied_then_appended(is_json: bool) -> None:
    if is_json:
        text = json.dumps({"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService", "metadata": {"name": "a"},
                           "spec": {"predictor": {"logger": {"mode": "all"},
                                                  "sklearn": {"readinessProbe": {"exec": {"command": ["x"]}}}}}}) + "\n"
    else:
        text = PREDICTOR_HEAD + "    sklearn: {readinessProbe: {exec: {command: [x]}}}\n"
    out = engine.run(decode(text.encode()), config=cfg(REMOVE_KEEP))
    assert load(out.output, is_json)[0]["spec"]["predictor"]["sklearn"] == {"startupProbe": STARTUP}


# Regression (bug G): yamlscan.resolve_plain reads "010" as the float 10.0 (YAML 1.1, which Kubernetes
# reads, says octal 8; YAML 1.2 says 10) and "0x1F", "0b11", "1_000" as strings (ints in
def test_anchors_the_edit_does_not_touch_are_spliced() -> None:
    """Issue 11: a resource whose anchors and aliases lie outside the edited entries is
    spliced, not re-dumped alone (that took 20 ms each and dropped unaliased anchors)."""
    out = engine.run(decode(RL_ANCHORED.encode()))
    assert out.fallbacks == () and out.spans
    assert "    labels: {app: &n a, instance: *n}\n" in out.output
    item = gen.load_yaml(out.output)[0]["items"][0]
    assert item["spec"]["predictor"]["model"]["readinessProbe"] == HTTP_PROBE


# YAML 1.1 and, but for 0b/underscores, 1.2). Values are copied into a kept startupProbe
# and the results, so periodSeconds comes out as 10.0 or "0x1F", which an int32 refuses.
@pytest.mark.parametrize("written,values", [("010", (8, 10)), ("0x1F", (31,)), ("1_000", (1000,))])
def test_regression_plain_integer_forms_copied(written: str, values: tuple[int, ...]) -> None:
    text = PREDICTOR_HEAD + f"    sklearn:\n      readinessProbe:\n        exec: {{command: [x]}}\n        periodSeconds: {written}\n"
    out = engine.run(decode(text.encode()), config=cfg({**TYPED, "spec": {"keepAsStartupProbe": True}}))
    period = gen.load_yaml(out.output)[0]["spec"]["predictor"]["sklearn"]["startupProbe"]["periodSeconds"]
    assert isinstance(period, int) and period in values, period


# Regression (bug H): the round-trip applier dumps new strings with ruamel's YAML 1.2 emitter, which
# writes a ":" followed by a non-space plainly inside a flow collection
# (`[curl http://localhost:8080/ready]`). libyaml, so this function's own scanner, and
# go-yaml refuse that ("found unexpected ':'"); quoting such strings would fix it.
H_TEXT = PREDICTOR_HEAD.replace("  name: a\n", "  name: a\n  labels: {app: &a a, instance: *a}\n") + \
    '    containers:\n    - {name: kserve-container, readinessProbe: {exec: &x {command: ["curl http://localhost:8080/ready"]}}}\n'


@pytest.mark.parametrize("applier", ["splice", "roundtrip"])
def test_regression_roundtrip_plain_colon_in_flow(applier: str) -> None:
    out = engine.run(decode(H_TEXT.encode()), config=cfg({**TYPED, "spec": {"keepAsStartupProbe": True}}), applier=applier)
    assert out.fallbacks  # splice: the exec is anchored, so the InferenceService goes through the round-trip applier
    again = engine.run(decode(out.output.encode()))  # the scanner reads what the function wrote
    container = gen.load_yaml(again.output)[0]["spec"]["predictor"]["containers"][0]
    assert container["startupProbe"]["exec"]["command"] == ["curl http://localhost:8080/ready"]
