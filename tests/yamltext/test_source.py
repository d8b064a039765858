"""Decoding input: UTF-8, the BOM, line endings."""

from __future__ import annotations

import pytest

from fix_kserve_probes.yamltext.errors import TextError
from fix_kserve_probes.yamltext.source import decode


def test_bom_and_crlf_are_remembered() -> None:
    text = decode(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n")
    assert (text.body, text.bom, text.newline) == ("a: 1\r\nb: 2\r\n", True, "\r\n")
    assert text.encode(text.body) == b"\xef\xbb\xbfa: 1\r\nb: 2\r\n"


def test_a_bare_cr_is_refused_with_its_line() -> None:
    """YAML reads a lone CR as a line break; the splicer's line arithmetic would not."""
    with pytest.raises(TextError, match=r"bare CR line ending .*\(line 2\)"):
        decode(b"a: 1\r\nb: 2\rc: 3\n")
