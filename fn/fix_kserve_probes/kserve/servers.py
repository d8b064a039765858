"""The health endpoints each model server is known to serve, for ``auto`` probes.

Sources: KServe's Python server (kserve python/kserve/kserve/protocol/rest/
v1_endpoints.py, v2_endpoints.py): /v1/models/<m> and /v2/models/<m>/ready answer 200
only when the model is ready; /v2/models/<m>/versions/<v>/ready always answers 501.
Triton (server src/http_server.cc) and MLServer (mlserver/rest/endpoints.py) answer
/v2/health/ready. TF Serving answers /v1/models/<m> (tensorflow_serving/model_servers/
get_model_status_impl.cc). KServe's own vLLM runtime probes /v1/models
(config/runtimes/kserve-vllmserver.yaml). The agent's prober counts 200-399 as ready.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple


class Server(NamedTuple):
    name: str
    v1_path: str | None  # "{model}" is replaced by the model name
    v2_path: str | None
    port_args: tuple[str, ...] = ()  # flags that set the HTTP port
    port_env: str | None = None
    default_port: int = 8080
    server_path: str | None = None  # ready without naming a model (multi-model servers); None: tcp


# A multi-model server starts with no model under the InferenceService's name (the agent
# pulls TrainedModels, each named itself), so only a server-wide path can answer there:
# v2_endpoints.py /v2/health/ready does not look at models.
_KSERVE_PYTHON = Server("KServe Python server", "/v1/models/{model}", "/v2/models/{model}/ready", ("--http_port",),
                        server_path="/v2/health/ready")
SERVERS: dict[str, Server] = {
    **{
        t: _KSERVE_PYTHON
        for t in ("sklearnserver", "xgbserver", "lgbserver", "lightgbmserver", "pmmlserver", "paddleserver",
                  "huggingfaceserver", "predictiveserver", "autogluonserver", "pytorchserver")
    },
    "tensorflow-serving": Server("TensorFlow Serving", "/v1/models/{model}", None, ("--rest_api_port",)),
    "tritonserver": Server("Triton", "/v2/health/ready", "/v2/health/ready", ("--http-port",),
                           server_path="/v2/health/ready"),
    "mlserver": Server("MLServer", "/v2/health/ready", "/v2/health/ready", port_env="MLSERVER_HTTP_PORT",
                       server_path="/v2/health/ready"),
    "ovms": Server("OpenVINO Model Server", "/v2/health/ready", "/v2/health/ready", ("--rest_port",),
                   server_path="/v2/health/ready"),
    "vllmserver": Server("vLLM", "/v1/models", "/v1/models", ("--port",), server_path="/v1/models"),
    # torchserve: the KServe wrapper's model names come from config.properties, not the
    # InferenceService, so no model path can be known: tcpSocket.
}
# Image names that reveal the server when nothing else does; a guess, reported as one.
_IMAGE_HINTS = (
    ("sklearnserver", "sklearnserver"), ("xgbserver", "xgbserver"), ("lgbserver", "lgbserver"),
    ("pmmlserver", "pmmlserver"), ("paddleserver", "paddleserver"), ("huggingfaceserver", "huggingfaceserver"),
    ("mlserver", "mlserver"), ("tritonserver", "tritonserver"), ("tensorflow/serving", "tensorflow-serving"),
    ("tensorflow-serving", "tensorflow-serving"), ("vllm", "vllmserver"), ("openvino/model_server", "ovms"),
)
VERSIONED_READY = re.compile(r"/v2/models/[^/]+/versions/[^/]+/ready/?$")


def server_from_image(image: Any) -> str | None:
    if not isinstance(image, str):
        return None
    repo = image.split("@")[0].rsplit(":", 1)[0] if "/" in image else image.split(":")[0]
    return next((t for hint, t in _IMAGE_HINTS if hint in repo), None)


def health_path(server: Server, protocol: str, model: str, multi_model: bool = False) -> str | None:
    if multi_model:
        return server.server_path
    template = server.v2_path if protocol.endswith("v2") else server.v1_path
    template = template or server.v1_path or server.v2_path
    return template.replace("{model}", model) if template else None
