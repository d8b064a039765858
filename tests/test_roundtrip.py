"""The reference applier: same ops, same data, comments kept where ruamel can."""

from __future__ import annotations

import json

from ruamel.yaml import YAML

from fix_kserve_probes import roundtrip
from fix_kserve_probes.edits import Put, Remove

OPS = [(0, Remove(("p",), "exec")), (0, Put(("p",), "httpGet", {"port": 1}, ("in-place-of", "exec"))),
       (0, Put((), "after", 1, ("after", "p")))]


def test_yaml_keeps_order_and_comments() -> None:
    out = roundtrip.apply("p:  # probe\n  a: 1\n  exec: {}\n  z: 2\nq: 3\n", OPS)
    assert "# probe" in out
    data = YAML(typ="safe").load(out)
    assert list(data) == ["p", "after", "q"] and list(data["p"]) == ["a", "httpGet", "z"]


def test_json_stays_json_in_key_order() -> None:
    out = roundtrip.apply('{"p": {"a": 1, "exec": {}, "z": 2}, "q": 3}', OPS)
    assert json.loads(out) == {"p": {"a": 1, "httpGet": {"port": 1}, "z": 2}, "after": 1, "q": 3}
    assert list(json.loads(out)["p"]) == ["a", "httpGet", "z"]


def test_an_edit_at_an_anchor_leaves_its_aliases_alone() -> None:
    """A livenessProbe that aliases the readinessProbe must not change with it."""
    text = "ready: &b {exec: {}}\nlive: *b\nalso: *b\n---\nother: 1\n"
    out = roundtrip.apply(text, [(0, Remove(("ready",), "exec")), (0, Put(("ready",), "tcpSocket", {"port": 2}))])
    docs = list(YAML(typ="safe").load_all(out))
    assert docs == [{"ready": {"tcpSocket": {"port": 2}}, "live": {"exec": {}}, "also": {"exec": {}}}, {"other": 1}]
    assert "&b" in out and "*b" in out  # the remaining sharing is kept as such
