"""Bytes in, text out: decoding, byte-order mark, line endings and the size cap."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError, LimitError

BOM = "\ufeff"
DEFAULT_MAX_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class Text:
    """Decoded input. ``body`` is what the parser sees (no BOM); marks index into it."""

    body: str
    bom: bool
    newline: str

    def encode(self, body: str) -> bytes:
        return ((BOM if self.bom else "") + body).encode("utf-8")


def decode(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, what: str = "input") -> Text:
    if len(data) > max_bytes:
        raise LimitError(
            f"{what} is {len(data):,} bytes, over the {max_bytes:,}-byte limit "
            "(raise it with --max-input-bytes or FIX_KSERVE_PROBES_MAX_INPUT_BYTES)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            f"{what} is not UTF-8 text: byte 0x{data[err.start]:02x} at offset {err.start}", line=line
        ) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if not text.strip():
        raise InputError(f"{what} is empty")
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1 or len(text)] else "\n"
    return Text(text, bom, newline)
