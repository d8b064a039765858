"""Working probes the agent's prober still cannot run: named ports, HTTPS."""

from __future__ import annotations

from fix_kserve_probes.kserve.working import fix_working

PORTS = [{"name": "http", "containerPort": 8000}]
AT = ("spec", "predictor", "model")


def test_a_named_port_becomes_its_container_port() -> None:
    probe = {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 3}
    decided = fix_working(0, AT, probe, PORTS, "the agent")
    (edit,) = decided.edits
    assert edit.path == (*AT, "readinessProbe") and edit.action == "set"
    assert edit.new == {"httpGet": {"path": "/ready", "port": 8000}, "periodSeconds": 3}
    assert "'http' is containerPort 8000" in edit.reason and decided.findings == []


def test_a_numeric_port_needs_nothing() -> None:
    assert fix_working(0, AT, {"tcpSocket": {"port": 8000}}, PORTS, "x").edits == []
    assert fix_working(0, AT, None, PORTS, "x").edits == []


def test_a_name_that_resolves_to_nothing_is_an_error_with_no_edit() -> None:
    decided = fix_working(0, AT, {"tcpSocket": {"port": "grpc"}}, PORTS, "the agent")
    assert decided.edits == []
    assert [f.severity for f in decided.findings] == ["error"]


def test_https_becomes_tcp_on_its_port_with_a_warning() -> None:
    probe = {"httpGet": {"path": "/h", "port": "http", "scheme": "HTTPS"}, "timeoutSeconds": 2}
    decided = fix_working(0, AT, probe, PORTS, "the agent")
    assert decided.edits[0].new == {"tcpSocket": {"port": 8000}, "timeoutSeconds": 2}
    assert "TLS cannot complete" in decided.findings[0].message
