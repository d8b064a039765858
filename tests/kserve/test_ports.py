"""Ports: every source named, $(VAR) expanded as Kubernetes does, nothing out of range."""

from __future__ import annotations

from fix_kserve_probes.kserve import ports, servers

PORTS = [{"name": "http", "containerPort": 8000}, {"name": "grpc", "containerPort": 9000}]
PY = servers.SERVERS["sklearnserver"]


def test_named_and_declared_ports() -> None:
    assert ports.first_declared(PORTS) == ports.Choice(8000, "containerPort")
    assert ports.first_declared([]) is None
    assert ports.named("grpc", PORTS) == 9000
    assert ports.named("9", PORTS) == 9 and ports.named(7, PORTS) == 7
    assert ports.named("nope", PORTS) is None and ports.named(True, PORTS) is None


def test_server_flags_last_one_wins_and_name_their_source() -> None:
    assert ports.from_flags(PY.port_args, ["--http_port=9001"], {}) == ports.Choice(9001, "--http_port")
    assert ports.from_flags(PY.port_args, ["--http_port", "9002", "--grpc_port=1"], {}) == ports.Choice(9002, "--http_port")
    tf = servers.SERVERS["tensorflow-serving"]
    assert ports.from_flags(tf.port_args, ["--port=9000", "--rest_api_port=8501"], {}).port == 8501  # type: ignore[union-attr]
    assert ports.from_flags(PY.port_args, [], {}) is None


def test_env_ports() -> None:
    env = ports.env_values([{"name": "MLSERVER_HTTP_PORT", "value": "8081"}, {"name": "X", "valueFrom": {}}])
    assert env == {"MLSERVER_HTTP_PORT": "8081"}
    assert ports.from_env("MLSERVER_HTTP_PORT", env) == ports.Choice(8081, "env MLSERVER_HTTP_PORT")
    assert ports.from_env(None, env) is None and ports.from_env("OTHER", env) is None


def test_variables_expand_as_kubernetes_expands_them() -> None:
    env = {"PORT": "9100", "NAME": "m"}
    assert ports.expand("--http_port=$(PORT)", env) == ("--http_port=9100", [])
    assert ports.expand("$$(PORT) $(MISSING)", env) == ("$(PORT) $(MISSING)", ["MISSING"])
    assert ports.from_flags(PY.port_args, ["--http_port=$(PORT)"], env) == ports.Choice(9100, "--http_port")
    unresolved = ports.from_flags(PY.port_args, ["--http_port=$(NOPE)"], env)
    assert unresolved is not None and unresolved.port is None and "NOPE" in (unresolved.problem or "")


def test_ports_outside_the_range_are_never_written() -> None:
    for text in ("0", "70000", "12345678901234567890"):
        choice = ports.numeric(text, "--http_port")
        assert choice.port is None and "outside 1-65535" in (choice.problem or "")
    assert "not a port number" in (ports.numeric("http", "x").problem or "")
