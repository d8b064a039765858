"""Golden cases: tests/golden/<case>/{input.yaml, config.yaml?, expected.yaml, expected.stderr, expected.exit?}.

Each case runs the CLI on input.yaml (stdin) with --config config.yaml when present, and
compares stdout byte for byte, stderr line for line and the exit code. Then it runs the
function on its own output and checks that nothing more changes.

To regenerate after an intended change: FIX_KSERVE_PROBES_UPDATE_GOLDEN=1. Each case whose
files that rewrites then fails, once, naming them: review every diff under tests/golden
(git diff tests/golden) before committing it, and run again without the switch.
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


def update_case(case: Path, code: int, out: bytes, err: str) -> list[str]:
    """Write what the run gave as the case's expectation; the names of the files that changed."""
    wanted: dict[str, bytes | None] = {"expected.yaml": out, "expected.stderr": err.encode("utf-8"),
                                       "expected.exit": f"{code}\n".encode() if code else None}
    changed = []
    for name, content in wanted.items():
        path = case / name
        current = path.read_bytes() if path.is_file() else None
        if current == content:
            continue
        changed.append(name)
        if content is None:
            path.unlink()
        else:
            path.write_bytes(content)
    return changed


def test_the_update_switch_rewrites_only_what_changed_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "expected.yaml").write_bytes(b"a: 1\n")
    (tmp_path / "expected.stderr").write_text("")
    (tmp_path / "expected.exit").write_text("1\n")
    assert update_case(tmp_path, 0, b"a: 1\n", "") == ["expected.exit"]
    assert not (tmp_path / "expected.exit").exists()
    assert update_case(tmp_path, 0, b"a: 1\n", "") == []  # a second run passes
    assert update_case(tmp_path, 1, b"a: 2\n", "w\n") == ["expected.yaml", "expected.stderr", "expected.exit"]
    assert (tmp_path / "expected.yaml").read_bytes() == b"a: 2\n"


def items(text: bytes) -> object:
    doc = YAML(typ="safe").load(text.decode("utf-8-sig"))
    return doc.get("items") if isinstance(doc, dict) and doc.get("kind") == "ResourceList" else doc


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    case = GOLDEN / name
    code, out, err = run_case(case, (case / "input.yaml").read_bytes())
    if UPDATE:
        rewritten = update_case(case, code, out, err)
        if rewritten:
            pytest.fail(f"rewrote {', '.join(rewritten)} in {case}: review the diff, then run without "
                        "FIX_KSERVE_PROBES_UPDATE_GOLDEN")
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
