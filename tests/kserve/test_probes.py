"""Probe handlers, ports and replacements."""

from __future__ import annotations

from fix_kserve_probes.kserve import probes
from fix_kserve_probes.kserve.probes import Target

PORTS = [{"name": "http", "containerPort": 8000}, {"name": "grpc", "containerPort": 9000}]


def test_handlers_and_brokenness() -> None:
    assert probes.handlers({"exec": {}, "periodSeconds": 1, "httpGet": None}) == ["exec"]
    assert probes.is_broken({"grpc": {"port": 1}}) and not probes.is_broken({"tcpSocket": {"port": 1}})
    assert not probes.is_broken(None) and not probes.is_broken("junk")


def test_replacement_keeps_every_other_key_in_place() -> None:
    old = {"initialDelaySeconds": 1, "grpc": {"port": 9000}, "periodSeconds": 2, "terminationGracePeriodSeconds": 5}
    new = probes.replacement(old, Target("tcpSocket", 8000), PORTS)
    assert list(new or {}) == ["initialDelaySeconds", "tcpSocket", "periodSeconds", "terminationGracePeriodSeconds"]
    assert probes.replacement(old, Target(None), PORTS) is None


def test_replacement_with_two_broken_handlers_writes_one() -> None:
    new = probes.replacement({"exec": {}, "grpc": {}}, Target("httpGet", 8000, "/ready"), PORTS)
    assert new == {"httpGet": {"path": "/ready", "port": 8000}}


def test_existing_working_handler_wins_and_gets_a_number() -> None:
    new = probes.replacement({"exec": {}, "tcpSocket": {"port": "grpc"}, "httpGet": {"port": 1}}, Target("httpGet", 8000, "/"), PORTS)
    assert new == {"tcpSocket": {"port": 9000}}


def test_startup_probe_from_the_old_check() -> None:
    old = {"exec": {"command": ["x"]}, "periodSeconds": 3, "successThreshold": 2, "failureThreshold": 1}
    assert probes.startup_probe(old, 40) == {"exec": {"command": ["x"]}, "periodSeconds": 3, "failureThreshold": 40}


def test_http_problems() -> None:
    """Named ports are fixed elsewhere (working.py); these stay warnings."""
    assert probes.http_problems({"httpGet": {"path": "/", "port": 8080}}) == []
    problems = probes.http_problems({"httpGet": {"path": "/v2/models/m/versions/2/ready", "port": "http"},
                                     "tcpSocket": {}})
    assert [p.rule for p in problems] == ["several-handlers", "versioned-ready-path", "handler-without-port"]
    assert {p.severity for p in problems} == {"warning"}
    assert "2 handlers" in problems[0].message and "501" in problems[1].message and "no port" in problems[2].message
