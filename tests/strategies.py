"""Hypothesis strategies for the differential tests: KServe-shaped inputs rendered to text.

Resources are drawn as plain data, then rendered by our own writer so that every
formatting choice is drawn too: block or flow style per collection, 2- or 4-space
indentation, compact or wide sequences, plain/single/double-quoted scalars and keys,
block scalars, full-line and trailing comments (CJK, emoji, tabs), blank lines, CRLF,
a missing final newline, document markers, anchors/aliases/tags, and JSON. A ``Case``
carries the text, the data it must load to, and where each resource's text lies.

Every probability is drawn as ``integers(0, 99) >= 100 - percent`` so that shrinking
(towards 0) switches features off and minimal examples stay small.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Anchored:
    """``&name value``."""

    name: str
    value: Any


@dataclass(frozen=True)
class AliasOf:
    """``*name``; loads as ``value`` (the anchored value)."""

    name: str
    value: Any


@dataclass(frozen=True)
class Tagged:
    """``!!str 8080``: an explicitly tagged scalar (loads as ``value``)."""

    tag: str
    value: str


def plain(value: Any) -> Any:
    """The data a YAML loader builds from ``value`` (anchors, aliases and tags removed)."""
    if isinstance(value, (Anchored, AliasOf)):
        return plain(value.value)
    if isinstance(value, Tagged):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def has_specials(value: Any) -> bool:
    """Anchors or aliases (standard tags such as !!str are not special to the splicer)."""
    if isinstance(value, (Anchored, AliasOf)):
        return True
    if isinstance(value, dict):
        return any(has_specials(v) for v in value.values())
    if isinstance(value, list):
        return any(has_specials(v) for v in value)
    return False


# --------------------------------------------------------------------------- text pools

COMMENTS = (
    "probe set by hand",
    "就绪探针：检查模型文件是否存在",  # noqa: RUF001 - a full-width colon, on purpose
    "モデルの準備完了チェック",
    "🚀 ready check ✅",
    "tab\tinside\tthis comment",
    "looks: like yaml",
    "- not a list item",
    "'single' and \"double\" quotes",
    "{flow: maybe} [x, y]",
    "# doubled hash",
    "",
)
# Strings for commands, args and env values: quoting, YAML look-alikes, CJK, emoji.
TRICKY = (
    "test",
    "-f",
    "/mnt/models/model.joblib",
    "cat /tmp/healthy",
    "curl -sf localhost/v2/health/ready || exit 1",
    "echo '就绪'",
    "a: b",
    "# hash",
    "x #y",
    "{{.Name}}",
    "yes",
    "null",
    "~",
    "",
    "8080",
    "1e3",
    "模型",
    "🚀",
    'say "hi"',
    "tab\there",
    "- dash",
    "@at",
    "%pct",
    "line one\nline two\n",
    "first\nsecond",
)
# Characters YAML 1.1 treats specially though JSON does not: escapes only.
CONTROL = ("bell\x07", "esc\x1b[0m", "a\u2028b", "zero\u200bwidth", "bom\ufeffmid", "nbsp\u00a0x", "nul\x00")
# DEL and C1 controls: raw in JSON, escaped in YAML (regression: emit once wrote them raw).
EMIT_BREAKERS = ("del\x7f", "nel\x85", "csi\x9b")
MULTILINE = (
    "line one\nline two\n",
    "第一行\n第二行\n",
    "first\nsecond",
    "one line\n",
    "a\n\nb\n",
)
# ":" inside flow collections (regression: the round-trip applier once wrote it plain).
TRICKY = (*TRICKY, *CONTROL, *EMIT_BREAKERS, "curl -sf http://localhost:8080/ready")
# URLs and colons, written plain (``Style.plain_urls``), also inside flow collections:
# ``[curl, -sf, http://localhost:8080/ping]`` (regression, issue 11: once refused).
URLS = ("http://localhost:8080/ping", "http://c:8080/z", "grpc://x:9000", "a:b", "localhost:8080")
TRICKY = (*TRICKY, *URLS)
MODEL_NAMES = ("iris", "my-model", "模型", "my model", "m#1", "a'b", "{{.Name}}", "ls\u2028m", "nel\x85m")
NAMESPACES = (None, "models", "default", "kserve-test")
FORMATS = ("sklearn", "tensorflow", "triton", "xgboost", "pytorch", "onnx", "huggingface", "custom-format")
FRAMEWORKS = ("sklearn", "pytorch", "xgboost", "tensorflow", "triton", "huggingface", "lightgbm")
RUNTIME_NAMES = (
    "kserve-sklearnserver",
    "kserve-tritonserver",
    "kserve-mlserver",
    "kserve-tensorflow-serving",
    "kserve-huggingfaceserver-multinode",
    "kserve-torchserve",
    "my-runtime",
    "custom-runtime",
)
IMAGES = (
    "kserve/sklearnserver:latest",
    "nvcr.io/nvidia/tritonserver:23.05-py3",
    "docker.io/seldonio/mlserver:1.3.2",
    "tensorflow/serving:2.6.2",
    "kserve/huggingfaceserver:latest",
    "example.com/custom/model-server@sha256:abc123",
    "python:3.11-slim",
)
KPT_SEQINDENT = ("compact", "wide")
TIMINGS = ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold")


def pct(draw: Any, percent: int) -> bool:
    """True with about ``percent``% probability; shrinks to False."""
    if percent <= 0:
        return False
    return draw(st.integers(0, 99)) >= 100 - percent


def maybe_put(draw: Any, out: dict[str, Any], key: str, value_strategy: Any, percent: int) -> None:
    if pct(draw, percent):
        out[key] = draw(value_strategy)


def probe_first(draw: Any, entries: dict[str, Any], percent: int = 25) -> dict[str, Any]:
    """Sometimes move readinessProbe to the front (``- readinessProbe:`` in a compact sequence entry)."""
    if "readinessProbe" not in entries or not pct(draw, percent):
        return entries
    return {"readinessProbe": entries["readinessProbe"], **{k: v for k, v in entries.items() if k != "readinessProbe"}}


def shuffled(draw: Any, entries: dict[str, Any], percent: int = 50) -> dict[str, Any]:
    """The mapping in a drawn key order (kept as is when not shuffled)."""
    if len(entries) < 2 or not pct(draw, percent):
        return entries
    keys = draw(st.permutations(list(entries)))
    return {k: entries[k] for k in keys}


# --------------------------------------------------------------------------- probes and containers

PORT_NAMES = ("http1", "h2c", "grpc", "metrics")


@st.composite
def ports(draw: Any) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 2))
    out = []
    for i in range(n):
        entry: dict[str, Any] = {"containerPort": draw(st.sampled_from((8080, 8081, 9000, 8085)))}
        if pct(draw, 70):
            entry["name"] = PORT_NAMES[i] if i else draw(st.sampled_from(PORT_NAMES))
        if pct(draw, 40):
            entry["protocol"] = "TCP"
        out.append(shuffled(draw, entry, 30))
    return out


def port_value(draw: Any) -> Any:
    return draw(st.sampled_from((8080, 8080, 9000, 8081, "http1", "h2c", "8080", "no-such-port")))


@st.composite
def handler(draw: Any, kind: str) -> dict[str, Any]:
    if kind == "exec":
        command = draw(
            st.one_of(
                st.just(["test", "-f", "/mnt/models/model.joblib"]),
                st.just(["cat", "/tmp/healthy"]),
                st.lists(st.sampled_from(TRICKY), min_size=1, max_size=4),
            )
        )
        return {"command": command}
    if kind == "grpc":
        out: dict[str, Any] = {"port": draw(st.sampled_from((9000, 8081, 8033)))}
        maybe_put(draw, out, "service", st.sampled_from(("", "inference.GRPCInferenceService", "健康")), 30)
        return shuffled(draw, out)
    if kind == "httpGet":
        out = {"path": draw(st.sampled_from(("/", "/ready", "/v2/health/ready", "/v2/models/m/versions/1/ready")))}
        if pct(draw, 90):
            out["port"] = port_value(draw)
        maybe_put(draw, out, "scheme", st.just("HTTP"), 20)
        maybe_put(draw, out, "httpHeaders", st.sampled_from(([{"name": "X-Probe", "value": "a: b"}],
                                                            [{"name": "Host", "value": "模型.local"}, {"name": "X", "value": ""}])), 20)
        return shuffled(draw, out)
    out = {}
    if pct(draw, 90):
        out["port"] = port_value(draw)
    return out


HANDLER_SETS = (
    ("exec",),
    ("exec",),
    ("exec",),
    ("grpc",),
    ("grpc",),
    ("httpGet",),
    ("tcpSocket",),
    ("exec", "httpGet"),
    ("grpc", "tcpSocket"),
    ("exec", "grpc"),
    ("tcpSocket", "exec"),
)


@st.composite
def probe(draw: Any, broken_bias: bool = True) -> dict[str, Any]:
    kinds = draw(st.sampled_from(HANDLER_SETS if broken_bias else (("httpGet",), ("tcpSocket",), ("exec",))))
    out: dict[str, Any] = {k: draw(handler(k)) for k in kinds}
    for t in draw(st.lists(st.sampled_from(TIMINGS), unique=True, max_size=5)):
        out[t] = draw(st.integers(1, 60))
    maybe_put(draw, out, "terminationGracePeriodSeconds", st.just(30), 5)
    return shuffled(draw, out)


@st.composite
def env_list(draw: Any, multi_model: bool = False) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(0, 2))):
        name = draw(st.sampled_from(("STORAGE_URI", "LOG_LEVEL", "NOTE", "MODEL_NAME")))
        value = draw(st.sampled_from(TRICKY + MULTILINE))
        out.append({"name": name, "value": value})
    if multi_model:
        out.insert(draw(st.integers(0, len(out))), {"name": "MULTI_MODEL_SERVER", "value": "true"})
    return out


@st.composite
def container_fields(draw: Any, *, name: str | None = None, image: bool = True, probe_percent: int = 85,
                     multi_model: bool = False, model_name_arg: bool = True) -> dict[str, Any]:
    """The fields of a Kubernetes container (in a drawn order, probe anywhere)."""
    out: dict[str, Any] = {}
    if name is not None:
        out["name"] = name
    if image:
        out["image"] = draw(st.sampled_from(IMAGES))
    if pct(draw, 40):
        args = []
        if model_name_arg and pct(draw, 50):
            model = draw(st.sampled_from(MODEL_NAMES))
            args += [f"--model_name={model}"] if pct(draw, 50) else ["--model_name", model]
        if pct(draw, 40):
            args.append(draw(st.sampled_from(("--http_port=8081", "--http-port=8000", "--rest_api_port=8501", "--port=8000"))))
        args += draw(st.lists(st.sampled_from(TRICKY), max_size=2))
        out["args"] = args
    if multi_model or pct(draw, 30):
        out["env"] = draw(env_list(multi_model))
    if pct(draw, 35):
        out["ports"] = draw(ports())
    if pct(draw, 15):
        out["workingDir"] = draw(st.sampled_from((*MULTILINE, "/srv")))
    if pct(draw, probe_percent):
        out["readinessProbe"] = draw(probe())
    if pct(draw, 20):
        out["livenessProbe"] = draw(probe(broken_bias=False))
    if pct(draw, 10):
        out["startupProbe"] = draw(probe(broken_bias=False))
    if pct(draw, 15):
        out["resources"] = {"limits": {"cpu": "1", "memory": "2Gi"}}
    return out


# --------------------------------------------------------------------------- KServe resources

AGENT_ANNOTATIONS = ("internal.serving.kserve.io/logger", "internal.serving.kserve.io/batcher",
                     "internal.serving.kserve.io/agent")
MODES = (None, None, None, None, "RawDeployment", "RawDeployment", "RawDeployment", "Standard", "rawdeployment",
         "Serverless", "Knative", "ModelMesh", "Bogus")


def logger() -> Any:
    return st.sampled_from(({"mode": "all", "url": "http://message-dumper.models.svc.cluster.local"}, {"mode": "request"}))


def batcher() -> Any:
    return st.sampled_from(({"maxBatchSize": 32, "maxLatency": 500}, {"maxBatchSize": 8}))


@st.composite
def model_spec(draw: Any, runtimes: list[tuple[str, str]]) -> tuple[str, dict[str, Any]]:
    """(field, spec) for ``model`` or a legacy framework field."""
    out: dict[str, Any] = {}
    if pct(draw, 70):
        field_name = "model"
        fmt: dict[str, Any] = {"name": draw(st.sampled_from(FORMATS))}
        maybe_put(draw, fmt, "version", st.sampled_from(("1", "2")), 30)
        out["modelFormat"] = fmt
        if runtimes and pct(draw, 45):
            out["runtime"] = draw(st.sampled_from([name for _, name in runtimes]))
        maybe_put(draw, out, "protocolVersion", st.sampled_from(("v1", "v2", "grpc-v2")), 20)
    else:
        field_name = draw(st.sampled_from(FRAMEWORKS))
    if pct(draw, 55):  # without storageUri a model/framework predictor is multi-model: an agent
        out["storageUri"] = draw(st.sampled_from(("gs://kfserving-examples/models/sklearn/1.0/model", "s3://bucket/模型")))
    out.update(draw(container_fields(image=pct(draw, 30))))
    return field_name, probe_first(draw, shuffled(draw, out))


@st.composite
def custom_containers(draw: Any, transformer_ok: bool = True) -> list[dict[str, Any]]:
    names = draw(st.lists(st.sampled_from(("kserve-container", "transformer-container", None, "sidecar")),
                          min_size=1, max_size=3, unique=True))
    if not transformer_ok:
        names = [n for n in names if n != "transformer-container"] or ["kserve-container"]
    multi = pct(draw, 30)
    out = []
    for i, name in enumerate(names):
        out.append(probe_first(draw, shuffled(draw, draw(container_fields(name=name, multi_model=multi and i == 0))), 40))
    return out


@st.composite
def predictor(draw: Any, runtimes: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if pct(draw, 65):
        key, spec = draw(model_spec(runtimes))
        out[key] = spec
    else:
        out["containers"] = draw(custom_containers())
    maybe_put(draw, out, "logger", logger(), 40)
    maybe_put(draw, out, "batcher", batcher(), 20)
    if pct(draw, 12):
        out["workerSpec"] = {"containers": [draw(container_fields(name=draw(st.sampled_from(("worker-container", None)))))]}
    if pct(draw, 10):
        out["annotations"] = {draw(st.sampled_from(AGENT_ANNOTATIONS)): "true"}
    maybe_put(draw, out, "minReplicas", st.integers(0, 3), 20)
    return shuffled(draw, out)


@st.composite
def inference_service(draw: Any, name: str, runtimes: list[tuple[str, str]]) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    ns = draw(st.sampled_from(NAMESPACES))
    if ns:
        meta["namespace"] = ns
    annotations: dict[str, Any] = {}
    mode = draw(st.sampled_from(MODES))
    if mode:
        annotations["serving.kserve.io/deploymentMode"] = mode
    if pct(draw, 12):
        annotations[draw(st.sampled_from(AGENT_ANNOTATIONS))] = "true"
    if pct(draw, 15):
        annotations["description"] = draw(st.sampled_from((*MULTILINE, "推理服务", "a: b")))
    if annotations:
        meta["annotations"] = shuffled(draw, annotations)
    if pct(draw, 15):
        meta["labels"] = {"app": name, "team": draw(st.sampled_from(("ml", "研究")))}
    spec: dict[str, Any] = {"predictor": draw(predictor(runtimes))}
    if pct(draw, 20):
        t: dict[str, Any] = {"containers": [shuffled(draw, draw(container_fields(name=draw(st.sampled_from((None, "transformer"))))))]}
        maybe_put(draw, t, "logger", logger(), 40)
        maybe_put(draw, t, "batcher", batcher(), 20)
        spec["transformer"] = shuffled(draw, t)
    if pct(draw, 12):
        e: dict[str, Any] = {}
        if pct(draw, 50):
            e["containers"] = [draw(container_fields(name=None))]
        else:
            art = {"type": "SquareAttack"}
            art.update(draw(container_fields(image=pct(draw, 50))))
            e["art"] = shuffled(draw, art)
        maybe_put(draw, e, "logger", logger(), 50)
        maybe_put(draw, e, "batcher", batcher(), 20)
        spec["explainer"] = shuffled(draw, e)
    if pct(draw, 12):
        spec["canary"] = [{"predictor": draw(predictor(runtimes)), "trafficPercent": 10}]
    out: dict[str, Any] = {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService", "metadata": meta,
                           "spec": shuffled(draw, spec, 30)}
    if pct(draw, 8):
        out["status"] = {"deploymentMode": draw(st.sampled_from(("Standard", "RawDeployment", "Serverless")))}
    return out


SERVER_TYPES = {
    "kserve-sklearnserver": "sklearnserver",
    "kserve-tritonserver": "tritonserver",
    "kserve-mlserver": "mlserver",
    "kserve-tensorflow-serving": "tensorflow-serving",
}


@st.composite
def serving_runtime(draw: Any, kind: str, name: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if kind == "ServingRuntime":
        ns = draw(st.sampled_from(NAMESPACES))
        if ns:
            meta["namespace"] = ns
    if name in SERVER_TYPES and pct(draw, 60):
        meta["annotations"] = {"serving.kserve.io/server-type": SERVER_TYPES[name]}
    formats = []
    for fmt in draw(st.lists(st.sampled_from(FORMATS), min_size=1, max_size=2, unique=True)):
        f: dict[str, Any] = {"name": fmt}
        maybe_put(draw, f, "version", st.sampled_from(("1", "2")), 40)
        f["autoSelect"] = draw(st.sampled_from((True, True, False)))
        maybe_put(draw, f, "priority", st.integers(1, 3), 40)
        formats.append(f)
    spec: dict[str, Any] = {"supportedModelFormats": formats}
    maybe_put(draw, spec, "protocolVersions", st.sampled_from((["v1", "v2"], ["v2"], ["v1"], ["v2", "grpc-v2"])), 50)
    main = {"name": "kserve-container", "image": draw(st.sampled_from(IMAGES))}
    if pct(draw, 60):
        main["args"] = ["--model_name={{.Name}}", "--model_dir=/mnt/models",
                        draw(st.sampled_from(("--http_port=8080", "--http-port=8000", "--rest_api_port=8501")))]
    main.update(draw(container_fields(image=False, probe_percent=80, model_name_arg=False)))
    containers = [probe_first(draw, shuffled(draw, main))]
    if pct(draw, 15):
        containers.append(draw(container_fields(name="transformer-container")))
    spec["containers"] = containers
    if pct(draw, 10):
        spec["workerSpec"] = {"containers": [draw(container_fields(name="worker-container"))]}
    if pct(draw, 10):
        spec["annotations"] = {draw(st.sampled_from(AGENT_ANNOTATIONS)): "true"}
    api = "serving.kserve.io/v1alpha1"
    return {"apiVersion": api, "kind": kind, "metadata": meta, "spec": shuffled(draw, spec, 30)}


@st.composite
def config_map(draw: Any, name: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(("a", "note", "script.sh", "配置", "readinessProbe")), min_size=1, max_size=3,
                             unique=True)):
        data[key] = draw(st.sampled_from(TRICKY + MULTILINE))
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


@st.composite
def deployment(draw: Any, name: str) -> dict[str, Any]:
    """A Deployment whose container has an exec readinessProbe: not ours to touch."""
    container = probe_first(draw, shuffled(draw, draw(container_fields(name="app", probe_percent=100))))
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {"selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [container]}}},
    }


def isvc_config(mode: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "inferenceservice-config", "namespace": "kserve"},
            "data": {"deploy": json.dumps({"defaultDeploymentMode": mode})}}


@st.composite
def resources(draw: Any) -> list[dict[str, Any]]:
    """A package's resources: runtimes, InferenceServices, unrelated kinds, in a drawn order."""
    rt_names = draw(st.lists(st.sampled_from(RUNTIME_NAMES), max_size=2 if pct(draw, 20) else 1, unique=True))
    rts = [(draw(st.sampled_from(("ServingRuntime", "ClusterServingRuntime"))), n) for n in rt_names]
    out = [draw(serving_runtime(kind, name)) for kind, name in rts]
    for i in range(draw(st.integers(1, 3 if pct(draw, 25) else 1))):
        out.append(draw(inference_service(f"isvc-{i}", rts)))
    for i in range(draw(st.integers(0, 2 if pct(draw, 25) else 1))):
        out.append(draw(st.one_of(config_map(f"cm-{i}"), deployment(f"deploy-{i}"))))
    if pct(draw, 8):
        out.append(isvc_config(draw(st.sampled_from(("Serverless", "RawDeployment", "Standard")))))
    if pct(draw, 50):
        out = list(draw(st.permutations(out)))
    return out


@st.composite
def function_config(draw: Any) -> dict[str, Any] | None:
    choice = draw(st.sampled_from(("none", "none", "none", "typed", "configmap")))
    if choice == "none":
        return None
    spec: dict[str, Any] = {}
    maybe_put(draw, spec, "strategy", st.sampled_from(("auto", "http", "tcp", "remove", "remove")), 70)
    maybe_put(draw, spec, "keepAsStartupProbe", st.booleans(), 35)
    maybe_put(draw, spec, "defaultDeploymentMode", st.sampled_from(("Standard", "Knative")), 10)
    maybe_put(draw, spec, "fixRuntimes", st.booleans(), 10)
    maybe_put(draw, spec, "mode", st.just("validate"), 8)
    maybe_put(draw, spec, "port", st.sampled_from((8085, "http1")), 8)
    maybe_put(draw, spec, "httpPath", st.sampled_from(("/healthz", "/就绪")), 8)
    if choice == "typed":
        out: dict[str, Any] = {"apiVersion": "fn.kpt.dev/v1alpha1", "kind": "FixKServeProbes",
                               "metadata": {"name": "fix-kserve-probes"}}
        if spec:
            out["spec"] = spec
        return out
    data = {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in spec.items()}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "fn-config"}, "data": data}


def kpt_annotate(item: dict[str, Any], index: int, path: str, ident: int, seqindent: str, local: bool) -> dict[str, Any]:
    """The item as kpt sends it (see shared/krm-inputs): annotations appended in kpt's order."""
    item = dict(item)
    meta = dict(item.get("metadata") or {})
    annotations = dict(meta.get("annotations") or {})
    if local:
        annotations["config.kubernetes.io/local-config"] = "true"
    annotations.update({
        "config.kubernetes.io/index": str(index),
        "config.kubernetes.io/path": path,
        "internal.config.kubernetes.io/index": str(index),
        "internal.config.kubernetes.io/path": path,
        "internal.config.kubernetes.io/seqindent": seqindent,
        "internal.config.kubernetes.io/annotations-migration-resource-id": str(ident),
        "internal.config.kubernetes.io/id": str(ident + 1),
        "config.k8s.io/id": str(ident + 1),
    })
    meta["annotations"] = annotations
    item["metadata"] = meta
    return item


# --------------------------------------------------------------------------- anchors


@st.composite
def with_anchors(draw: Any, item: dict[str, Any], n: int, name: str | None = None,
                 kind: str | None = None) -> dict[str, Any]:
    """The item with an anchor and an alias to it, an anchored exec probe, or an explicitly
    tagged scalar (``kind``, else drawn); the anchor is named ``name`` (several resources
    may reuse one name, as YAML allows)."""
    item = dict(item)
    meta = dict(item["metadata"])
    name = name or f"a{n}"
    kind = kind or draw(st.sampled_from(("scalar", "mapping", "tag", "probe")))
    labels = dict(meta.get("labels") or {})
    if kind == "probe" and _anchor_an_exec(item, name):
        pass  # the rewrite removes the anchored exec: the round-trip applier must take this resource
    elif kind in ("scalar", "probe"):
        labels["app"] = Anchored(name, meta["name"])
        labels["instance"] = AliasOf(name, meta["name"])
    elif kind == "mapping":  # anchored in metadata, aliased at the end of the spec
        shared = {"owner": "ml", "tier": "gold"}
        meta["ownerInfo"] = Anchored(name, shared)
        item["spec"] = {**(item.get("spec") or {}), "x-shared": AliasOf(name, shared)}
    else:  # a standard tag: the splicer may handle it, so it is not special
        labels["port"] = Tagged("!!str", "8080")
    if labels:
        meta["labels"] = labels
    item["metadata"] = meta
    return item


def _anchor_an_exec(item: dict[str, Any], name: str) -> bool:
    """Anchor the first ``readinessProbe.exec`` in ``item`` (in place, copying the path to
    it); False if it has none."""
    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            probe = node.get("readinessProbe")
            if isinstance(probe, dict) and isinstance(probe.get("exec"), dict):
                return {**node, "readinessProbe": {**probe, "exec": Anchored(name, probe["exec"])}}
            for key, value in node.items():
                found = walk(value)
                if found is not None:
                    return {**node, key: found}
        elif isinstance(node, list):
            for i, value in enumerate(node):
                found = walk(value)
                if found is not None:
                    return [*node[:i], found, *node[i + 1:]]
        return None

    spec = walk(item.get("spec"))
    if spec is None:
        return False
    item["spec"] = spec
    return True


# --------------------------------------------------------------------------- rendering


def plain_ok(s: str) -> bool:
    """Can ``s`` be written as a plain scalar (block or flow) and read back as this string?"""
    if not s or s != s.strip(" "):
        return False
    if not (s[0].isalpha() or s[0] in "/_"):
        return False
    if any(not (c.isalnum() or c in "/_.=- ") for c in s):
        return False
    return s.lower() not in ("y", "n", "yes", "no", "on", "off", "true", "false", "null")


def plain_url(s: str) -> bool:
    """``s`` has colons (never before a space or at the end), else could be plain: it reads
    back as itself, block or flow, in libyaml 0.2.5+ and ruamel's pure-Python reader."""
    return ":" in s and not s.endswith(":") and ": " not in s and plain_ok(s.replace(":", "")) \
        and not s.replace(":", "").isdigit()


def yaml_printable(c: str) -> bool:
    """May ``c`` stand raw in a single-quoted YAML 1.1 scalar (and mean itself)?"""
    o = ord(c)
    return (0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000) and c not in "\u2028\u2029\ufeff"


def yaml_double(s: str) -> str:
    """``s`` double-quoted with every character YAML would not read as itself escaped."""
    return "".join(c if c in "\t\n" or yaml_printable(c) else f"\\u{ord(c):04x}"
                   for c in json.dumps(s, ensure_ascii=False))


def block_scalar_ok(s: str) -> bool:
    if "\n" not in s or s.endswith("\n\n") or s.startswith("\n"):
        return False
    lines = s[:-1].split("\n") if s.endswith("\n") else s.split("\n")
    return all(line == line.strip() and all(yaml_printable(c) for c in line) for line in lines) and bool(lines[0])


@dataclass
class Style:
    step: int = 2  # mapping indentation step
    dash: int = 0  # extra indentation of a block sequence's dashes under its key (0: compact)
    newline: str = "\n"
    comments: int = 0  # percent chance of a comment at each place one can go
    blanks: int = 0  # percent chance of a blank line between entries
    flow: int = 0  # percent chance of flow style for a collection
    flow_probe: int = 0  # percent chance of flow style for a probe or a container
    quote: int = 0  # percent chance of quoting a string (or key) that could be plain
    block_scalars: int = 70  # percent chance of |/|- for a multi-line string in block context
    dash_alone: int = 0  # percent chance of "-" on its own line before a mapping entry
    odd_spacing: int = 0  # percent chance of extra spaces after ":" or at the end of a line
    flow_lines: int = 0  # percent chance that a flow mapping spreads over lines (with comments)
    next_line: int = 0  # percent chance that a flow value starts on the line after its key
    plain_urls: int = 0  # percent chance that a URL-like string (``a:b``) is written plain, even in flow


PROBE_KEYS = frozenset({"readinessProbe", "livenessProbe", "startupProbe"})
CONTAINER_KEYS = frozenset({"model", "sklearn", "pytorch", "xgboost", "tensorflow", "triton", "huggingface", "lightgbm", "art"})


class Writer:
    """Renders plain data (plus Anchored/AliasOf/Tagged) as YAML lines, drawing every style choice."""

    def __init__(self, draw: Any, style: Style) -> None:
        self.draw, self.style = draw, style

    def chance(self, percent: int) -> bool:
        return pct(self.draw, percent)

    def comment(self) -> str:
        text = self.draw(st.sampled_from(COMMENTS))
        return "#" + ("" if self.chance(20) else " ") + text

    def trailing(self) -> str:
        if not self.chance(self.style.comments):
            return ""
        return " " * self.draw(st.integers(1, 3)) + self.comment()

    def string(self, s: str) -> str:
        if plain_ok(s) and not self.chance(self.style.quote):
            return s
        if plain_url(s) and self.chance(self.style.plain_urls):
            return s
        if all(yaml_printable(c) for c in s) and self.chance(50):
            return "'" + s.replace("'", "''") + "'"
        return yaml_double(s)

    def scalar(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null"
        if isinstance(value, (int, float)):
            return json.dumps(value)
        return self.string(str(value))

    def key(self, k: str) -> str:
        return self.string(k)

    def gap(self) -> str:
        """What follows a key's ":" before its value: one space, sometimes more."""
        return " " * self.draw(st.integers(1, 3)) if self.chance(self.style.odd_spacing) else " "

    def end(self) -> str:
        """A trailing comment, or sometimes trailing blanks."""
        tail = self.trailing()
        return tail or (" " * self.draw(st.integers(1, 2)) if self.chance(self.style.odd_spacing) else "")

    def flow_block(self, m: dict[str, Any], indent: int) -> list[str]:
        """A flow mapping over lines: ``{`` on the key's line, one entry per line, comments after commas."""
        inner = " " * (indent + self.style.step)
        lines = ["{"]
        entries = list(m.items())
        for n, (k, v) in enumerate(entries):
            comma = "," if n < len(entries) - 1 else ""
            lines.append(f"{inner}{self.key(k)}: {self.flow(v)}{comma}" + (self.trailing() if comma else ""))
        lines.append(" " * (indent + self.style.step) + "}")
        return lines

    def flow(self, value: Any) -> str:
        if isinstance(value, Anchored):
            return f"&{value.name} " + self.flow(value.value)
        if isinstance(value, AliasOf):
            return f"*{value.name}"
        if isinstance(value, Tagged):
            return f"{value.tag} {value.value}"
        sep = ", " if not self.chance(10) else ","
        if isinstance(value, dict):
            return "{" + sep.join(f"{self.key(k)}: {self.flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + sep.join(self.flow(v) for v in value) + "]"
        return self.scalar(value)

    def block_scalar(self, s: str, content_col: int) -> tuple[str, list[str]]:
        indicator = "|" if s.endswith("\n") else "|-"
        body = s[:-1] if s.endswith("\n") else s
        return indicator, [(" " * content_col + line) if line else "" for line in body.split("\n")]

    def entry(self, k: str, v: Any, indent: int) -> list[str]:
        head = " " * indent + self.key(k) + ":"
        anchor = ""
        if isinstance(v, Anchored):
            anchor, v = f" &{v.name}", v.value
        if isinstance(v, (AliasOf, Tagged)):
            return [head + " " + self.flow(v) + self.trailing()]
        if isinstance(v, dict):
            flow = self.style.flow
            if k in PROBE_KEYS:
                flow = max(flow, self.style.flow_probe)
            elif k in CONTAINER_KEYS:
                flow = max(flow, self.style.flow_probe // 3)
            if v and self.chance(flow) and self.chance(self.style.flow_lines):
                first, *rest = self.flow_block(v, indent)
                return [head + anchor + " " + first, *rest]
            if v and self.chance(flow) and self.chance(self.style.next_line):
                return [head + anchor + self.trailing(), " " * (indent + self.style.step) + self.flow(v) + self.end()]
            if not v or self.chance(flow):
                return [head + anchor + self.gap() + self.flow(v) + self.end()]
            return [head + anchor + self.trailing(), *self.mapping(v, indent + self.style.step)]
        if isinstance(v, list):
            if not v or self.chance(self.style.flow):
                return [head + anchor + " " + self.flow(v) + self.trailing()]
            return [head + anchor + self.trailing(), *self.sequence(v, indent + self.style.dash)[0]]
        if isinstance(v, str) and block_scalar_ok(v) and self.chance(self.style.block_scalars):
            indicator, lines = self.block_scalar(v, indent + self.style.step)
            return [head + anchor + " " + indicator + self.trailing(), *lines]
        return [head + anchor + self.gap() + self.scalar(v) + self.end()]

    def mapping(self, m: dict[str, Any], indent: int) -> list[str]:
        lines: list[str] = []
        for i, (k, v) in enumerate(m.items()):
            if i and self.chance(self.style.blanks):
                lines.append("")
            if self.chance(self.style.comments):
                col = 0 if i and self.chance(30) else indent
                lines.append(" " * col + self.comment())
            lines.extend(self.entry(k, v, indent))
        return lines

    def sequence(self, items: list[Any], col: int) -> tuple[list[str], list[tuple[int, int]]]:
        """Lines of a block sequence with dashes at ``col``, and each entry's line range."""
        lines: list[str] = []
        ranges = []
        pad = " " * col
        for i, item in enumerate(items):
            if i and self.chance(self.style.blanks):
                lines.append("")
            if i and self.chance(self.style.comments):
                lines.append(pad + self.comment())
            start = len(lines)
            flow = max(self.style.flow, self.style.flow_probe) if isinstance(item, dict) and "image" in item else self.style.flow
            if isinstance(item, dict) and item and not self.chance(flow):
                body = self.mapping(item, col + 2)
                if self.chance(self.style.dash_alone):
                    lines.append(pad + "-" + self.trailing())
                    lines.extend(body)
                else:
                    first = body[0]
                    assert first.startswith(" " * (col + 2)), first
                    lines.append(pad + "- " + first[col + 2 :])
                    lines.extend(body[1:])
            elif isinstance(item, str) and block_scalar_ok(item) and self.chance(self.style.block_scalars):
                indicator, content = self.block_scalar(item, col + 2)
                lines.append(pad + "- " + indicator + self.trailing())
                lines.extend(content)
            else:
                lines.append(pad + "- " + self.flow(item) + self.trailing())
            ranges.append((start, len(lines)))
        return lines, ranges


@st.composite
def styles(draw: Any) -> Style:
    step = draw(st.sampled_from((2, 2, 4)))
    return Style(
        step=step,
        dash=draw(st.sampled_from((0, 0, 2, step))),
        newline="\r\n" if pct(draw, 15) else "\n",
        comments=draw(st.sampled_from((0, 0, 5, 15))),
        blanks=draw(st.sampled_from((0, 0, 5, 15))),
        flow=draw(st.sampled_from((0, 0, 5, 20))),
        flow_probe=draw(st.sampled_from((0, 0, 25, 60))),
        quote=draw(st.sampled_from((0, 10, 40))),
        block_scalars=draw(st.sampled_from((0, 70, 100))),
        dash_alone=draw(st.sampled_from((0, 0, 10))),
        odd_spacing=draw(st.sampled_from((0, 0, 10))),
        flow_lines=draw(st.sampled_from((0, 30, 60))),
        next_line=draw(st.sampled_from((0, 0, 10))),
        plain_urls=draw(st.sampled_from((0, 50, 100))),
    )


# --------------------------------------------------------------------------- cases


@dataclass
class Case:
    text: str
    docs: list[Any]  # what the text loads to (a ResourceList is one document)
    form: str  # "stream" or "resourcelist"
    json: bool
    config: dict[str, Any] | None = None  # passed to engine.run (streams); a ResourceList carries its own
    # (kind, name, namespace) -> (start, end) of the resource's text in ``text``
    ranges: dict[tuple[str, str, str | None], tuple[int, int]] = field(default_factory=dict)
    specials: set[tuple[str, str, str | None]] = field(default_factory=set)  # resources with anchors/aliases/tags
    label: str = ""

    def __repr__(self) -> str:  # what hypothesis prints for a falsifying example
        return f"Case(form={self.form!r}, json={self.json}, config={self.config!r}, label={self.label!r}, text=\n{self.text}\n)"


def ref_key(item: Any) -> tuple[str, str, str | None]:
    meta = item.get("metadata") if isinstance(item, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    return str(item.get("kind")), str(meta.get("name")), meta.get("namespace")


def _offsets(lines: list[str], newline: str) -> list[int]:
    out, pos = [], 0
    for line in lines:
        out.append(pos)
        pos += len(line) + len(newline)
    out.append(pos)
    return out


def _finish(draw: Any, lines: list[str], newline: str, docs_data: list[Any]) -> tuple[str, bool]:
    """Join lines; sometimes drop the final newline (unless that changes what the text loads to)."""
    text = newline.join(lines) + newline
    if pct(draw, 15):
        shorter = text[: -len(newline)]
        if load_yaml(shorter) == docs_data:
            return shorter, False
    return text, True


def load_yaml(text: str) -> list[Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.scanner import ScannerError

    try:
        return list(YAML(typ="safe", pure=False).load_all(text))
    except ScannerError:  # ruamel.yaml.clib's libyaml 0.1.7 refuses plain URLs in flow collections
        return list(YAML(typ="safe", pure=True).load_all(text))


def anchor_one(draw: Any, items: list[Any], reuse: bool = False) -> set[Any]:
    """Sometimes give one resource anchors and aliases; the keys of those that have them.
    With ``reuse`` (documents of a stream), sometimes two resources with one anchor name:
    anchors are per document (the reference loaders refuse a name twice in one document)."""
    specials = set()
    if pct(draw, 15):
        # Half the time one with an exec probe: anchoring that exec makes the round-trip
        # applier take the resource over when the exec is rewritten.
        execs = [j for j, item in enumerate(items) if _anchor_an_exec(dict(item), "probe")]
        at_exec = bool(execs) and pct(draw, 50)
        i = draw(st.sampled_from(execs)) if at_exec else draw(st.integers(0, len(items) - 1))
        chosen = [i]
        if reuse and len(items) > 1 and pct(draw, 50):  # a second resource reusing the anchor name
            chosen.append(draw(st.sampled_from([j for j in range(len(items)) if j != i])))
        for j in chosen:
            items[j] = draw(with_anchors(items[j], j, "shared" if len(chosen) > 1 else None,
                                         "probe" if at_exec and j == i else None))
            if has_specials(items[j]):
                specials.add(ref_key(items[j]))
    return specials


@st.composite
def yaml_stream(draw: Any) -> Case:
    items = draw(resources())
    style = draw(styles())
    specials = anchor_one(draw, items, reuse=True)
    w = Writer(draw, style)
    lines: list[str] = []
    if pct(draw, 20):
        lines.append(w.comment())
    explicit = pct(draw, 30)
    line_ranges = []
    data = []
    for i, item in enumerate(items):
        if i or explicit:
            lines.append("---" + (" " + w.comment() if pct(draw, 10) else ""))
        if i and pct(draw, 5):  # an empty document: only a comment
            lines.append(w.comment())
            lines.append("---")
            data.append(None)
        start = len(lines)
        if pct(draw, 4):
            lines.append(w.flow(item))
        else:
            lines.extend(w.mapping(item, 2 if pct(draw, 5) else 0))
        line_ranges.append((ref_key(item), start, len(lines)))
        data.append(plain(item))
        if pct(draw, 4):
            lines.append("...")
    text, _ = _finish(draw, lines, style.newline, data)
    offs = _offsets(lines, style.newline)
    ranges = {key: (offs[a], min(offs[b] - len(style.newline), len(text))) for key, a, b in line_ranges}
    config = draw(function_config())
    return Case(text, data, "stream", False, config, ranges, specials, label=f"yaml stream {style}")


@st.composite
def resource_list(draw: Any) -> Case:
    items = draw(resources())
    seqindent = draw(st.sampled_from(KPT_SEQINDENT))
    annotated = pct(draw, 80)
    if pct(draw, 30):
        items.insert(0, {"apiVersion": "kpt.dev/v1", "kind": "Kptfile", "metadata": {"name": "pkg"}})
    if annotated:
        items = [kpt_annotate(item, 0, "isvc.yaml" if item["kind"] != "Kptfile" else "Kptfile", n, seqindent,
                              item["kind"] == "Kptfile") for n, item in enumerate(items)]
    specials = anchor_one(draw, items)
    config = draw(function_config())
    root: dict[str, Any] = {"apiVersion": draw(st.sampled_from(("config.kubernetes.io/v1", "config.kubernetes.io/v1",
                                                                 "config.kubernetes.io/v1alpha1"))),
                            "kind": "ResourceList", "items": items}
    if config is not None:
        root["functionConfig"] = config
    if pct(draw, 8):
        root["results"] = [{"message": "from an earlier function", "severity": "info"}]
    if pct(draw, 20):
        root = shuffled(draw, root, 100)
    style = draw(styles())
    w = Writer(draw, style)
    if pct(draw, 6):  # the whole ResourceList in flow style
        ranges = {}
        head = "{"
        for n, (k, v) in enumerate(root.items()):
            head += (", " if n else "") + f"{w.key(k)}: "
            if k != "items":
                head += w.flow(v)
                continue
            head += "["
            for i, item in enumerate(v):
                chunk = w.flow(item)
                head += (", " if i else "")
                ranges[ref_key(item)] = (len(head), len(head) + len(chunk))
                head += chunk
            head += "]"
        text = head + "}" + (style.newline if pct(draw, 80) else "")
        return Case(text, [plain(root)], "resourcelist", False, None, ranges, specials, label="flow resourcelist")
    lines: list[str] = []
    line_ranges = []
    for k, v in root.items():
        if k != "items":
            lines.extend(w.entry(k, v, 0))
            continue
        lines.append("items:" + w.trailing())
        body, entries = w.sequence(v, style.dash)
        base = len(lines)
        lines.extend(body)
        line_ranges = [(ref_key(item), base + a, base + b) for item, (a, b) in zip(v, entries, strict=True)]
    data = [plain(root)]
    text, _ = _finish(draw, lines, style.newline, data)
    offs = _offsets(lines, style.newline)
    ranges = {key: (offs[a], min(offs[b] - len(style.newline), len(text))) for key, a, b in line_ranges}
    return Case(text, data, "resourcelist", False, None, ranges, specials, label=f"resourcelist {style}")


@st.composite
def json_case(draw: Any) -> Case:
    items = draw(resources())
    rl = pct(draw, 50)
    indent = draw(st.sampled_from((None, 2, 4)))
    separators = (",", ":") if indent is None and pct(draw, 50) else None
    ensure_ascii = pct(draw, 20)
    newline = "\r\n" if indent and pct(draw, 15) else "\n"

    def dump(value: Any, depth: int = 0) -> str:
        out = json.dumps(value, indent=indent, separators=separators, ensure_ascii=ensure_ascii)
        if indent:
            out = out.replace("\n", "\n" + " " * (indent * depth))
        return out

    config = draw(function_config())
    if rl:
        root: dict[str, Any] = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": items}
        if config is not None:
            root["functionConfig"] = config
        config = None
    else:
        root = items[0]
        items = [root]
    text = dump(root)
    ranges = {}
    pos = 0
    for item in items:
        chunk = dump(item, 2 if rl else 0)
        at = text.find(chunk, pos)
        assert at >= 0
        ranges[ref_key(item)] = (at, at + len(chunk))
        pos = at + len(chunk)
    if newline != "\n":
        # keep the ranges right: count the newlines before each position
        def shift(p: int) -> int:
            return p + text.count("\n", 0, p)

        ranges = {k: (shift(a), shift(b)) for k, (a, b) in ranges.items()}
        text = text.replace("\n", newline)
    if pct(draw, 70):
        text += newline
    return Case(text, [root], "resourcelist" if rl else "stream", True, config, ranges, set(),
                label=f"json indent={indent} separators={separators} ascii={ensure_ascii} crlf={newline != chr(10)}")


def literal(text: str, *, form: str = "stream", config: dict[str, Any] | None = None, label: str = "",
            is_json: bool = False, specials: tuple[tuple[str, str, str | None], ...] = ()) -> Case:
    """A hand-written case: its data is what the text loads to; a stream's documents are its ranges."""
    docs = [json.loads(text)] if is_json else load_yaml(text)
    ranges: dict[tuple[str, str, str | None], tuple[int, int]] = {}
    if form == "stream" and not is_json:
        nl = "\r\n" if "\r\n" in text else "\n"
        sep = nl + "---" + nl
        pos = 0
        for chunk in text.split(sep):
            loaded = [d for d in load_yaml(chunk) if d is not None]
            if len(loaded) == 1 and isinstance(loaded[0], dict):
                body = chunk[:-len(nl)] if chunk.endswith(nl) else chunk
                ranges[ref_key(loaded[0])] = (pos, pos + len(body))
            pos += len(chunk) + len(sep)
    if form == "stream" and is_json:
        ranges[ref_key(docs[0])] = (0, len(text.rstrip()))
    if form == "resourcelist" and not is_json:  # items: entries with the dash at column 0
        nl = "\r\n" if "\r\n" in text else "\n"
        lines = text.split(nl)
        offs = _offsets(lines, nl)
        starts = [i for i, line in enumerate(lines) if line.startswith("-")]
        ends = [i for i, line in enumerate(lines) if line[:1] not in ("", " ", "-", "#")]
        for n, (first, item) in enumerate(zip(starts, docs[0]["items"], strict=False)):
            last = min([i for i in starts[n + 1 :] + ends if i > first] + [len(lines)])
            ranges[ref_key(item)] = (offs[first], offs[last] - len(nl))
    return Case(text, docs, form, is_json, config, ranges, set(specials), label=label)


@st.composite
def json_stream(draw: Any) -> Case:
    """Concatenated JSON documents as jq and yq write them (issue 13, 6): ``{...}{...}``,
    one object per line, or pretty-printed (2 spaces or tabs) back to back."""
    items = draw(resources())
    layout = draw(st.sampled_from(("compact", "lines", "pretty", "tabs")))
    newline = "\r\n" if layout != "compact" and pct(draw, 15) else "\n"
    ensure_ascii = pct(draw, 20)
    tight = (",", ":") if layout in ("compact", "lines") and pct(draw, 30) else None
    indent = {"pretty": 2, "tabs": "\t"}.get(layout)
    gap = "" if layout == "compact" and not pct(draw, 20) else newline
    text, ranges = "", {}
    for item in items:
        chunk = json.dumps(item, indent=indent, separators=tight, ensure_ascii=ensure_ascii).replace("\n", newline)
        ranges[ref_key(item)] = (len(text), len(text) + len(chunk))
        text += chunk + gap
    if gap and pct(draw, 20):
        text = text[: -len(gap)]  # no final newline
    return Case(text, items, "stream", True, draw(function_config()), ranges, set(),
                label=f"json stream {layout} crlf={newline != chr(10)} ascii={ensure_ascii} tight={bool(tight)}")


BIG_SIZES = (1 << 10, 16 << 10, 63 << 10, 65 << 10, 256 << 10)  # around the 64 KiB cap on copied values


@st.composite
def aliased_big_scalar(draw: Any) -> tuple[str, int]:
    """An InferenceService whose probe aliases one big scalar many times (issue 11: a 1 MB
    scalar aliased 2,000 times became 2 GB of results); (text, size of the scalar)."""
    size, count = draw(st.sampled_from(BIG_SIZES)), draw(st.integers(1, 300))
    big = draw(st.sampled_from("xy")) * size
    inside = pct(draw, 50)  # the anchor in the probe itself, or in the labels
    aliases = ", ".join(["*big"] * count)
    command = f"[&big {big}, {aliases}]" if inside else f"[{aliases}]"
    where = draw(st.sampled_from(("command", "env")))
    probe = (f"        exec:\n          command: {command}\n" if where == "command" else
             f"        exec: {{command: [cat, /tmp/ready]}}\n        x-env: {command}\n")
    lines = ["apiVersion: serving.kserve.io/v1beta1", "kind: InferenceService", "metadata:", "  name: big",
             *([] if inside else [f"  labels: {{blob: &big {big}}}"]),
             "spec:", "  predictor:", "    model:", "      modelFormat: {name: sklearn}", "      readinessProbe:"]
    text = "\n".join(lines) + "\n" + probe + "        initialDelaySeconds: 5\n"
    if pct(draw, 50):
        body = "".join(("  " + line if n else "- " + line) for n, line in enumerate(text.splitlines(keepends=True)))
        text = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" + body
    return text, size
