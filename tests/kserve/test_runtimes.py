"""Runtime resolution: explicit names and KServe's auto-selection."""

from __future__ import annotations

from builders import isvc, model, runtime

from fix_kserve_probes.kserve import runtimes


def resolve(predictor: dict, *items: dict, namespace: str = "ns") -> runtimes.Resolution | None:
    found = runtimes.RuntimeIndex([runtimes.from_item(i, it) for i, it in enumerate(items)])
    return runtimes.resolve(isvc(namespace=namespace, predictor=predictor), predictor, found, runtimes.shipped_index())


def test_custom_containers_use_no_runtime() -> None:
    assert resolve({"containers": [{"name": "kserve-container"}]}) is None


def test_named_runtime_prefers_namespaced_then_cluster_then_shipped() -> None:
    ns_rt = runtime("rt", kind="ServingRuntime", namespace="ns")
    cl_rt = runtime("rt")
    res = resolve({"model": model(runtime="rt")}, cl_rt, ns_rt)
    assert res and res.runtime and res.runtime.kind == "ServingRuntime" and res.how == "named"
    res = resolve({"model": model(runtime="rt")}, cl_rt, ns_rt, namespace="other")
    assert res and res.runtime and res.runtime.kind == "ClusterServingRuntime"
    res = resolve({"model": model(runtime="kserve-mlserver")})
    assert res and res.runtime and res.runtime.kind == "shipped" and res.runtime.server_type == "mlserver"
    res = resolve({"model": model(runtime="nowhere")})
    assert res and res.runtime is None and res.wanted == "nowhere"


def test_shipped_defaults_follow_kserve_priorities() -> None:
    def pick(predictor: dict) -> str | None:
        res = resolve(predictor)
        return res.runtime.name if res and res.runtime else None

    assert pick({"sklearn": {"storageUri": "x"}}) == "kserve-sklearnserver"
    assert pick({"sklearn": {"storageUri": "x", "protocolVersion": "v2"}}) == "kserve-mlserver"
    assert pick({"tensorflow": {}}) == "kserve-tensorflow-serving"
    assert pick({"onnx": {}}) == "kserve-tritonserver"
    assert pick({"model": model("huggingface")}) == "kserve-huggingfaceserver"
    assert pick({"model": model("huggingface"), "workerSpec": {}}) == "kserve-huggingfaceserver-multinode"
    assert pick({"model": model("no-such-format")}) is None


def test_runtime_server_type_comes_from_the_annotation() -> None:
    rt = runtimes.from_item(3, runtime("x", server_type="tritonserver", namespace="ignored"))
    assert (rt.server_type, rt.namespace, rt.item, rt.visible) == ("tritonserver", None, 3, True)


def tuned(name: str, *, protocols: list[str] | None = None, created: str | None = None, priority: int | None = 1,
          kind: str = "ClusterServingRuntime", namespace: str | None = None, **fmt: object) -> dict:
    rt = runtime(name, kind=kind, namespace=namespace)
    entry: dict = {"name": "sklearn", "version": "1", "autoSelect": True, **fmt}
    if priority is None:
        entry.pop("priority", None)
    else:
        entry["priority"] = priority
    rt["spec"]["supportedModelFormats"] = [entry]
    if protocols is not None:
        rt["spec"]["protocolVersions"] = protocols
    if created is not None:
        rt["metadata"]["creationTimestamp"] = created
    return rt


def picked(*items: dict, predictor: dict | None = None) -> str | None:
    res = resolve(predictor or {"model": model("sklearn")}, *items)
    return res.runtime.name if res and res.runtime else None


def test_auto_selection_prefers_the_lowest_protocol_before_the_name() -> None:
    # predictor_model.go sortServingRuntimeList: v1 < v2 < grpc-v1 < grpc-v2 < none listed
    assert picked(tuned("a", protocols=["v2"]), tuned("b", protocols=["v1", "v2"])) == "b"
    assert picked(tuned("a"), tuned("b", protocols=["grpc-v2", "v1"])) == "b"  # none listed is Unknown
    grpc = {"model": model("sklearn", protocolVersion="grpc-v2")}
    assert picked(tuned("a", protocols=["grpc-v2"]), tuned("b", protocols=["grpc-v1", "grpc-v2"]), predictor=grpc) == "b"


def test_auto_selection_prefers_the_newest_runtime_then_the_name() -> None:
    old, new = "2024-01-01T00:00:00Z", "2025-06-01T12:00:00Z"
    assert picked(tuned("a", protocols=["v1"], created=old), tuned("b", protocols=["v1"], created=new)) == "b"
    assert picked(tuned("a", protocols=["v1"]), tuned("b", protocols=["v1"], created=old)) == "b"  # unset: oldest
    assert picked(tuned("b", protocols=["v1"], created=new), tuned("a", protocols=["v1"], created=new)) == "a"


def test_priority_sorts_last_and_stably() -> None:
    # sortSupportedRuntimeByPriority: higher first, a set priority before none, ties keep the order above
    v2 = {"model": model("sklearn", protocolVersion="v2")}
    both = ["v1", "v2"]
    assert picked(tuned("a", protocols=both, priority=1), tuned("b", protocols=["v2"], priority=2), predictor=v2) == "b"
    assert picked(tuned("a", protocols=both, priority=None), tuned("b", protocols=["v2"], priority=0), predictor=v2) == "b"
    assert picked(tuned("b", protocols=both, priority=None), tuned("a", protocols=["v2"], priority=None),
                  predictor=v2) == "b"
    assert picked(tuned("b", protocols=both, priority=3), tuned("a", protocols=["v2"], priority=3), predictor=v2) == "b"


def test_namespaced_runtimes_come_first_and_unusable_ones_are_skipped() -> None:
    cluster = tuned("a-cluster", protocols=["v1"], priority=9)
    local = tuned("z-local", kind="ServingRuntime", namespace="ns", protocols=["v2", "v1"], priority=1)
    assert picked(cluster, local) == "z-local"
    disabled, multi = tuned("d", protocols=["v1"], priority=9), tuned("m", protocols=["v1"], priority=9)
    disabled["spec"]["disabled"] = True
    multi["spec"]["multiModel"] = True
    assert picked(disabled, multi, tuned("ok", protocols=["v2", "v1"])) == "ok"
    assert picked(tuned("no", autoSelect=False, priority=9), tuned("ok", protocols=["v2", "v1"])) == "ok"
    assert picked(tuned("v2", version="2"), tuned("v1", protocols=["v2", "v1"]),
                  predictor={"model": model("sklearn", version="1")}) == "v1"
