"""Golden cases: tests/golden/<case>/{input.yaml, config.yaml?, expected.yaml, expected.stderr, expected.exit?}.

Each case runs the CLI on input.yaml (stdin) with --config config.yaml when present, and
compares stdout byte for byte, stderr line for line and the exit code. Then it runs the
function on its own output and checks that nothing more changes.

To regenerate after an intended change: FIX_KSERVE_PROBES_UPDATE_GOLDEN=1, then review
every diff under tests/golden before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from clihelp import cli
from ruamel.yaml import YAML

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.yaml").is_file())
UPDATE = bool(os.environ.get("FIX_KSERVE_PROBES_UPDATE_GOLDEN"))


def run_case(case: Path, data: bytes) -> tuple[int, bytes, str]:
    args = ["--config", str(case / "config.yaml")] if (case / "config.yaml").is_file() else []
    r = cli(*args, stdin=data)
    return r.code, r.out.encode("utf-8"), r.err


def items(text: bytes) -> object:
    doc = YAML(typ="safe").load(text.decode("utf-8-sig"))
    return doc.get("items") if isinstance(doc, dict) and doc.get("kind") == "ResourceList" else doc


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    case = GOLDEN / name
    code, out, err = run_case(case, (case / "input.yaml").read_bytes())
    if UPDATE:
        (case / "expected.yaml").write_bytes(out)
        (case / "expected.stderr").write_text(err)
        exit_file = case / "expected.exit"
        exit_file.write_text(f"{code}\n") if code else exit_file.unlink(missing_ok=True)
    expected_code = int((case / "expected.exit").read_text()) if (case / "expected.exit").is_file() else 0
    assert code == expected_code, err
    assert out == (case / "expected.yaml").read_bytes()
    assert err.splitlines() == (case / "expected.stderr").read_text().splitlines()
    assert "Traceback" not in err


@pytest.mark.parametrize("name", CASES)
def test_golden_output_is_a_fixed_point(name: str) -> None:
    case = GOLDEN / name
    expected = (case / "expected.yaml").read_bytes()
    _, again, _ = run_case(case, expected)
    if b"kind: ResourceList" in expected or b'"ResourceList"' in expected:
        assert items(again) == items(expected)
    else:
        assert again == expected
