"""Fuzzing (issue 5): random YAML, random KServe-shaped resources, mutations of both, and
raw bytes, through the command in-process. Whatever the input, the run must end cleanly:

- it ends (within ``RUN_SECONDS``), with exit 0, or exit 1 and one ``error:`` line (or
  error results), never a traceback or an ``internal error``;
- on exit 0 the output parses (composes, as YAML or JSON);
- every resource that is not an InferenceService or a (Cluster)ServingRuntime is in the
  output byte for byte, in order;
- a second run over the output changes nothing (streams: the same bytes; ResourceLists:
  every byte but the ``results`` entry, which runs add to).

FIX_KSERVE_PROBES_FUZZ_EXAMPLES sets the number of examples for the whole file, shared
out between the targets below: CI runs the default, 1500 (about 25 s on two cores); run
longer with e.g. FIX_KSERVE_PROBES_FUZZ_EXAMPLES=20000. Each crash found stays as an
``@example`` of the target that found it, a case in badinput_cases.py, or (a bug outside
the input modules) a strict xfail in test_bad_input_known_bugs.py.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from badinput_helpers import FUZZ, FUZZ_BUDGET, PROG, Run, run_inproc
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st

try:
    from . import strategies as gen
except ImportError:  # tests/ is not a package
    import strategies as gen  # type: ignore[no-redef]

from fix_kserve_probes.errors import FnError
from fix_kserve_probes.krm import resourcelist as krm
from fix_kserve_probes.yamltext.errors import TextError
from fix_kserve_probes.yamltext.scanner import scan
from fix_kserve_probes.yamltext.source import decode

TOTAL = int(os.environ.get("FIX_KSERVE_PROBES_FUZZ_EXAMPLES", "1500"))
RUN_SECONDS = 20  # one run of a small input takes milliseconds: longer is a hang
SHARES = {"yaml": 0.25, "kserve": 0.2, "mutated": 0.25, "tokens": 0.15, "bytes": 0.1, "aliased": 0.05}
TARGET_KINDS = ("InferenceService", "ServingRuntime", "ClusterServingRuntime")
ALIAS_REPR = b"Alias(name="  # how results once quoted an aliased probe (test_input_regressions.py)


NAMES = {"yaml": "random YAML", "kserve": "KServe-shaped", "mutated": "mutated", "tokens": "token soup",
         "bytes": "raw bytes", "aliased": "huge scalars under aliases"}


def budget(name: str) -> Any:
    FUZZ_BUDGET[NAMES[name]] = max(1, round(TOTAL * SHARES[name]))
    return settings(
        max_examples=FUZZ_BUDGET[NAMES[name]],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                               HealthCheck.filter_too_much],
        print_blob=True,
    )


# --------------------------------------------------------------------------- the invariants


def compose(out: bytes) -> None:
    """The output parses: JSON as JSON, anything else as YAML (nodes only: a ``!!binary``
    whose data is not base64 is still YAML, and was so in the input). Composed by PyYAML's
    libyaml, the parser the function reads with (ruamel.yaml.clib's older libyaml refuses
    valid flow scalars such as ``[http://x]``)."""
    import yaml

    text = out.decode("utf-8").removeprefix("\ufeff")
    if text.lstrip()[:1] in ("{", "[") and _is_json(text):
        return
    list(yaml.compose_all(text, Loader=yaml.CSafeLoader))


def _is_json(text: str) -> bool:
    return _json_values(text) is not None


def _json_values(text: str) -> list[Any] | None:
    """One JSON document, or each of concatenated ones (issue 13, 6); None: not JSON."""
    decoder, values, at = json.JSONDecoder(), [], len(text) - len(text.lstrip())
    try:
        while at < len(text):
            value, end = decoder.raw_decode(text, at)
            values.append(value)
            at = len(text) - len(text[end:].lstrip())
    except ValueError:
        return None
    return values


def clean(run: Run) -> bool:
    """Exit 0, or a clean exit 1. Returns True on success."""
    assert "Traceback" not in run.err, run.err
    assert "internal error" not in run.err, run.err
    assert run.code in (0, 1), (run.code, run.err)
    lines = run.err.splitlines()
    assert all(line.startswith(f"{PROG}: ") for line in lines), lines
    if run.code == 1:
        errors = [line for line in lines if line.startswith(f"{PROG}: error: ")]
        results = [line for line in lines if line.startswith(f"{PROG}: [error]")]
        assert len(errors) == 1 or (results and not errors) or (not lines and run.out), lines
        event(f"exit 1: {errors[0].split(': ')[2][:40] if errors else 'error results'}")
        return False
    assert not [line for line in lines if ": error: " in line], lines
    return True


def _root(text: str) -> Any:
    """The first document's node, composed (tags are kept as tags, nothing is constructed)."""
    import yaml

    return next((n for n in yaml.compose_all(text, Loader=yaml.CSafeLoader) if n is not None), None)


def _is_resource_list(root: Any) -> bool:
    from yaml.nodes import MappingNode

    return isinstance(root, MappingNode) and any(k.value == "kind" and getattr(v, "value", None) == "ResourceList"
                                                  for k, v in root.value)


def without_results(text: str, root: Any) -> str:
    """The ResourceList's text with its ``results`` entry cut out (runs add to it)."""
    for key, value in root.value:
        if key.value == "results":
            return text[: key.start_mark.index] + text[value.end_mark.index :]
    return text


def idempotent(first: bytes, argv: list[str]) -> None:
    with time_box(RUN_SECONDS):
        again = run_inproc(argv, first)
    assert again.code in (0, 1) and "internal error" not in again.err, again.err
    text1, text2 = first.decode("utf-8-sig"), again.out.decode("utf-8-sig")
    if text1.lstrip()[:1] in ("{", "[") and _is_json(text1):  # JSON may hold what YAML 1.1 refuses
        data1, data2 = _json_values(text1), _json_values(text2)
        assert data1 is not None and data2 is not None, "a second run's output is no JSON"
        if len(data1) == 1 and isinstance(data1[0], dict) and data1[0].get("kind") == "ResourceList":
            data1, data2 = data1[0], data2[0]
            data1.pop("results", None)
            data2.pop("results", None)
            assert data2 == data1, "a second run changed items"
        else:
            assert again.out == first, "a second run changed the output"
        return
    root1 = _root(text1)
    if _is_resource_list(root1):  # results accumulate: everything else must stay, byte for byte
        assert without_results(text2, _root(text2)) == without_results(text1, root1), "a second run changed items"
    else:
        assert again.out == first, "a second run changed the output"


class Hang(BaseException):
    """A run that did not end: a BaseException, so the CLI's catch-all cannot swallow it."""


@contextmanager
def time_box(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"the run did not end within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_run(data: bytes, argv: list[str] | None = None) -> Run:
    argv = argv or []
    with time_box(RUN_SECONDS):
        run = run_inproc(argv, data)
    assert not (ALIAS_REPR in run.out and ALIAS_REPR not in data), "the output shows a Python repr of an alias"
    if clean(run):
        compose(run.out)
        idempotent(run.out, argv)
    return run


def untouched(text: str, out: bytes, ranges: dict[Any, tuple[int, int]]) -> None:
    """Every resource that is not a target is in the output byte for byte, in order."""
    decoded = out.decode("utf-8").removeprefix("\ufeff")
    cursor = 0
    for key, (a, b) in sorted(ranges.items(), key=lambda kv: kv[1]):
        if key[0] in TARGET_KINDS:
            continue
        chunk = text[a:b]
        found = decoded.find(chunk, cursor)
        assert found >= 0, f"{key} is not in the output byte for byte:\n{chunk}"
        cursor = found + len(chunk)


# --------------------------------------------------------------------------- random YAML

KEYS = ("apiVersion", "kind", "metadata", "name", "namespace", "spec", "items", "predictor", "containers",
        "readinessProbe", "exec", "command", "grpc", "port", "<<", "- x", "a: b", "#", "on", "null", "8080", "模型")
KINDS = ("ConfigMap", "Deployment", "InferenceService", "ServingRuntime", "ClusterServingRuntime", "ResourceList",
         "Kptfile", "")
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70),
                    st.floats(allow_nan=False, allow_infinity=False), TEXT, st.sampled_from(gen.TRICKY))
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(st.sampled_from(KEYS), TEXT.filter(bool)), children, max_size=5)),
    max_leaves=30,
)


@st.composite
def documents(draw: Any) -> Any:
    """A document: often resource-like (so the reader's checks run), else anything at all."""
    if draw(st.integers(0, 99)) < 60:
        doc: dict[str, Any] = {"apiVersion": draw(st.sampled_from(("v1", "apps/v1", "serving.kserve.io/v1beta1",
                                                                   "serving.kserve.io/v1alpha1", "config.kubernetes.io/v1"))),
                               "kind": draw(st.sampled_from(KINDS))}
        if draw(st.booleans()):
            doc["metadata"] = draw(st.one_of(st.fixed_dictionaries({"name": st.one_of(TEXT, SCALARS)}), VALUES))
        doc.update(draw(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=3)))
        return doc
    return draw(VALUES)


@st.composite
def yaml_inputs(draw: Any) -> tuple[str, list[Any], bool]:
    """(text, documents, resourcelist?) rendered in a drawn style."""
    docs = draw(st.lists(documents(), min_size=1, max_size=4))
    w = gen.Writer(draw, draw(gen.styles()))
    as_list = draw(st.integers(0, 99)) < 35

    def render(value: Any, indent: int = 0) -> list[str]:
        if isinstance(value, dict) and value and draw(st.integers(0, 99)) < 85:
            return w.mapping(value, indent)
        return [" " * indent + w.flow(value)]

    if as_list:
        lines = ["apiVersion: config.kubernetes.io/v1", "kind: ResourceList", "items:"]
        lines += w.sequence(docs, 0)[0]
    else:
        lines = []
        for i, doc in enumerate(docs):
            if i:
                lines.append("---")
            lines += render(doc)
    return w.style.newline.join(lines) + w.style.newline, docs, as_list


def _all_plain(value: Any) -> bool:
    """No document is an InferenceService or runtime: nothing may change at all."""
    if isinstance(value, dict):
        return value.get("kind") not in TARGET_KINDS and all(_all_plain(v) for v in value.values())
    if isinstance(value, list):
        return all(_all_plain(v) for v in value)
    return True


@budget("yaml")
@given(yaml_inputs())
def test_random_yaml(case: tuple[str, list[Any], bool]) -> None:
    text, docs, as_list = case
    FUZZ["random YAML"] += 1
    note(text)
    data = text.encode("utf-8")
    run = check_run(data)
    if run.code == 0 and _all_plain(docs):
        first = docs[0] if docs else None
        if as_list or (isinstance(first, dict) and first.get("kind") == "ResourceList"):
            # kpt's way: only items: (when missing) and results: may be added
            (out,) = gen.load_yaml(run.out.decode("utf-8"))
            out.pop("results", None)
            if as_list:  # docs are the items of a ResourceList around them
                assert out.get("items") == docs, "the ResourceList's items changed"
            else:
                expected = {"items": [], **first} if "items" not in first else first
                assert out == expected, "the ResourceList changed beyond items: and results:"
            if data.lstrip()[:1] not in (b"{", b"["):  # block style: added at the end, the rest intact
                assert run.out.startswith(data), "the ResourceList's text changed"
        else:
            assert run.out == data, "a stream with nothing to fix changed"


# --------------------------------------------------------------------------- KServe-shaped


@budget("kserve")
@given(st.one_of(gen.yaml_stream(), gen.resource_list(), gen.json_case(), gen.json_stream()))
def test_kserve_shaped(case: gen.Case) -> None:
    FUZZ["KServe-shaped"] += 1
    note(repr(case))
    data = case.text.encode("utf-8")
    argv: list[str] = []
    if case.config is not None and case.form == "stream":
        return _with_config(case)
    run = check_run(data, argv)
    if run.code == 0:
        untouched(case.text, run.out, case.ranges)


def _with_config(case: gen.Case) -> None:
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        json.dump(case.config, f)
    try:
        run = check_run(case.text.encode("utf-8"), ["--config", f.name])
        if run.code == 0:
            untouched(case.text, run.out, case.ranges)
    finally:
        os.unlink(f.name)


# --------------------------------------------------------------------------- huge scalars under aliases


@budget("aliased")
@given(gen.aliased_big_scalar())
def test_huge_scalars_under_aliases(case: tuple[str, int]) -> None:
    """Whatever is copied into results or output is capped by bytes (64 KiB a value), not
    only by nodes: a big scalar aliased hundreds of times never multiplies the output."""
    text, size = case
    FUZZ["huge scalars under aliases"] += 1
    note(f"{size} characters: {text[:300]}")
    data = text.encode()
    run = check_run(data)
    assert len(run.out) < len(data) + 4 * 65536 + 20_000, f"{len(run.out)} bytes out of {len(data)} in"
    assert len(run.err) < 4 * 65536 + 20_000, len(run.err)


# --------------------------------------------------------------------------- mutations

TOKENS = ("\t", "  ", "- ", ": ", "{", "}", "[", "]", ",", "&a ", "*a", "*nope", "!!python/object/apply:os.system ",
          "!!binary ", "!custom ", "!!str ", "? ", "---\n", "...\n", "%TAG !p! tag:yaml.org,2002:python/\n", "'", '"',
          "#", "\n", "\r\n", "|\n", ">-\n", "<<: *a\n", "\ufeff", "\x00", "\x85", "\u2028", "é", "🚀", "\\", "%",
          "@", "`", "kind: InferenceService\n", "exec: {command: [x]}\n", "readinessProbe:\n", "[[[[[[[[", "]]]]]]]]")


@st.composite
def mutated(draw: Any) -> str:
    case = draw(st.one_of(gen.yaml_stream(), gen.resource_list(), gen.json_case(), gen.json_stream()))
    text = case.text
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(("insert", "delete", "replace", "duplicate-line", "truncate", "tab-indent")))
        at = draw(st.integers(0, len(text)))
        if op == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif op == "replace":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at + 1:]
        elif op == "duplicate-line":
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end < 0 else end + 1
            text = text[:end] + text[start:end] + text[end:]
        elif op == "truncate":
            text = text[:at]
        else:
            start = text.rfind("\n", 0, at) + 1
            text = text[:start] + text[start:].replace("  ", "\t", 1)
    return text


@budget("mutated")
@given(mutated())
@example("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: *nope}\n")
@example("!!binary apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: serving.kserve.io/"
         "v1beta1\n  kind: InferenceService\n  metadata:\n    name: isvc-0\n  spec:\n    predictor:\n      sklearn: {}\n")
def test_mutated_inputs(text: str) -> None:
    FUZZ["mutated"] += 1
    note(text)
    check_run(text.encode("utf-8", "surrogatepass"))


# --------------------------------------------------------------------------- the input reader, byte by byte


def reader_target(data: bytes) -> None:
    """The fuzz target for the input reader: decoding, scanning, reading items.

    Any input ends in a result, a ``TextError`` or an ``FnError`` (one line, with the input's own words
    cut short), never another exception. Wrap it for atheris with
    ``atheris.Setup(sys.argv, reader_target); atheris.Fuzz()``.
    """
    try:
        text = decode(data, 1 << 20)
        krm.read(scan(text.body))
    except (FnError, TextError) as err:
        message = str(err)
        assert "\n" not in message.strip() or message.startswith("invalid YAML"), message
        assert len(message) < 2000, len(message)


def _token_bytes() -> Any:
    pieces = st.one_of(st.sampled_from([t.encode("utf-8") for t in TOKENS]),
                       st.sampled_from([b"a", b"b: ", b"kind", b"apiVersion: v1\n", b"items:\n", b"ResourceList", b"  ",
                                        b"\xff", b"\xc3", b"\xe9", b"\xef\xbb\xbf", b"1", b"-1e3", b"~", b"null"]),
                       st.binary(max_size=3))
    return st.lists(pieces, max_size=40).map(b"".join)


@budget("tokens")
@given(_token_bytes())
@example(b"a: &x [*x]\n")
@example(b"? *nope\n: 1\n")
def test_token_soup(data: bytes) -> None:
    FUZZ["token soup"] += 1
    reader_target(data)
    check_run(data)


@budget("bytes")
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    FUZZ["raw bytes"] += 1
    reader_target(data)
    check_run(data)
