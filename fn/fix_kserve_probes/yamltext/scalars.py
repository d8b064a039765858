"""Plain scalars: what a YAML reader makes of them, the way Kubernetes reads YAML.

kubectl, Argo CD and the API server's clients read manifests with sigs.k8s.io/yaml,
which uses go-yaml v2 (resolve.go, resolveTable and resolve): YAML 1.1 booleans and nulls, integers in base 0 (``0x`` hex,
``0b`` binary, ``0o`` or a leading ``0`` octal, underscores ignored) that fit int64 or
uint64, then floats that fit float64; anything else stays a string (so no huge integer
is ever built).
"""

from __future__ import annotations

import math
from typing import Any

CONSTANTS: dict[str, Any] = {
    **{s: True for s in ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")},
    **{s: False for s in ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")},
    **{s: None for s in ("~", "null", "Null", "NULL", "")},
    **{s: float("inf") for s in (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")},
    **{s: float("-inf") for s in ("-.inf", "-.Inf", "-.INF")},
    **{s: float("nan") for s in (".nan", ".NaN", ".NAN")},
}
NUMBER_START = "0123456789-+."  # a plain scalar that starts otherwise and is no constant is a string
_INT_MIN, _UINT_MAX = -(2**63), 2**64 - 1  # go-yaml v2 reads int64, then uint64, then float64
_BASES = {"0x": 16, "0X": 16, "0b": 2, "0B": 2, "0o": 8, "0O": 8}


def resolve_plain(value: str) -> Any:
    """Resolve a plain scalar the way Kubernetes' YAML reader (go-yaml v2) does."""
    if value in CONSTANTS:
        return CONSTANTS[value]
    if value[0] not in NUMBER_START:
        return value
    plain = value.replace("_", "")
    sign, digits = (plain[0], plain[1:]) if plain[0] in "+-" else ("", plain)
    base = _BASES.get(digits[:2])
    try:
        if base is not None:
            number = int(digits[2:], base)
        elif digits.isdigit() and digits.isascii():
            number = int(digits, 8) if len(digits) > 1 and digits[0] == "0" else int(digits)
        else:
            raise ValueError
        number = -number if sign == "-" else number
        if _INT_MIN <= number <= _UINT_MAX:  # ParseInt(plain, 0, 64), then ParseUint
            return number
    except ValueError:  # also past Python's int max str digits: no int64 has that many
        pass
    if any(c.isdigit() for c in plain) and plain.isascii():
        try:
            real = float(plain)
        except ValueError:
            pass
        else:
            if not math.isinf(real):  # ParseFloat's range error: go-yaml keeps the string
                return real
    return value
