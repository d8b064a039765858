"""Plain scalars resolve as Kubernetes' YAML reader (go-yaml v2) resolves them."""

from __future__ import annotations

import pytest

from fix_kserve_probes.yamltext.scalars import resolve_plain


@pytest.mark.parametrize(("plain", "value"), [
    ("-3", -3), ("010", 8), ("0x1F", 31), ("0b11", 3), ("0o17", 15), ("1_000", 1000), ("089", 89.0), ("1e3", 1000.0),
    ("Yes", True), ("off", False), ("y", True), ("~", None), ("", None), (".inf", float("inf")),
    ("1.2.3", "1.2.3"), ("-", "-"), ("v1", "v1"), ("/v1/models", "/v1/models"),
])
def test_plain_scalars_resolve_like_go_yaml_v2(plain: str, value: object) -> None:
    """What kubectl (sigs.k8s.io/yaml, go-yaml v2) and so the API server make of them."""
    assert resolve_plain(plain) == value and type(resolve_plain(plain)) is type(value)
