"""Rule ids: one registry (krm/rules.py), documented in docs/results.md, and every
finding and result the package makes carries one of them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from fix_kserve_probes.krm import results
from fix_kserve_probes.krm.rules import RULES, UNCLASSIFIED, describe

REPO = Path(__file__).resolve().parent.parent.parent
PACKAGE = REPO / "fn" / "fix_kserve_probes"
KEBAB = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# Made in engine.py: read-only context (a Finding), unreadable input (a Result; the CLI's
# results file makes one too) and kpt's summary result.
ENGINE_RULES = {"read-only-context", "input-invalid", "run-summary"}


def calls(path: Path, name: str) -> list[ast.Call]:
    tree = ast.parse(path.read_text())
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and (getattr(node.func, "id", None) == name or getattr(node.func, "attr", None) == name)]


def rule_of(call: ast.Call, position: int) -> ast.expr | None:
    """The rule argument of a call: the ``rule=`` keyword, or the argument at ``position``."""
    keyword = next((k.value for k in call.keywords if k.arg == "rule"), None)
    return keyword if keyword is not None else (call.args[position] if len(call.args) > position else None)


# Finding(severity, message, item, path, rule); Problem(severity, message, rule);
# Result(message, severity, resource_ref, field, file, rule, source, offset).
POSITIONS = {"Finding": 4, "Problem": 2, "Result": 5}


def missing_and_used(modules: list[Path]) -> tuple[list[str], set[str]]:
    missing, used = [], set()
    for module in modules:
        for name, position in POSITIONS.items():
            for call in calls(module, name):
                rule = rule_of(call, position)
                if rule is None:
                    missing.append(f"{module.relative_to(PACKAGE)}:{call.lineno} {name}")
                elif isinstance(rule, ast.Constant):
                    used.add(rule.value)
    return missing, used


LAYERS = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE or p.name != "engine.py")


def test_every_finding_problem_and_result_in_the_layers_has_a_rule() -> None:
    missing, _ = missing_and_used(LAYERS)
    assert missing == []


def test_every_finding_and_result_in_the_engine_has_a_rule() -> None:
    missing, used = missing_and_used([PACKAGE / "engine.py"])
    assert missing == [] and used == ENGINE_RULES


def test_every_rule_made_is_registered_and_every_registered_one_is_made() -> None:
    _, used = missing_and_used(LAYERS)
    used |= {results.EDIT_RULE, results.VALIDATE_RULE, results.CONFIG_RULE}
    assert used - set(RULES) == set()
    assert set(RULES) - used == (ENGINE_RULES | {UNCLASSIFIED}) - used


def test_rule_ids_are_kebab_case_and_described_in_one_line() -> None:
    for rule, description in RULES.items():
        assert KEBAB.match(rule), rule
        assert description and "\n" not in description and len(description) <= 120, rule
    assert describe("no-such-rule") == RULES[UNCLASSIFIED]


def test_every_rule_is_documented_in_docs_results_md() -> None:
    text = (REPO / "docs" / "results.md").read_text()
    section = text.split("\n## Result rules\n", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^- `([^`]+)` \(", section, re.MULTILINE)
    assert sorted(documented) == sorted(RULES)
    assert len(documented) == len(set(documented))
