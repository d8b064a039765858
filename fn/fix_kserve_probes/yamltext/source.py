"""Bytes in, text out: decoding, byte-order mark, line endings and the size cap."""

from __future__ import annotations

import re
from typing import NamedTuple

from .errors import TextError, TextLimitError

BOM = "\ufeff"
# Scanning costs about 25 bytes of memory per input byte for dense YAML (many small
# mappings), so 32 MiB keeps the worst case under 1 GiB; real renders are far smaller.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
_SIZE = re.compile(r"\s*([0-9]+)\s*(Ki|Mi|Gi|k|M|G)?\s*\Z")
_UNIT = {None: 1, "k": 10**3, "M": 10**6, "G": 10**9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_JSON_START = re.compile(r"\s*[\[{]")


def looks_like_json(text: str) -> bool:
    """The one test of "is this JSON?": the first non-space character opens a JSON value.

    YAML flow documents open the same way; callers that must tell them apart try
    ``json`` itself.
    """
    return _JSON_START.match(text) is not None


def parse_size(text: str) -> int:
    """A positive byte count: ``1048576``, ``1Mi``, ``64Mi``, ``1G`` (Kubernetes quantity suffixes)."""
    m = _SIZE.match(text)
    size = int(m[1]) * _UNIT[m[2]] if m else 0
    if size < 1:
        raise ValueError(f"not a positive size in bytes: {text!r} (examples: 1048576, 64Mi, 1Gi)")
    return size


class Text(NamedTuple):
    """Decoded input. ``body`` is what the parser sees (no BOM); marks index into it."""

    body: str
    bom: bool
    newline: str

    @property
    def json(self) -> bool:
        return looks_like_json(self.body)

    def encode(self, body: str) -> bytes:
        return ((BOM if self.bom else "") + body).encode("utf-8")


def decode(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, what: str = "input") -> Text:
    # Callers read at most max_bytes + 1 bytes, so len(data) says "over", not the real size.
    if len(data) > max_bytes:
        raise TextLimitError(
            f"{what} is larger than the {max_bytes:,}-byte limit "
            "(raise it with --max-input-bytes or FIX_KSERVE_PROBES_MAX_INPUT_BYTES)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        if data.startswith(_UTF16_32_BOMS):
            raise TextError(f"{what} is UTF-16 or UTF-32 text; only UTF-8 is read") from None
        line = data.count(b"\n", 0, err.start) + 1
        raise TextError(
            f"{what} is not UTF-8 text: byte 0x{data[err.start]:02x} at offset {err.start}", line=line
        ) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if not text or text.isspace():  # not text.strip(): that copies the whole input
        raise TextError(f"{what} is empty")
    if text.count("\r") != text.count("\r\n"):
        # YAML reads a lone CR as a line break; every line-based edit here assumes LF.
        bare_cr = next(i for i, c in enumerate(text) if c == "\r" and not text.startswith("\r\n", i))
        raise TextError(f"{what} has a bare CR line ending (old Mac style); use LF or CRLF",
                         line=text.count("\n", 0, bare_cr) + 1)
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1 or len(text)] else "\n"
    return Text(text, bom, newline)
