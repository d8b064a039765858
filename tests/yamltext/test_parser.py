"""The event parser: PyYAML's C binding where it is installed, its pure-Python parser
where not, and both read the same events at the same character offsets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fix_kserve_probes.yamltext import parser
from fix_kserve_probes.yamltext.errors import TextError
from fix_kserve_probes.yamltext.scanner import scan

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "valid"
TRICKY = [
    "command: [curl, -sf, http://localhost:8080/ping]\n",
    "data: {url: http://c:8080/z, plain: a:b}\n",
    "# 日本語 😀\nname: 模型 😀\nlist: [é, 😀x, http://ü:1/p]\nx: 1\n",
    "a: &x {k: v}\nb: *x\nc: !custom 1\nd: ! '1'\ne: !!str 2\n<<: {m: 1}\n",
    "--- # c\na: 1\n...\n---\nb: [[1, 2], {c: d}]\n",
]


def _shape(text: str) -> tuple[object, ...]:
    result = scan(text)
    docs = [(d.root, d.start, d.end, _positions(d.root)) for d in result.docs]
    return docs, result.specials, result.links


def _positions(node: object) -> list[object]:
    out: list[object] = []
    if isinstance(node, dict):
        out.append((node.start, node.end, node.col, list(node.key_starts), list(node.value_ends)))  # type: ignore[attr-defined]
        for value in node.values():
            out.extend(_positions(value))
    elif isinstance(node, list):
        out.append((node.start, node.end, node.col, list(node.value_ends)))  # type: ignore[attr-defined]
        for value in node:
            out.extend(_positions(value))
    return out


def test_the_c_binding_is_used_when_installed() -> None:
    assert parser.using_c()


@pytest.mark.parametrize("text", TRICKY + [p.read_text() for p in sorted(CORPUS.iterdir())])
def test_the_pure_python_parser_reads_the_same_as_the_c_one(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with_c = _shape(text)
    monkeypatch.setattr(parser, "_choose", lambda: parser._pure_parser)
    assert not parser.using_c()
    assert _shape(text) == with_c


@pytest.mark.parametrize("piece", [1, 3, 7])
@pytest.mark.parametrize("text", TRICKY + [p.read_text() for p in sorted(CORPUS.iterdir())])
def test_a_text_read_in_pieces_reads_as_a_whole_one(text: str, piece: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large text goes to libyaml a piece at a time (no whole UTF-8 copy); pieces that end
    inside a multi-byte character or a token change no value and no offset."""
    whole = _shape(text)
    monkeypatch.setattr(parser._Pieces, "PIECE", piece)
    assert len(text) > piece
    assert _shape(text) == whole


@pytest.mark.parametrize("text", ["a: 日本\nb: x\x07\n", "é: 1\nlist: [😀, b\nc: d\n", "a: 1\n  b: 2\n"])
def test_an_error_in_a_text_read_in_pieces_is_placed_as_in_a_whole_one(text: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(TextError) as whole:
        scan(text)
    monkeypatch.setattr(parser._Pieces, "PIECE", 2)
    with pytest.raises(TextError) as pieces:
        scan(text)
    assert (str(pieces.value), pieces.value.line, pieces.value.column) == \
        (str(whole.value), whole.value.line, whole.value.column)


def test_a_large_text_is_read_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the pieces: PyYAML keeps no whole UTF-8 copy of a large input."""
    asked: list[int] = []
    real = parser._Pieces.read
    monkeypatch.setattr(parser._Pieces, "read", lambda self, size: asked.append(size) or real(self, size))
    monkeypatch.setattr(parser._Pieces, "PIECE", 1000)
    text = "items:\n" + "".join(f"- name: m{i}\n" for i in range(2000))
    assert len(scan(text).docs[0].root["items"]) == 2000
    assert len(asked) >= len(text) // 1000
    asked.clear()
    scan("a: 1\n")  # a small one is handed over whole, as before
    assert asked == []


def test_flow_plain_scalars_with_colons_are_read() -> None:
    """Regression: ruamel.yaml.clib's libyaml refused these ("found unexpected ':'")."""
    root = scan(TRICKY[0] + TRICKY[1]).docs[0].root
    assert root == {"command": ["curl", "-sf", "http://localhost:8080/ping"],
                    "data": {"url": "http://c:8080/z", "plain": "a:b"}}


def test_offsets_are_characters_for_non_ascii_text() -> None:
    text = TRICKY[2]
    root = scan(text).docs[0].root
    assert [text[k:k + 4] for k in root.key_starts] == ["name", "list", "x: 1"]
    assert text[root["list"].start:root["list"].end] == "[é, 😀x, http://ü:1/p]"


@pytest.mark.parametrize("pure", [False, True])
def test_a_control_character_is_placed_in_characters(pure: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if pure:
        monkeypatch.setattr(parser, "_choose", lambda: parser._pure_parser)
    with pytest.raises(TextError) as info:
        scan("a: 日本\nb: x\x07\n")
    assert (info.value.line, info.value.column) == (2, 5)


def test_without_the_c_extension_the_function_still_runs() -> None:
    """A source-only install or PyPy: no ``yaml._yaml``. The pure-Python parser reads the input."""
    probe = ("import sys; sys.modules['yaml._yaml'] = None\n"
             "from fix_kserve_probes.yamltext import parser\n"
             "from fix_kserve_probes.cli import main\n"
             "code = main([])\n"
             "assert not parser.using_c()\n"
             "sys.exit(code)\n")
    data = (CORPUS / "flow-urls.yaml").read_bytes()
    with_c = subprocess.run([sys.executable, "-m", "fix_kserve_probes"], input=data, capture_output=True, check=False)
    pure = subprocess.run([sys.executable, "-c", probe], input=data, capture_output=True, check=False)
    assert pure.returncode == with_c.returncode == 0, pure.stderr
    assert pure.stdout == with_c.stdout and b"httpGet" in pure.stdout
