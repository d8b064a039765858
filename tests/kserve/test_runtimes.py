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
