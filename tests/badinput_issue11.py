"""The bad-input table's rows for issue 11 (parts 1 to 5): valid YAML that was refused,
bytes that changed outside the edit, hostile input and faults, and nothing dropped.

Each row is a ``Case`` of ``badinput_cases.py`` and runs in every form that fits it, with
the same contract: exit 0 and the right output, or exit 1, one error line, no traceback
and nothing half-written. The regression tests that found these stay where they are
(test_byte_preservation.py, test_limits.py, test_nothing_dropped.py,
tests/krm/test_extra_targets_bounds.py, tests/cli/test_signals_and_streams.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from badinput_cases import (
    DOCS,
    FIXED_PROBE,
    ISVC,
    RUNTIME,
    Case,
    Checker,
    _alias_bomb,
    _b,
    _items,
    appended,
    fixed,
    function_config,
    resource_list,
    stream,
    typed_config,
)
from badinput_helpers import load_all

# Plain scalars with ':' inside flow collections (regression: libyaml 0.1.7 refused them).
URLS = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: urls, annotations: {url: http://c:8080/z}}
data:
  probe: {exec: {command: [curl, -sf, http://localhost:8080/ping]}}
  list: [grpc://x:9000, "http://[::1]:8080/p", a:b, {k: v:w}]
"""
# The ISVC with an anchor (so the per-resource fallback runs), and another document that
# reuses the anchor name (legal: anchors are per document) with comments around it.
ANCHORED = ISVC.replace("      mode: all\n", "      mode: &a all\n      url: *a\n")
REUSER = """\
# a comment the whole-input fallback used to drop
apiVersion: v1
kind: ConfigMap
metadata: {name: reuser, labels: &a {app: x}}   # the same anchor name
data: {copy: *a}
"""
# A 4-space file whose edited resource goes through the per-resource fallback: its block
# sequence keeps its 4/2 style (regression: it came back as ``-   name:``).
FOUR = re.sub(r"(?m)^( +)", lambda m: m[1] * 2, ANCHORED).replace(
    "            storageUri:", "            env:\n              - name: A\n                value: b\n            storageUri:")
FOUR_ENV = "            env:\n              - name: A\n                value: b\n"
# The last key of the file goes, and the file has no final newline (regression: one was added).
NO_FINAL_NEWLINE = ISVC.replace("        initialDelaySeconds: 10\n        periodSeconds: 5\n", "").rstrip("\n")
_ISVC_DICT = load_all(ISVC.encode())[0]
_BIG = "x" * (1 << 20)
# A 1 MB scalar aliased 2,000 times inside the probe (regression: 2 GB of results).
BIG_ALIASED = ISVC.replace('          command: ["test", "-f", "/mnt/models/model.joblib"]\n',
                           f"          command: [&big {_BIG}, " + ", ".join(["*big"] * 2000) + "]\n")
HUGE_INT = "0x" + "f" * 5000  # past Python's int-to-str limit (regression: an internal ValueError)
HUGE = ISVC.replace("initialDelaySeconds: 10", f"initialDelaySeconds: {HUGE_INT}")
PRIOR = {"message": "from an earlier function", "severity": "info"}
LONG_STEM = "m" * 245  # with ".yaml", a 250-character name: the longest most file systems allow


def _extra_targets(path: str) -> str:
    return typed_config(f'{{extraTargets: [{{kind: ConfigMap, containers: "{path}"}}]}}')


def both(*checks: Checker) -> Checker:
    def check(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
        for one in checks:
            one(mode, inp, out, reference)

    return check


def _no_space_indent(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
    """Tab-indented JSON gets tab-indented edits."""
    assert not [line for line in out.decode().splitlines() if line.startswith(" ")], out.decode()


def _no_final_newline(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
    assert not out.endswith(b"\n") and b"httpGet" in out, out[-200:]


def _capped(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
    """The output is bounded by bytes: the aliased scalar is never copied, in items or results."""
    assert len(out) < len(inp) + 100_000, len(out)
    if mode == "resourcelist":
        assert b"not shown: it is over 10,000 nodes or 64 KiB of text" in out


def _huge_timing_kept(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
    """The probe is rewritten; the timing Kubernetes reads as a string stays as written."""
    isvc = next(i for i in _items(out, mode) if isinstance(i, dict) and i.get("kind") == "InferenceService")
    assert isvc["spec"]["predictor"]["model"]["readinessProbe"]["httpGet"] == FIXED_PROBE["httpGet"]
    assert f"initialDelaySeconds: {HUGE_INT}".encode() in out


def _prior_kept(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
    results = load_all(out)[0]["results"]
    assert isinstance(results, list) and results[0] == PRIOR, results[:2]


def _concatenated(form: str, docs: tuple[str, ...] = DOCS) -> bytes:
    """Concatenated JSON as jq and yq write it: ``{...}{...}``, one object per line, pretty."""
    values = [load_all(d.encode())[0] for d in docs]
    if form == "compact":
        return _b("".join(json.dumps(v) for v in values))
    if form == "lines":
        return _b("".join(json.dumps(v) + "\n" for v in values))
    return _b("".join(json.dumps(v, indent=2) + "\n" for v in values))


def _each_alone(form: str) -> Checker:
    """The output is each document's own output (run alone), joined as the input joined them."""

    def check(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
        assert out == b"".join(reference(mode, _concatenated(form, (d,))) for d in DOCS)

    return check


def _stdout_case(name: str, how: str, message: str, data: Callable[[], bytes] | bytes) -> Case:
    return Case(name, data, None, message, stdout=how, costly=True)


def issue11_cases() -> list[Case]:
    good, rl_good = stream(*DOCS), resource_list(*DOCS)
    tab_json = json.dumps(_ISVC_DICT, indent="\t") + "\n"
    rl_dict = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [_ISVC_DICT]}
    return [
        # 1. valid YAML that was refused
        Case("flow-scalars-with-urls", _b(stream(*DOCS, URLS)), _b(resource_list(*DOCS, URLS)), check=appended(URLS)),
        # 2. bytes outside the edit
        Case("anchor-names-reused-across-documents", _b(stream(ANCHORED, RUNTIME, REUSER)),
             _b(resource_list(ANCHORED, RUNTIME, REUSER)), check=fixed(REUSER, isvc=ANCHORED)),
        Case("four-space-fallback", _b(stream(FOUR, RUNTIME)), None,
             check=fixed(isvc=FOUR, snippets=(FOUR_ENV, "metadata:\n    name: sklearn-iris\n"))),
        Case("last-key-removed-no-final-newline", _b(stream(RUNTIME, NO_FINAL_NEWLINE)), None,
             check=both(fixed(isvc=NO_FINAL_NEWLINE, probe={"httpGet": FIXED_PROBE["httpGet"]}), _no_final_newline)),
        Case("json-tab-indented", _b(tab_json), _b(json.dumps(rl_dict, indent="\t") + "\n"),
             check=both(fixed(), _no_space_indent), suffix=".json"),
        # 3. hostile input and faults
        Case("scalar-1MB-aliased-2000-times-in-a-probe", _b(stream(BIG_ALIASED, RUNTIME)),
             _b(resource_list(BIG_ALIASED, RUNTIME)), check=both(fixed(isvc=BIG_ALIASED), _capped), costly=True),
        Case("extra-targets-recursive-descent-over-alias-bomb", _b(stream(*DOCS, _alias_bomb())),
             _b(resource_list(*DOCS, _alias_bomb()) + function_config(_extra_targets("$..containers[*]"))),
             r"extraTargets\[0\]\.containers: .*recursive descent", readable=True,
             config=_extra_targets("$..containers[*]"), costly=True),
        Case("extra-targets-regex-filter", _b(good),
             _b(rl_good + function_config(_extra_targets("$.data[?(@.name =~ '(a+)+$')]"))),
             r"extraTargets\[0\]\.containers: .*regular expression filters", readable=True,
             config=_extra_targets("$.data[?(@.name =~ '(a+)+$')]"), costly=True),
        Case("extra-targets-20000-steps", _b(good), _b(rl_good + function_config(_extra_targets("$" + ".a" * 20_000))),
             r"extraTargets\[0\]\.containers: .*more than 64 steps", readable=True,
             config=_extra_targets("$" + ".a" * 20_000), costly=True),
        Case("huge-integer-in-a-probe-timing", _b(stream(HUGE, RUNTIME)), _b(resource_list(HUGE, RUNTIME)),
             check=_huge_timing_kept),
        _stdout_case("stdout-closed", "closed", r"^cannot write the output: stdout is closed$", _b(good)),
        _stdout_case("stdout-full", "full", r"^cannot write the output to stdout: No space left on device$", _b(good)),
        _stdout_case("stdout-broken-pipe", "pipe", r"^cannot write the output to stdout: the reader closed the pipe$",
                     _b(stream(*([ISVC] * 400)))),  # more than a pipe holds: the write must fail
        Case("file-name-250-characters", _b(good), None, check=fixed(), stem=LONG_STEM),
        *(Case(f"json-concatenated-{form}", _concatenated(form), None, check=both(fixed(), _each_alone(form)),
               suffix=".json") for form in ("compact", "lines", "pretty")),  # issue 13, 6
        Case("json-concatenated-truncated", _concatenated("pretty")[:-40], None,
             r"^invalid JSON: document 3 of concatenated JSON: ", position=True, suffix=".json"),
        Case("json-concatenated-then-yaml", _concatenated("lines") + b"kind: ConfigMap\n", None,
             r"^concatenated JSON holds something else after document 3", position=True, suffix=".json"),
        # 5. nothing dropped
        Case("prior-results-a-mapping", None,
             _b(rl_good.replace("items:", f"results: {{message: {PRIOR['message']}, severity: info}}\nitems:")),
             check=both(fixed(), _prior_kept)),
        Case("function-config-empty", None, _b(rl_good + "functionConfig: {}\n"), check=fixed()),
    ]

