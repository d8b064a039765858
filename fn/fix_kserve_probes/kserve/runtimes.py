"""Which ServingRuntime a predictor ends up with, and what server it runs.

Selection follows kserve pkg/controller/v1beta1/inferenceservice/components/predictor.go
reconcileModel and pkg/apis/serving/v1beta1/predictor_model.go GetSupportingRuntimes.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from .components import SR, model_field
from .plaindata import as_list, as_map, as_str

SERVER_TYPE = "serving.kserve.io/server-type"  # constants.ServerTypeAnnotationKey

# The runtimes a default install has: kserve config/runtimes/kustomization.yaml and
# the files it lists, at aaac4e29. Name, server type, protocolVersions,
# multi-node (has workerSpec), supportedModelFormats (name, version, autoSelect, priority).
_Format = tuple[str, "str | None", bool, "int | None"]
SHIPPED: tuple[tuple[str, str, tuple[str, ...], bool, tuple[_Format, ...]], ...] = (
    ("kserve-autogluonserver", "autogluonserver", ("v1", "v2"), False, (("autogluon", "1", True, 1),)),
    ("kserve-huggingfaceserver-multinode", "huggingfaceserver", ("v2", "v1"), True, (("huggingface", "1", True, 2),)),
    ("kserve-huggingfaceserver", "huggingfaceserver", ("v2", "v1"), False, (("huggingface", "1", True, 1),)),
    ("kserve-lgbserver", "lgbserver", ("v1", "v2"), False, (("lightgbm", "4", True, 1),)),
    ("kserve-mlserver", "mlserver", ("v2",), False, tuple(
        (f, v, True, 1 if f == "mlflow" else 2)
        for f, v in (("sklearn", "0"), ("sklearn", "1"), ("xgboost", "1"), ("xgboost", "2"),
                     ("lightgbm", "3"), ("lightgbm", "4"), ("mlflow", "1"), ("mlflow", "2"))
    )),
    ("kserve-paddleserver", "paddleserver", ("v1", "v2"), False, (("paddle", "2", True, 1),)),
    ("kserve-pmmlserver", "pmmlserver", ("v1", "v2"), False, (("pmml", "3", True, 1), ("pmml", "4", True, 1))),
    ("kserve-predictiveserver", "predictiveserver", ("v1", "v2"), False, (
        ("sklearn", "1", False, 3), ("xgboost", "2", False, 3), ("lightgbm", "4", False, 3),
    )),
    ("kserve-sklearnserver", "sklearnserver", ("v1", "v2"), False, (("sklearn", "1", True, 1),)),
    ("kserve-tensorflow-serving", "tensorflow-serving", ("v1", "grpc-v1"), False, (
        ("tensorflow", "1", True, 2), ("tensorflow", "2", True, 2),
    )),
    ("kserve-torchserve", "torchserve", ("v1", "v2", "grpc-v2"), False, (("pytorch", "1", True, 2),)),
    ("kserve-tritonserver", "tritonserver", ("v2", "grpc-v2"), False, (
        ("tensorrt", "8", True, 1), ("tensorflow", "1", True, 1), ("tensorflow", "2", True, 1),
        ("onnx", "1", True, 1), ("pytorch", "1", False, None), ("triton", "2", True, 1),
    )),
    ("kserve-vllmserver", "vllmserver", (), False, (("vLLM", "1", True, 1),)),
    ("kserve-xgbserver", "xgbserver", ("v1", "v2"), False, (("xgboost", "2", True, 1),)),
)
# Shipped runtimes whose kserve-container has an exec readinessProbe (v0.15+).
SHIPPED_EXEC_READINESS = frozenset({"kserve-huggingfaceserver-multinode"})
# The probes shipped runtimes put on kserve-container (config/runtimes/kserve-vllmserver.yaml
# and kserve-huggingfaceserver-multinode.yaml at aaac4e29): when such a runtime is not in
# the input, an InferenceService's rewritten probe still has to merge with these.
_MODELS = {"httpGet": {"path": "/v1/models", "port": 8080}}
SHIPPED_PROBES: dict[str, dict[str, Any]] = {
    "kserve-vllmserver": {"readinessProbe": _MODELS, "startupProbe": _MODELS},
    "kserve-huggingfaceserver-multinode": {
        "readinessProbe": {"exec": {"command": ["bash", "-c", "..."]}},
        "livenessProbe": {"exec": {"command": ["bash", "-c", "..."]}},
        "startupProbe": {"exec": {"command": ["bash", "-c", "..."]}},
    },
}


class Runtime(NamedTuple):
    name: str
    kind: Literal["ServingRuntime", "ClusterServingRuntime", "shipped"]  # shipped: KServe's defaults
    namespace: str | None
    item: int | None  # index into the input's items; None for a shipped default
    spec: Mapping[str, Any] = MappingProxyType({})
    server_type: str | None = None
    created: float = float("-inf")  # metadata.creationTimestamp (seconds); unset: Go's zero time, the oldest

    @property
    def visible(self) -> bool:
        return self.item is not None


def from_item(index: int, item: Mapping[str, Any]) -> Runtime:
    meta = as_map(item.get("metadata"))
    annotations = as_map(meta.get("annotations"))
    kind: Literal["ServingRuntime", "ClusterServingRuntime"] = "ServingRuntime" if item.get("kind") == SR \
        else "ClusterServingRuntime"
    namespace = as_str(meta.get("namespace")) if kind == SR else None
    return Runtime(str(meta.get("name")), kind, namespace, index, as_map(item.get("spec")),
                   as_str(annotations.get(SERVER_TYPE)), _timestamp(meta.get("creationTimestamp")))


def _timestamp(value: Any) -> float:
    if isinstance(value, datetime.datetime):
        stamp = value
    else:
        try:
            stamp = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return float("-inf")
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=datetime.timezone.utc)).timestamp()


class RuntimeIndex:
    """Runtimes by name and by auto-selectable format, so each lookup is a dict access.

    ServingRuntimes are keyed by their namespace, ClusterServingRuntimes by None.
    """

    def __init__(self, runtimes: Sequence[Runtime]) -> None:
        self.all = tuple(runtimes)
        self._named: dict[tuple[str | None, str], list[Runtime]] = {}
        self._formats: dict[tuple[str | None, str], list[Runtime]] = {}
        self._chosen: dict[tuple[Any, ...], Runtime | None] = {}
        for r in runtimes:
            scope = r.namespace if r.kind == SR else None
            self._named.setdefault((scope, r.name), []).append(r)
            formats = r.spec.get("supportedModelFormats")
            names = {as_str(as_map(f).get("name")) for f in as_list(formats)}
            for name in names:
                if isinstance(name, str):
                    self._formats.setdefault((scope, name), []).append(r)

    def named(self, namespace: str | None, name: str) -> list[Runtime]:
        """utils.go GetServingRuntime: a namespaced ServingRuntime first, then the cluster one."""
        return [*self._named.get((namespace, name), []), *self._named.get((None, name), [])]

    def auto_select(self, namespace: str | None, fmt: str, version: Any, protocol: str, multinode: bool) -> Runtime | None:
        """predictor_model.go GetSupportingRuntimes, first pick; remembered per request,
        since many InferenceServices ask the same question."""
        key = (namespace, fmt, str(version), protocol, multinode)
        if key not in self._chosen:
            pool = [*self._formats.get((namespace, fmt), []), *self._formats.get((None, fmt), [])] if namespace \
                else self._formats.get((None, fmt), [])
            candidates = [r for r in pool if _supports(r, fmt, version, protocol, multinode)]
            ordered = [*supporting_order([r for r in candidates if r.kind == SR], fmt),
                       *supporting_order([r for r in candidates if r.kind != SR], fmt)]
            self._chosen[key] = ordered[0] if ordered else None
        return self._chosen[key]


# constants.GetProtocolVersionInt: v1 < v2 < grpc-v1 < grpc-v2 < anything else (Unknown).
_PROTOCOL_RANK = {"v1": 0, "v2": 1, "grpc-v1": 2, "grpc-v2": 3}


def supporting_order(runtimes: Sequence[Runtime], fmt: str) -> list[Runtime]:
    """The order KServe tries one scope's supporting runtimes in (namespaced ServingRuntimes
    are all tried before ClusterServingRuntimes): kserve pkg/apis/serving/v1beta1/
    predictor_model.go sortServingRuntimeList (lowest protocol version first, then newest
    creationTimestamp, then name), then sortSupportedRuntimeByPriority (a set priority before
    none, highest first; equal ones keep that order: Go's sort.Slice is an insertion sort
    at these sizes, so stable)."""
    listed = sorted(runtimes, key=lambda r: (_lowest_protocol(r), -r.created, r.name))
    priorities = {id(r): _first_priority(r, fmt) for r in listed}
    return sorted(listed, key=lambda r: (priorities[id(r)] is None, -(priorities[id(r)] or 0)))


def _lowest_protocol(r: Runtime) -> int:
    """predictor_model.go GetProtocolVersionPriority: none listed is Unknown (last)."""
    protocols = as_list(r.spec.get("protocolVersions"))
    return min((_PROTOCOL_RANK.get(str(p), 4) for p in protocols), default=4)


def _first_priority(r: Runtime, fmt: str) -> int | None:
    """servingruntime_types.go GetPriority: the priority of the first format of that name,
    whether or not it auto-selects."""
    for entry in as_list(r.spec.get("supportedModelFormats")):
        f = as_map(entry)
        if f.get("name") == fmt:
            priority = f.get("priority")
            return priority if isinstance(priority, int) and not isinstance(priority, bool) else None
    return None


def shipped_index() -> RuntimeIndex:
    """KServe's default runtimes, for what the input does not hold (a fresh index, so its
    remembered selections belong to one run)."""
    return RuntimeIndex(_shipped())


@functools.cache
def _shipped() -> tuple[Runtime, ...]:
    """KServe's default runtimes as ``Runtime`` values (built once: the table is constant)."""
    out = []
    for name, server, protocols, multinode, formats in SHIPPED:
        spec: dict[str, Any] = {
            "protocolVersions": list(protocols),
            "supportedModelFormats": [
                {"name": f, "version": v, "autoSelect": a, "priority": p} for f, v, a, p in formats
            ],
        }
        if multinode:
            spec["workerSpec"] = {}
        out.append(Runtime(name, "shipped", None, None, spec, server))
    return tuple(out)


class Resolution(NamedTuple):
    runtime: Runtime | None
    how: Literal["named", "auto-selected"]
    wanted: str  # what the predictor asked for, for messages


def resolve(isvc: Mapping[str, Any], predictor: Mapping[str, Any], runtimes: RuntimeIndex,
            shipped: RuntimeIndex) -> Resolution | None:
    """The runtime for a model/framework predictor; None for custom containers."""
    field_name = model_field(predictor)
    if field_name is None:
        return None
    model = as_map(predictor[field_name])
    namespace = as_map(isvc.get("metadata")).get("namespace")
    fmt = as_map(model.get("modelFormat"))
    fmt_name = str(fmt.get("name") or (field_name if field_name != "model" else ""))
    fmt_version = fmt.get("version")
    explicit = model.get("runtime") if field_name == "model" else None
    namespace = namespace if isinstance(namespace, str) else None
    if isinstance(explicit, str) and explicit:
        found = runtimes.named(namespace, explicit) or shipped.named(None, explicit)
        return Resolution(found[0] if found else None, "named", explicit)
    protocol = model_protocol(field_name, model)
    multinode = isinstance(predictor.get("workerSpec"), Mapping)
    chosen = runtimes.auto_select(namespace, fmt_name, fmt_version, protocol, multinode)
    chosen = chosen or shipped.auto_select(None, fmt_name, fmt_version, protocol, multinode)
    return Resolution(chosen, "auto-selected", f"model format {fmt_name!r}")


def model_protocol(field_name: str, model: Mapping[str, Any]) -> str:
    """The protocol a predictor asks for: set, or KServe's default.

    inference_service_defaults.go: the triton, onnx and huggingface framework fields
    default to v2, and so does a `model` whose format is triton or vLLM; the rest v1
    (predictor_model.go GetProtocol).
    """
    if model.get("protocolVersion"):
        return str(model["protocolVersion"])
    fmt = as_map(model.get("modelFormat")).get("name")
    if field_name in ("triton", "onnx", "huggingface") or (field_name == "model" and fmt in ("triton", "vLLM")):
        return "v2"
    return "v1"


def _supports(r: Runtime, name: str, version: Any, protocol: str, multinode: bool) -> bool:
    spec = r.spec
    if spec.get("disabled") is True or spec.get("multiModel") is True:
        return False
    protocols = spec.get("protocolVersions")
    if isinstance(protocols, list) and protocols and protocol not in protocols:
        return False
    if isinstance(spec.get("workerSpec"), Mapping) != multinode:
        return False
    return _priority(r, name, version) >= 0


def _priority(r: Runtime, name: str, version: Any = None) -> int:
    """The best priority among auto-selectable formats that match; -1 when none does."""
    best = -1
    formats = r.spec.get("supportedModelFormats")
    for entry in formats if isinstance(formats, list) else []:
        f = as_map(entry)
        if f.get("name") != name or f.get("autoSelect") is not True:
            continue
        if version is not None and str(f.get("version")) != str(version):
            continue
        priority = f.get("priority")
        best = max(best, priority if isinstance(priority, int) else 0)
    return best
