"""``--config FILE`` and ``--set KEY=VALUE``: read, scanned and validated once, before any input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ConfigError, UsageError, from_text_error
from ..krm.config import load
from ..krm.function_config import FunctionConfig
from ..krm.results import config_field_offset
from ..yamltext.errors import TextError
from ..yamltext.scanner import YMap, scan
from ..yamltext.source import decode
from .fileio import read_bytes


def load_config(path: str | None, sets: tuple[tuple[str, str], ...], limit: int) -> FunctionConfig:
    """The --config file's settings (none without one), with the --set ones over them.
    A problem with a field of the file is named ``FILE:LINE: FIELD``, as editors jump to."""
    raw, text = read_config_mapping(path, limit) if path else (None, "")
    try:
        return load(raw, dict(sets))
    except ConfigError as err:
        if path is None:
            raise
        raise ConfigError(err.message, [(_where(path, raw, text, field, dict(sets)), message)
                                        for field, message in err.problems]) from None


def _where(path: str, raw: Any, text: str, field: str, sets: dict[str, str]) -> str:
    """``FILE:LINE: FIELD`` for a field the file holds; ``--set KEY`` for one --set gave
    (over the file's); others (a missing key) as they are."""
    key = field.split(".", 1)[1] if field.startswith(("spec.", "data.")) else None
    if key in sets:
        return f"--set {key}"
    offset = None if field.startswith("--") else config_field_offset(raw, field)
    return f"{path}:{text.count(chr(10), 0, offset) + 1}: {field}" if offset is not None else field


def read_config_mapping(path: str, limit: int) -> tuple[Any, str]:
    """The one mapping in a --config file (and its text), read under the same size cap as any input."""
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"--config {path}: no such file" if not file.exists() else f"--config {path}: not a file")
    try:
        text = decode(read_bytes(file, limit), limit, what=f"config {path}")
    except TextError as err:  # the message names the file already
        raise from_text_error(err) from err
    try:
        docs = [d.root for d in scan(text.body).docs if d.root is not None]
    except TextError as err:  # say which file: the input has positions of its own
        error = from_text_error(err)
        raise type(error)(f"--config {path}: {err.message}", line=err.line, column=err.column) from err
    if len(docs) != 1:
        raise ConfigError(f"--config {path}: expected one YAML document, found {len(docs)}")
    if not isinstance(docs[0], YMap):
        kind = "a list" if isinstance(docs[0], list) else f"a {type(docs[0]).__name__} scalar"
        raise ConfigError(f"--config {path}: expected a mapping (a FixKServeProbes or ConfigMap), found {kind}")
    return docs[0], text.body
