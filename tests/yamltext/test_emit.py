"""Rendering small values: types survive any YAML reader, JSON stays JSON."""

from __future__ import annotations

import json

import pytest
from ruamel.yaml import YAML

from fix_kserve_probes.yamltext import emit

SAFE = YAML(typ="safe")


@pytest.mark.parametrize("value", ["/v1/models/m", "8080", "true", "yes", "Off", "~", "null", "", "a: b", "#x",
                                   "-", "-1", "-f", ".inf", "0x1F", "1e3", "{{.Name}}", "日本", "multi\nline", 8080, 1.5,
                                   True, None])
def test_scalars_read_back_as_themselves(value: object) -> None:
    assert SAFE.load(f"k: {emit.scalar(value)}\n") == {"k": value}
    assert SAFE.load(f"k: {emit.flow([value])}\n") == {"k": [value]}


def test_json_style_is_valid_json() -> None:
    value = {"httpGet": {"path": "/v1/models/m", "port": 8080}, "list": ["a", 1, None]}
    assert json.loads(emit.flow(value, json_style=True)) == value
    assert json.loads(emit.flow_lines(value, True, 4, 2)) == value
    assert emit.flow_lines(value, True, 4, 2).splitlines()[1] == '      "httpGet": {'


def test_block_entry_nests_by_step_and_keeps_lists_in_flow() -> None:
    text = emit.block_entry("startupProbe", {"exec": {"command": ["a", "b c"]}, "failureThreshold": 3}, 4, 3)
    assert text == '    startupProbe:\n       exec:\n          command: [a, "b c"]\n       failureThreshold: 3\n'
    assert SAFE.load(text) == {"startupProbe": {"exec": {"command": ["a", "b c"]}, "failureThreshold": 3}}


def test_results_are_a_compact_block_sequence() -> None:
    text = emit.block_entry("results", [{"message": "m", "field": {"path": "a.b"}}], 0, 2, "\r\n")
    assert text == "results:\r\n- message: m\r\n  field:\r\n    path: a.b\r\n"
