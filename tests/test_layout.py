"""The tree reads as the design: layers enforced by import-linter, small modules and
functions, no import cycles, and docstrings that say what each package is for."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "fn" / "fix_kserve_probes"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
# Package markers and the entry shim are allowed to be short; everything else holds one job.
SHORT_ALLOWED = {"__init__.py", "__main__.py"}
MAX_MODULE_LINES, MIN_MODULE_LINES, MAX_FUNCTION_LINES = 300, 20, 60


def test_import_linter_contracts_are_kept() -> None:
    """The layers in pyproject.toml: cli -> engine -> krm -> errors -> kserve | yamltext, and IO only in cli."""
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 kept, 0 broken" in proc.stdout


def test_the_layers_contract_names_every_subpackage() -> None:
    """A new top-level package or module must be placed in a layer, or the contract stops covering it."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"][0]
    named = {part.strip().split(".")[1] for layer in config["layers"] for part in layer.split("|")}
    top = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
           if (p.suffix == ".py" or (p / "__init__.py").exists()) and p.name not in {"__init__.py", "__main__.py"}}
    assert top == named


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_hold_one_job(module: Path) -> None:
    lines = len(module.read_text().splitlines())
    assert lines <= MAX_MODULE_LINES
    if module.name not in SHORT_ALLOWED:
        assert lines >= MIN_MODULE_LINES


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_functions_are_short(module: Path) -> None:
    tree = ast.parse(module.read_text())
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []


def test_no_import_cycles() -> None:
    """Counting imports inside functions too: a lazy import is still a dependency."""
    graph = grimp.build_graph("fix_kserve_probes", cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.find_shortest_chain(importer=imported, imported=module):
                cycles.append(f"{module} <-> {imported}")
    assert cycles == []


@pytest.mark.parametrize("package", ["cli", "krm", "kserve", "yamltext"])
def test_each_subpackage_says_what_it_is_for(package: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text()))
    assert doc and len(doc) > 60
