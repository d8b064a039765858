"""Model servers: health paths and HTTP ports."""

from __future__ import annotations

import pytest

from fix_kserve_probes.kserve import servers
from fix_kserve_probes.kserve.targets import model_name, server_type


@pytest.mark.parametrize(("image", "server"), [
    ("docker.io/kserve/sklearnserver:v0.14.1", "sklearnserver"),
    ("nvcr.io/nvidia/tritonserver:23.05-py3", "tritonserver"),
    ("tensorflow/serving:2.6.2", "tensorflow-serving"),
    ("docker.io/seldonio/mlserver:1.7.1", "mlserver"),
    ("vllm/vllm-openai@sha256:abc", "vllmserver"),
    ("registry.local:5000/team/server:1", None),
    (None, None),
])
def test_server_from_image(image: str | None, server: str | None) -> None:
    assert servers.server_from_image(image) == server


def test_versioned_ready_path_is_never_produced() -> None:
    for server in servers.SERVERS.values():
        for protocol in ("v1", "v2"):
            path = servers.health_path(server, protocol, "m") or ""
            assert not servers.VERSIONED_READY.search(path)


def test_model_name_and_server_type_sources() -> None:
    assert model_name(["--model_name={{.Name}}", "--model_name", "b"], "isvc") == "b"
    assert model_name([], "isvc") == "isvc"
    assert server_type("rt", "tritonserver", None) == ("tritonserver", "runtime rt (serving.kserve.io/server-type)", False)
    assert server_type("kserve-mlserver", None, None)[0] == "mlserver"
    assert server_type("mine", None, "kserve/xgbserver:1") == ("xgbserver", "image kserve/xgbserver:1", True)
    assert server_type(None, None, "busybox") == (None, "unknown server", False)
