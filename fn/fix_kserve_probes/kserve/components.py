"""KServe's pods, as data and pure functions: components, the containers whose
readinessProbe an agent copies, and what makes KServe inject an agent.

Facts are from kserve/kserve (tags v0.14.1 to v0.20.0, master aaac4e29); the file
that backs each one is named beside it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final, Literal, NamedTuple

from .plaindata import Path, annotations_of, as_list, as_map

GROUP = "serving.kserve.io"
ISVC, SR, CSR = "InferenceService", "ServingRuntime", "ClusterServingRuntime"
PREDICTOR_CONTAINER: Final = "kserve-container"  # constants.InferenceServiceContainerName
TRANSFORMER_CONTAINER: Final = "transformer-container"  # constants.TransformerContainerName
WORKER_CONTAINER: Final = "worker-container"  # constants.WorkerContainerName (v0.15+)
# The name KServe gives an agent-read container in the pod.
Role = Literal["kserve-container", "transformer-container", "worker-container"]
# pkg/webhook/admission/pod/agent_injector.go InjectAgent: any of these pod annotations
# (presence only) makes the webhook add the `agent` container.
AGENT_ANNOTATIONS = (
    "internal.serving.kserve.io/logger",
    "internal.serving.kserve.io/batcher",
    "internal.serving.kserve.io/agent",
)
# pkg/apis/serving/v1beta1/predictor.go: the legacy framework fields, each an inline container.
FRAMEWORKS = ("sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "huggingface", "pmml", "lightgbm", "paddle")
def is_kserve(item: Mapping[str, Any], *kinds: str) -> bool:
    api = item.get("apiVersion")
    return isinstance(api, str) and api.split("/")[0] == GROUP and item.get("kind") in kinds


class Component(NamedTuple):
    name: str  # predictor, transformer, explainer, canary[0].predictor
    path: Path  # from the item root
    spec: Mapping[str, Any]
    is_predictor: bool
    stable: Mapping[str, Any] | None = None  # a canary's: the stable predictor it is merged over


def components(isvc: Mapping[str, Any]) -> Iterator[Component]:
    spec = as_map(isvc.get("spec"))
    for name in ("predictor", "transformer", "explainer"):
        if isinstance(spec.get(name), Mapping):
            yield Component(name, ("spec", name), spec[name], name == "predictor")
    # inference_service.go (v0.20+): spec.canary is a list of {predictor, trafficPercent}.
    canary = spec.get("canary")
    entries = list(enumerate(canary)) if isinstance(canary, list) else []
    stable = as_map(spec.get("predictor"))
    for i, entry in entries:
        if isinstance(entry, Mapping) and isinstance(entry.get("predictor"), Mapping):
            yield Component(f"canary[{i}].predictor", ("spec", "canary", i, "predictor"), entry["predictor"], True,
                            stable)


def canary_merge(stable: Mapping[str, Any], canary: Mapping[str, Any]) -> dict[str, Any]:
    """The predictor a canary's pods run: kserve predictor.go (v0.20) buildCanaryPredictor
    deep-copies the stable predictor and merges the canary over it with mergo.WithOverride:
    structs, pointers to structs and maps merge field by field (so a stable ``exec`` stays
    beside a canary ``httpGet``), a non-empty list replaces the stable one whole, and an
    empty value (unset, "", 0, false, [] or {}) overrides nothing."""
    out = dict(stable)
    for key, value in canary.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = canary_merge(out[key], value)
        elif value is not None and value != "" and value is not False and value != 0 and value != [] \
                and value != {}:
            out[key] = value
    return out


def surviving(stable: Mapping[str, Any], canary: Mapping[str, Any], rel: Path) -> Any:
    """What the stable predictor has at ``rel`` that the canary merge keeps (None: nothing):
    a list the canary sets is replaced, so nothing below it survives."""
    here_s: Any = stable
    here_c: Any = canary
    for step in rel:
        if isinstance(step, int):
            if isinstance(here_c, list) and here_c:
                return None
            here_s = here_s[step] if isinstance(here_s, list) and step < len(here_s) else None
            here_c = None
        else:
            here_s = here_s.get(step) if isinstance(here_s, Mapping) else None
            here_c = here_c.get(step) if isinstance(here_c, Mapping) else None
        if here_s is None:
            return None
    return here_s


def agent_reasons(isvc: Mapping[str, Any], comp: Component, runtime_annotations: Mapping[str, Any]) -> list[str]:
    """Why KServe injects an agent into this component's pods (empty: it does not).

    components/component.go addLoggerAnnotations/addBatcherAnnotations/addAgentAnnotations,
    called from predictor.go (all three), transformer.go (logger, batcher) and
    explainer.go (logger only). Pod annotations are the ISVC's, the runtime's
    spec.annotations and the component's own (buildObjectMeta).
    """
    reasons = []
    if comp.spec.get("logger") is not None:
        reasons.append("logger")
    if comp.spec.get("batcher") is not None and comp.name != "explainer":
        reasons.append("batcher")
    if comp.is_predictor and is_multi_model(comp.spec):
        reasons.append("multi-model (model puller)")
    sources = (annotations_of(isvc), as_map(comp.spec.get("annotations")), runtime_annotations)
    for key in AGENT_ANNOTATIONS:
        if any(key in source for source in sources):
            reasons.append(f"annotation {key}")
    return reasons


def is_multi_model(predictor: Mapping[str, Any]) -> bool:
    """utils.go IsMMSPredictor."""
    containers = predictor.get("containers")
    if isinstance(containers, list) and containers:
        env = as_map(containers[0]).get("env")
        return any(
            as_map(e).get("name") == "MULTI_MODEL_SERVER" and as_map(e).get("value") == "true"
            for e in (env if isinstance(env, list) else [])
        )
    impl_key = model_field(predictor)
    if impl_key is None:
        return False
    impl = as_map(predictor[impl_key])
    if impl_key == "huggingface" or as_map(impl.get("modelFormat")).get("name") == "huggingface":
        return False
    storage_uris = predictor.get("storageUris")
    return impl.get("storageUri") is None and impl.get("storage") is None and not storage_uris


def model_field(predictor: Mapping[str, Any]) -> str | None:
    """The key of the predictor's model container: ``model`` or a legacy framework."""
    for key in ("model", *FRAMEWORKS):
        if isinstance(predictor.get(key), Mapping):
            return key
    return None


class ContainerRef(NamedTuple):
    path: Path  # from the item root
    container: Mapping[str, Any]
    role: Role


def agent_read_containers(comp: Component) -> list[ContainerRef]:
    """Containers whose readinessProbe the component's agent copies.

    agent_injector.go: pod.Spec.Containers[0] (v0.14), or the transformer-container when
    one is collocated (v0.15+). Both are covered, plus workerSpec containers.
    """
    refs: list[ContainerRef] = []
    spec, base = comp.spec, comp.path
    field = model_field(spec) if comp.is_predictor else None
    if field is not None:
        refs.append(ContainerRef((*base, field), spec[field], PREDICTOR_CONTAINER))
    if comp.name == "explainer" and isinstance(spec.get("art"), Mapping):
        refs.append(ContainerRef((*base, "art"), spec["art"], PREDICTOR_CONTAINER))
    containers = as_list(spec.get("containers"))
    if field is None and not (comp.name == "explainer" and "art" in spec):
        # transformer.go and explainer.go take containers[0] whatever its name;
        # the predictor's is the container CustomPredictor.Default names kserve-container.
        main = first_container(containers, PREDICTOR_CONTAINER) if comp.is_predictor else (0 if containers else None)
        if main is not None and isinstance(containers[main], Mapping):
            refs.append(ContainerRef((*base, "containers", main), containers[main], PREDICTOR_CONTAINER))
    for i, c in enumerate(containers):
        if as_map(c).get("name") == TRANSFORMER_CONTAINER and comp.is_predictor:
            refs.append(ContainerRef((*base, "containers", i), c, TRANSFORMER_CONTAINER))
    # predictor.go multiNodeProcess merges the ISVC's workerSpec.containers[0] into the
    # runtime's worker-container; worker pods carry the same annotations, so an agent.
    worker = as_map(spec.get("workerSpec")).get("containers") if comp.is_predictor else None
    if isinstance(worker, list) and worker and isinstance(worker[0], Mapping):
        refs.append(ContainerRef((*base, "workerSpec", "containers", 0), worker[0], WORKER_CONTAINER))
    return refs


def first_container(containers: list[Any], name: str) -> int | None:
    """The container named ``name``, else the first unnamed one, else the first.

    CustomPredictor.Default (predictor_custom.go) names containers[0] kserve-container
    when it is alone or unnamed, and the agent reads the pod's first container; the
    first unnamed one beyond that is the issue's rule for custom predictors.
    """
    mappings = [(i, c) for i, c in enumerate(containers) if isinstance(c, Mapping)]
    for wanted in (lambda c: c.get("name") == name, lambda c: not c.get("name"), lambda c: True):
        for i, c in mappings:
            if wanted(c) and c.get("name") != TRANSFORMER_CONTAINER:
                return i
    return None


def runtime_containers(spec: Mapping[str, Any]) -> dict[Role, tuple[Path, Mapping[str, Any]]]:
    """The runtime ``spec``'s containers that merge into agent-read pod containers, by role;
    paths are from the runtime resource's root."""
    found: dict[Role, tuple[Path, Mapping[str, Any]]] = {}
    for i, c in enumerate(as_list(spec.get("containers"))):
        name = as_map(c).get("name")
        if name == PREDICTOR_CONTAINER and PREDICTOR_CONTAINER not in found:
            found[PREDICTOR_CONTAINER] = (("spec", "containers", i), c)
        elif name == TRANSFORMER_CONTAINER and TRANSFORMER_CONTAINER not in found:
            found[TRANSFORMER_CONTAINER] = (("spec", "containers", i), c)
    worker = as_map(spec.get("workerSpec")).get("containers")
    if isinstance(worker, list):
        j = first_container(worker, WORKER_CONTAINER)
        if j is not None:
            found[WORKER_CONTAINER] = (("spec", "workerSpec", "containers", j), worker[j])
    return found
