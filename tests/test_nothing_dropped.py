"""Nothing the input had is dropped, and no input is an internal error (issue 11, D)."""

from __future__ import annotations

import pytest
from badinput_cases import ISVC, resource_list
from badinput_helpers import run_inproc

from fix_kserve_probes.yamltext.scalars import resolve_plain
from fix_kserve_probes.yamltext.scanner import scan


def _root(out: bytes) -> dict:  # type: ignore[type-arg]
    root = scan(out.decode()).docs[0].root
    assert isinstance(root, dict)
    return root


def test_prior_results_that_are_a_mapping_are_kept() -> None:
    """Regression: ``results: {...}`` was replaced by the new list, and so dropped."""
    data = resource_list(ISVC).replace("items:", "results: {message: from an earlier function, severity: info}\nitems:")
    run = run_inproc([], data.encode())
    assert run.code == 0, run.err
    results = _root(run.out)["results"]
    assert isinstance(results, list) and len(results) > 1
    assert results[0] == {"message": "from an earlier function", "severity": "info"}


def test_an_empty_function_config_means_the_defaults() -> None:
    """Regression: ``functionConfig: {}`` was refused as an unsupported kind."""
    plain = run_inproc([], resource_list(ISVC).encode())
    empty = run_inproc([], resource_list(ISVC).replace("items:", "functionConfig: {}\nitems:").encode())
    assert empty.code == plain.code == 0, empty.err
    assert _root(empty.out)["items"] == _root(plain.out)["items"]


@pytest.mark.parametrize("literal", ["0x" + "f" * 5000, "1" * 5000, "0b" + "1" * 70000, "-0o" + "7" * 3000])
def test_a_huge_integer_in_a_probe_timing_is_no_internal_error(literal: str) -> None:
    """Regression: a hex literal past Python's 4,300-digit int-to-str limit became a
    ValueError while results were written: exit 1, "internal error", empty stdout."""
    text = ISVC.replace("initialDelaySeconds: 10", f"initialDelaySeconds: {literal}")
    for data in (text, resource_list(text)):
        run = run_inproc([], data.encode())
        assert "internal error" not in run.err and run.out, run.err
        assert run.code in (0, 1), run.err


@pytest.mark.parametrize(("plain", "value"), [
    ("9223372036854775807", 2**63 - 1), ("-9223372036854775808", -(2**63)),
    ("18446744073709551615", 2**64 - 1),  # go-yaml v2 reads what fits uint64 as an unsigned integer
    ("18446744073709551616", 18446744073709551616.0),  # past it, strconv.ParseFloat reads a float
    ("0x" + "f" * 17, "0x" + "f" * 17),  # a hex literal past uint64: a string (not a float form)
    ("1" * 400, "1" * 400),  # a float that overflows: ParseFloat's range error, so a string
    ("1e999", "1e999"),
])
def test_integers_past_64_bits_resolve_as_kubernetes_reads_them(plain: str, value: object) -> None:
    """go-yaml v2 resolve.go: ParseInt(plain, 0, 64), then ParseUint, then ParseFloat for
    a float-looking literal; whatever fails all three stays a string."""
    got = resolve_plain(plain)
    assert got == value and type(got) is type(value)
