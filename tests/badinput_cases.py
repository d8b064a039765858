"""The bad-input table: every hostile or broken input of issue 5, in three forms.

Each case is run as a plain stream on stdin, inside (or as) a ResourceList on stdin,
and as a file rewritten with ``--in-place`` next to a good file that needs a fix; a
form that makes no sense for a case is ``None``. Each case has exactly one expected
outcome: success with correct output (``check``), or one clean error (``error``).
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from badinput_helpers import load_all

BOM = b"\xef\xbb\xbf"
MARKER = Path(tempfile.gettempdir()) / f"fix-kserve-probes-executed-{os.getpid()}"  # exists only if input ran
LIMIT = 32 * 1024 * 1024  # the documented default of --max-input-bytes

ISVC = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: sklearn-iris
  namespace: models
  annotations:
    serving.kserve.io/deploymentMode: RawDeployment
spec:
  predictor:
    logger:
      mode: all
    model:
      modelFormat:
        name: sklearn
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
      readinessProbe:
        exec:
          command: ["test", "-f", "/mnt/models/model.joblib"]
        initialDelaySeconds: 10
        periodSeconds: 5
"""
RUNTIME = """\
# KServe's sklearn runtime is in the input, so nothing has to be guessed
apiVersion: serving.kserve.io/v1alpha1
kind: ClusterServingRuntime
metadata:
  name: kserve-sklearnserver
  annotations:
    serving.kserve.io/server-type: sklearnserver
spec:
  supportedModelFormats:
    - name: sklearn
      version: "1"
      autoSelect: true
  protocolVersions: [v1, v2]
  containers:
    - name: kserve-container
      image: kserve/sklearnserver:latest
      args: ["--model_name={{.Name}}", --model_dir=/mnt/models, --http_port=8080]
"""
CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: notes, namespace: models}   # flow style, kept as is
data:
  'quoted': "yes"
  script.sh: |
    #!/bin/sh
    exec test -f /mnt/models/model.joblib
"""
DOCS = (ISVC, RUNTIME, CONFIGMAP)
GOOD_FILE = ISVC + "---\n" + RUNTIME  # the file beside each --in-place case: it needs a fix, and has no warnings
# The README's rule for this ISVC: a KServe Python server, protocol v1, so httpGet
# /v1/models/<name> on the --http_port; the timings stay.
FIXED_PROBE = {"httpGet": {"path": "/v1/models/sklearn-iris", "port": 8080}, "initialDelaySeconds": 10,
               "periodSeconds": 5}


def stream(*docs: str) -> str:
    return "---\n".join(docs)


def item(doc: str) -> str:
    """A document as an entry of a ResourceList's ``items`` (kpt's compact style)."""
    lines = doc.splitlines(keepends=True)
    return "- " + lines[0] + "".join(("  " + line) if line.strip() else line for line in lines[1:])


def resource_list(*docs: str, extra: str = "") -> str:
    return "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" + "".join(map(item, docs)) + extra


def typed_config(spec: str) -> str:
    return f"apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\nmetadata:\n  name: fix\nspec: {spec}\n"


def function_config(config: str) -> str:
    return "functionConfig:\n" + "".join("  " + line for line in config.splitlines(keepends=True))


def crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


# --------------------------------------------------------------------------- checks

Checker = Callable[[str, bytes, bytes, Callable[[str, bytes], bytes]], None]
"""(mode, input, output, reference) -> None; reference(mode, input) runs a known-good input."""


def _items(out: bytes, mode: str) -> list[Any]:
    text = out.decode("utf-8-sig")
    docs = _json_values(text) if text.lstrip()[:1] in ("{", "[") else load_all(out)
    if mode == "resourcelist":
        assert docs[0]["kind"] == "ResourceList"
        return list(docs[0]["items"])
    return [d for d in docs if d is not None]


def _json_values(text: str) -> list[Any]:
    """One JSON document, or each of concatenated ones."""
    decoder, values, at = json.JSONDecoder(), [], len(text) - len(text.lstrip())
    while at < len(text):
        value, end = decoder.raw_decode(text, at)
        values.append(value)
        at = end + len(text[end:]) - len(text[end:].lstrip())
    return values


def fixed(*verbatim: str, isvc: str = ISVC, probe: Mapping[str, Any] = FIXED_PROBE,
          snippets: tuple[str, ...] = ()) -> Checker:
    """The ISVC's probe is rewritten as the README says, the rest of it is as it was, and
    every other document's text (and each of ``verbatim``) is in the output byte for byte;
    so is each of ``snippets`` that the input holds (text of the edited resource itself)."""

    def check(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
        got = next(i for i in _items(out, mode) if isinstance(i, dict) and i.get("kind") == "InferenceService")
        expected = load_all(isvc.encode())[0]
        expected["spec"]["predictor"]["model"]["readinessProbe"] = dict(probe)
        assert got == expected
        for snippet in snippets:
            if snippet in inp.decode("utf-8-sig"):
                assert snippet in out.decode("utf-8-sig"), snippet
        text = out.decode("utf-8-sig").replace("\r\n", "\n")
        for doc in (RUNTIME, CONFIGMAP, *verbatim):
            if doc in inp.decode("utf-8-sig").replace("\r\n", "\n") or item(doc) in inp.decode("utf-8-sig"):
                assert (item(doc) if mode == "resourcelist" else doc) in text, doc[:80]

    return check


def related(transform: Callable[[bytes], bytes], undo: Callable[[bytes], bytes]) -> Checker:
    """out(transform(x)) == transform(out(x)): e.g. a BOM or CRLF survives and changes nothing else."""

    def check(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
        assert out == transform(reference(mode, undo(inp)))

    return check


def appended(tail: str) -> Checker:
    """A stream with ``tail`` after the good documents: out == out(good) + tail, byte for byte."""

    def check(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
        if mode == "resourcelist":  # the last item: it sits just before the results kpt's way
            extra = item(tail).encode()
            assert inp.endswith(extra)
            ref = reference(mode, inp[: -len(extra)])
            at = ref.find(b"\nresults:") + 1 or len(ref)
            assert out == ref[:at] + extra + ref[at:]
            return
        good = inp[: len(inp) - len(tail.encode()) - len(b"---\n")]
        assert out == reference(mode, good) + b"---\n" + tail.encode()

    return check


def unchanged(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
    assert out == inp


def passed_through(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
    """Nothing to do: a stream comes back byte for byte; a ResourceList's items text is all
    still there, in order, and only ``results`` (warnings, never errors) may be added."""
    if mode != "resourcelist":
        assert out == inp
        return
    head = inp.decode()
    assert out.decode().startswith(head), "the ResourceList's own text changed"
    added = load_all(out)[0].get("results") or []
    assert all(r["severity"] != "error" for r in added), added


def empty_items(mode: str, inp: bytes, out: bytes, reference: Any) -> None:
    root = load_all(out)[0]
    # null items (kept as the input had them) read as no items in kpt and kustomize alike
    assert root["kind"] == "ResourceList" and root["items"] in ([], None)
    assert root["results"] == [{"message": "nothing to fix in 0 resources", "severity": "info"}]  # the summary alone


# --------------------------------------------------------------------------- the table

Same: Any = object()  # in-place has the same outcome as stdin


Data = bytes | Callable[[], bytes] | None  # a callable for large inputs: built when a test needs them


@dataclass(frozen=True)
class Case:
    id: str
    stream: Data  # on stdin as a plain stream, and as the file for --in-place
    resource_list: Data  # on stdin as a ResourceList
    error: str | None = None  # a regex for the one error line; None: success
    position: bool = False  # the error names a line (and column)
    readable: bool = False  # the ResourceList could be read: stdout holds it with an error result
    check: Checker | None = None  # success: is the output right?
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    config: str | None = None  # a --config file (stream and in-place forms)
    file_error: Any = Same  # --in-place outcome where it differs: None is success
    file_check: Checker | None = None
    heavy: bool = False  # large input: only as a measured child process
    costly: bool = False  # about bounded cost: measured as a child in every form, not just the first
    suffix: str = ".yaml"
    stem: str = "b-case"  # the --in-place file's name before the suffix
    stdout: str | None = None  # "closed", "full" or "pipe": stdout is broken (as a child only)
    # Bounds for the child, generous for CI: CPU seconds and peak memory. A small input
    # runs in about 0.1 s and 20 MB; expanding an alias bomb or the input would not fit.
    cpu: float = 5.0
    rss_mb: float = 150.0

    def __repr__(self) -> str:
        return self.id

    def data(self, mode: str) -> bytes:
        raw = self.resource_list if mode == "resourcelist" else self.stream
        assert raw is not None
        return raw() if callable(raw) else raw

    def modes(self) -> list[str]:
        if self.stdout is not None:  # about stdout: the stream form alone
            return ["stream"]
        out = ["stream", "in-place"] if self.stream is not None else []
        return out + (["resourcelist"] if self.resource_list is not None else [])

    def measured_modes(self) -> list[str]:
        return self.modes() if self.costly or self.heavy else self.modes()[:1]


def _b(text: str) -> bytes:
    return text.encode("utf-8")


def _garbage() -> bytes:
    rng = random.Random(5)
    return bytes(rng.randrange(256) for _ in range(4096))


def _alias_bomb() -> str:
    """Billion laughs: 9 levels of 10 aliases each name 10**9 strings if expanded."""
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: lol}", "data:", "  a0: &a0 [lol, lol, lol, lol, "
             "lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def _many_aliases(n: int) -> str:
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: many}\ndata:\n  a: &x lol\n  b: [" + ", ".join(["*x"] * n) + "]\n"


def _deep_flow(depth: int) -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\ndata:\n  d: {'[' * depth}{']' * depth}\n"


def _deep_block(depth: int) -> str:
    """Block sequences ``depth`` deep in one line: ``- - - x`` (indenting would make it quadratic)."""
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  d:\n  " + "- " * depth + "x\n"


def _deep_target(depth: int) -> str:
    """The ISVC with an anchor (so the round-trip applier runs) and a list ``depth`` deep."""
    return ISVC.replace("  name: sklearn-iris\n", "  name: sklearn-iris\n  labels: {app: &app iris, copy: *app}\n").replace(
        "    logger:\n", f"    x-deep: {'[' * depth}{']' * depth}\n    logger:\n")


def _big_scalar(size: int) -> str:
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  big: " + "x" * size + "\n"


_TAGGED = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: tagged}
data:
  port: !!str 8080
  blob: !!binary aGVsbG8=
  when: !!timestamp 2001-12-14t21:59:43.10-05:00
  mine: !custom {a: 1}
  local: !python/object:os.system plain
binaryData:
  set: !!set {a, b}
  ordered: !!omap [{a: 1}, {b: 2}]
"""
_PY_APPLY = f'!!python/object/apply:os.system ["touch {MARKER}"]'
_PY_VERBATIM = f'!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {MARKER}"]'
_JSONPATH_CODE = f"__import__('os').system('touch {MARKER}')"
_ISVC_DICT = load_all(ISVC.encode())[0]
_BIG = 50 * 1024 * 1024


def big_stream() -> bytes:
    return _b(stream(*DOCS, _big_scalar(_BIG)))


def big_resource_list() -> bytes:
    return _b(resource_list(*DOCS, _big_scalar(_BIG)))


def cases() -> list[Case]:
    good = stream(*DOCS)
    rl_good = resource_list(*DOCS)
    truncated_json = json.dumps(_ISVC_DICT, indent=2)
    latin1 = good.replace("#!/bin/sh", "#!/bin/sh caf\xe9").encode("latin-1")
    where = latin1.index(b"\xe9")
    where_line = latin1.count(b"\n", 0, where) + 1
    dup_key = ISVC.replace("  name: sklearn-iris\n", "  name: sklearn-iris\n  name: other\n")
    long_key = "k" * 1_000_000
    deep_target = _deep_target(240)
    cap = len(GOOD_FILE.encode()) + 16  # the file beside an --in-place case fits; every form of the case does not
    assert len(good) > cap
    return [
        Case("empty", b"", None, r"^input is empty$", file_error=None, file_check=unchanged),
        Case("whitespace-only", b"\n   \n\t\n", None, r"^input is empty$", file_error=None, file_check=unchanged),
        Case("bom-only", BOM, None, r"^input is empty$", file_error=None, file_check=unchanged),
        Case("comments-only", b"# nothing here yet\n---\n# still nothing\n", None, r"holds no YAML documents",
             file_error=None, file_check=unchanged),
        Case("binary-garbage", _garbage(), _b(resource_list(ISVC)) + _garbage(),
             r"not UTF-8 text: byte 0x[0-9a-f]{2} at offset \d+", position=True, costly=True),
        Case("control-characters", _b(good) + b"---\nkind: \x00\x01\x02\x1b[2J\n",
             _b(resource_list(ISVC)) + b"- kind: \x00\x01\x02\n",
             r"character U\+0000: control characters are not allowed", position=True),
        Case("invalid-utf8", latin1, rl_good.replace("#!/bin/sh", "#!/bin/sh caf\xe9").encode("latin-1"),
             r"not UTF-8 text: byte 0xe9 at offset \d+", position=True),
        Case("invalid-utf8-where", latin1, None,
             rf"^(file|input) is not UTF-8 text: byte 0xe9 at offset {where} \(line {where_line}\)$"),
        Case("utf16", good.encode("utf-16"), rl_good.encode("utf-16"), r"UTF-16 or UTF-32 text; only UTF-8 is read"),
        Case("utf8-bom", BOM + _b(good), BOM + _b(rl_good), check=related(lambda o: BOM + o, lambda i: i[3:])),
        Case("crlf", crlf(_b(good)), crlf(_b(rl_good)), check=related(crlf, lambda i: i.replace(b"\r\n", b"\n"))),
        Case("bom-crlf", BOM + crlf(_b(good)), BOM + crlf(_b(rl_good)),
             check=related(lambda o: BOM + crlf(o), lambda i: i[3:].replace(b"\r\n", b"\n"))),
        Case("tab-indentation", _b(ISVC.replace("  name: sklearn-iris", "\tname: sklearn-iris")),
             _b(resource_list(ISVC.replace("  name: sklearn-iris", "\tname: sklearn-iris"))),
             r"found a tab where YAML allows only spaces \(line 4, column 1\)|found a tab", position=True),
        Case("truncated-flow-sequence", _b(good + "---\n" + "kind: ConfigMap\ndata: {a: [1, 2"),
             _b(rl_good + "- {kind: ConfigMap, data: {a: [1, 2"),
             r"did not find expected .* a flow (sequence|mapping) that starts at line \d+, column \d+", position=True),
        Case("truncated-flow-mapping", _b(good + "---\n" + "metadata: {name: x, labels: {a: b"),
             _b(rl_good + "- metadata: {name: x, labels: {a: b"),
             r"did not find expected .* a flow mapping that starts at line \d+, column \d+", position=True),
        Case("truncated-json", _b(truncated_json[: len(truncated_json) // 2]),
             _b(json.dumps({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [_ISVC_DICT]})[:400]),
             r"^invalid YAML: ", position=True),
        Case("duplicate-key", _b(dup_key), _b(resource_list(dup_key)), r"^duplicate key 'name'", position=True),
        Case("duplicate-long-key", _b(f"? {long_key}\n: 1\n? {long_key}\n: 2\n"), None, r"^duplicate key 'k+…", position=True, costly=True),
        Case("items-a-mapping", None, _b("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: {a: b}\n"),
             r"items must be a list, not a mapping", readable=True),
        Case("items-a-scalar", None, _b("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: hello\n"),
             r"items must be a list, not a str", readable=True),
        # In a file, a document that is no mapping is someone else's YAML and is left alone.
        Case("items-not-mappings", _b(good + "---\n- a\n- b\n"), _b(rl_good + "- 1\n- [a]\n- hello\n"),
             r"is not a Kubernetes resource: it is (a list|an? int scalar), not a mapping", readable=True,
             file_error=None, file_check=appended("- a\n- b\n")),
        # Mappings that are not whole resources pass through untouched, as kpt and kustomize
        # keep them (a kustomization.yaml); an InferenceService without a name gets a warning.
        Case("item-without-apiVersion", _b(ISVC.replace("apiVersion: serving.kserve.io/v1beta1\n", "")),
             _b(resource_list(ISVC.replace("apiVersion: serving.kserve.io/v1beta1\n", ""))), check=passed_through),
        Case("item-without-kind", _b(ISVC.replace("kind: InferenceService\n", "")),
             _b(resource_list(ISVC.replace("kind: InferenceService\n", ""))), check=passed_through),
        Case("item-without-name", _b(ISVC.replace("  name: sklearn-iris\n", "")),
             _b(resource_list(ISVC.replace("  name: sklearn-iris\n", ""))), check=passed_through),
        Case("item-with-empty-metadata", _b(ISVC.split("metadata:")[0] + "metadata:\n"),
             _b(resource_list(ISVC.split("metadata:")[0] + "metadata:\n")), check=passed_through),
        Case("resourcelist-without-items", None, b"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n",
             check=empty_items),
        Case("resourcelist-null-items", None, b"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: ~\n",
             check=empty_items),
        Case("resourcelist-second-document", None, _b(rl_good + "---\n" + CONFIGMAP),
             r"a ResourceList must be the only document", readable=True),
        Case("resourcelist-unknown-version", None, _b(rl_good.replace("config.kubernetes.io/v1", "config.kubernetes.io/v9")),
             r"unsupported ResourceList apiVersion 'config.kubernetes.io/v9'", readable=True),
        Case("json", _b(json.dumps(_ISVC_DICT, indent=2) + "\n"),
             _b(json.dumps({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [_ISVC_DICT]},
                           indent=2)), check=fixed(), suffix=".json"),
        Case("json-one-line", _b(json.dumps(_ISVC_DICT)),
             _b(json.dumps({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [_ISVC_DICT]})),
             check=fixed(), suffix=".json"),
        Case("python-tag", _b(ISVC.replace("name: sklearn-iris", f"name: {_PY_APPLY}")),
             _b(resource_list(ISVC.replace("name: sklearn-iris", f"name: {_PY_APPLY}"))),
             r"^refusing Python-specific tag !!python/object/apply:os.system", position=True),
        Case("python-tag-verbatim", _b(good + "---\n" + f"kind: {_PY_VERBATIM}\n"),
             _b(rl_good + f"- kind: {_PY_VERBATIM}\n"),
             r"^refusing Python-specific tag !!python/object/apply:os.system", position=True),
        Case("python-tag-directive", _b(f"%TAG !py! tag:yaml.org,2002:python/\n---\n{ISVC}metadata2: !py!name:os.system x\n"),
             _b(f"%TAG !py! tag:yaml.org,2002:python/\n---\n{rl_good}x: !py!object/new:os.system [x]\n"),
             r"^refusing Python-specific tag !!python/(name|object/new):os.system", position=True),
        Case("other-tags", _b(stream(*DOCS, _TAGGED)), _b(resource_list(*DOCS, _TAGGED)), check=appended(_TAGGED)),
        Case("tags-in-the-target", _b(ISVC.replace("storageUri: gs", "storageUri: !!str gs")),
             _b(resource_list(ISVC.replace("storageUri: gs", "storageUri: !!str gs"))), check=fixed()),
        Case("alias-bomb", _b(stream(*DOCS, _alias_bomb())), _b(resource_list(*DOCS, _alias_bomb())),
             check=appended(_alias_bomb()), costly=True),
        Case("undefined-alias", _b(good + "---\nkind: ConfigMap\ndata: {a: *nope}\n"),
             _b(rl_good + "- {kind: ConfigMap, data: {a: *nope}}\n"),
             r"^invalid YAML: alias \*nope names no anchor before it", position=True),
        Case("alias-to-another-document", _b(good.replace("  'quoted'", "  'quoted': &q x\n  other'") + "---\na: *q\n"),
             None, r"^invalid YAML: alias \*q names no anchor before it", position=True),
        Case("too-many-aliases", _b(stream(*DOCS, _many_aliases(10_001))), _b(resource_list(*DOCS, _many_aliases(10_001))),
             r"^input has more than 10000 aliases", position=True, costly=True),
        Case("nesting-5000-flow", _b(stream(*DOCS, _deep_flow(5000))), _b(resource_list(*DOCS, _deep_flow(5000))),
             r"^input has nesting deeper than 256 levels", position=True, costly=True),
        Case("nesting-5000-block", _b(stream(*DOCS, _deep_block(5000))), _b(resource_list(*DOCS, _deep_block(5000))),
             r"^input has nesting deeper than 256 levels", position=True, costly=True),
        Case("nesting-240-in-the-target", _b(stream(deep_target, RUNTIME)), _b(resource_list(deep_target, RUNTIME)),
             check=lambda mode, inp, out, ref: _deep_fixed(mode, out), costly=True),
        Case("scalar-50MB", big_stream, big_resource_list,
             rf"^(input|file) is larger than the {LIMIT:,}-byte limit", heavy=True),  # reads 32 MiB + 1 byte
        Case("scalar-50MB-allowed", big_stream, big_resource_list,
             check=appended(_big_scalar(_BIG)), args=("--max-input-bytes", "64Mi"), heavy=True, cpu=15, rss_mb=600),
        Case("size-limit-from-environment", _b(good), _b(rl_good), rf"^(input|file) is larger than the {cap:,}-byte limit",
             env={"FIX_KSERVE_PROBES_MAX_INPUT_BYTES": str(cap)}, costly=True),
        Case("config-of-another-kind", _b(good),
             _b(rl_good + function_config("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n")),
             r"invalid function config: (\S*fn-config\.yaml:2: )?(kind: )?unsupported functionConfig apps/v1/Deployment", readable=True,
             config="apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"),
        Case("config-of-wrong-types", _b(good),
             _b(rl_good + function_config(typed_config("{strategy: 7, port: 70000, keepAsStartupProbe: maybe}"))),
             r"spec\.(strategy|port|keepAsStartupProbe)", readable=True,
             config=typed_config("{strategy: 7, port: 70000, keepAsStartupProbe: maybe}")),
        Case("config-spec-a-list", _b(good), _b(rl_good + function_config(typed_config("[auto]"))),
             r"spec: must be a mapping|spec\b.*mapping", readable=True, config=typed_config("[auto]")),
        Case("config-not-a-mapping", _b(good), _b(rl_good + "functionConfig: [strategy, auto]\n"),
             r"(expected a mapping .*found a list|functionConfig must be a mapping, not a list)", readable=True,
             config="- strategy\n- auto\n"),
        Case("config-configmap-typo", _b(good),
             _b(rl_good + function_config("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {mod: fix}\n")),
             r"unknown field 'mod'; did you mean 'mode'\?", readable=True,
             config="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {mod: fix}\n"),
        Case("config-jsonpath-is-python", _b(good),
             _b(rl_good + function_config(typed_config(f'{{extraTargets: [{{kind: Deployment, containers: "{_JSONPATH_CODE}"}}]}}'))),
             r"extraTargets\[0\]\.containers(: not a JSONPath expression)?", readable=True,
             config=typed_config(f'{{extraTargets: [{{kind: Deployment, containers: "{_JSONPATH_CODE}"}}]}}')),
        Case("config-with-a-python-tag", _b(good), _b(rl_good + function_config(typed_config(f"{{httpPath: {_PY_APPLY}}}"))),
             r"refusing Python-specific tag !!python/object/apply:os.system", position=True,
             config=typed_config(f"{{httpPath: {_PY_APPLY}}}")),
    ]


def _deep_fixed(mode: str, out: bytes) -> None:
    isvc = next(i for i in _items(out, mode) if i.get("kind") == "InferenceService")
    assert isvc["spec"]["predictor"]["model"]["readinessProbe"] == FIXED_PROBE
    depth, node = 0, isvc["spec"]["predictor"]["x-deep"]
    while node:
        node, depth = node[0], depth + 1
    assert depth == 239 and isvc["metadata"]["labels"] == {"app": "iris", "copy": "iris"}


from badinput_issue11 import issue11_cases  # noqa: E402  (it builds on the helpers above)

CASES = cases() + issue11_cases()
