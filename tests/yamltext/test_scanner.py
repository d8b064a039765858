"""The scanner: plain data that knows where it sits in the text."""

from __future__ import annotations

import pytest

from fix_kserve_probes.yamltext.errors import TextError
from fix_kserve_probes.yamltext.scanner import YMap, YSeq, scan


def test_positions_of_block_and_flow_nodes() -> None:
    text = "a:\n  b: 1   # c\n  s: [x, y]\nz: {k: v}\n"
    root = scan(text).docs[0].root
    assert isinstance(root, YMap) and not root.flow
    inner = root["a"]
    assert text[inner.start:inner.end] == "b: 1   # c\n  s: [x, y]"
    assert [text[k:k + 1] for k in inner.key_starts] == ["b", "s"]
    assert isinstance(inner["s"], YSeq) and text[inner["s"].start:inner["s"].end] == "[x, y]"
    assert text[root["z"].start:root["z"].end] == "{k: v}" and root["z"].flow
    assert inner.col == 2


def test_offsets_count_characters_not_bytes() -> None:
    text = "# 日本語 😀\nname: 模型\nx: 1\n"
    root = scan(text).docs[0].root
    assert text[root.key_starts[1]:root.value_ends[1]] == "x: 1"


def test_plain_scalars_resolve_like_kubernetes_and_quoted_stay_strings() -> None:
    root = scan('a: 8080\nb: "8080"\nc: true\nd: ~\ne: 1.5\nf: 0x1F\ng: |\n  text\n').docs[0].root
    assert root == {"a": 8080, "b": "8080", "c": True, "d": None, "e": 1.5, "f": 31, "g": "text\n"}


def test_aliases_are_markers_and_specials_are_recorded() -> None:
    text = "a: &x {k: v}\nb: *x\nc: !custom 1\nd: plain\n"
    result = scan(text)
    root = result.docs[0].root
    assert root["b"] is root["a"]  # shared, as any YAML loader shares it: never copied
    assert result.has_specials(0, len(text))
    assert not result.has_specials(text.index("d:"), len(text))


def test_duplicate_keys_are_an_error_with_a_position() -> None:
    with pytest.raises(TextError) as err:
        scan("a: 1\nb: 2\na: 3\n")
    assert str(err.value) == "duplicate key 'a' (line 3, column 1)"


def test_python_tags_are_refused() -> None:
    with pytest.raises(TextError, match="refusing Python-specific tag"):
        scan("a: !!python/object/apply:os.system [echo]\n")


def test_documents_and_empty_documents() -> None:
    docs = scan("---\n# nothing\n---\na: 1\n...\n").docs
    assert [d.root for d in docs] == [None, {"a": 1}]
