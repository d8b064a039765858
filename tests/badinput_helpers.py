"""Helpers for the hostile-input tests: run the CLI in-process or as a measured child,
check the one-line error contract, and count what ran for the end-of-run summary.

The contract every bad input must meet (issue 5): exit 0 with correct output, or exit 1
with exactly one ``fix-kserve-probes: error: ...`` line on stderr naming the problem,
no traceback, and on stdout either nothing or (where a ResourceList could be read) the
whole ResourceList carrying an error result.
"""

from __future__ import annotations

import collections
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from fix_kserve_probes import cli
from fix_kserve_probes.cli import entry as cli_main

REPO = Path(__file__).resolve().parent.parent
# cli.main raises the recursion limit on its first run; raising it now, before any test,
# keeps hypothesis from warning that a test changed it.
sys.setrecursionlimit(max(sys.getrecursionlimit(), cli_main.RECURSION_LIMIT))
PROG = "fix-kserve-probes"
ERROR_LINE = re.compile(rf"{PROG}: error: (?P<message>.+)\Z")
POSITION = re.compile(r"\(line \d+(, column \d+)?\)")
NOT_WRITTEN = f"{PROG}: no file was written because of the errors above"
# Variables that change what the command prints; no test may inherit them by accident.
SCRUB = ("LOG_TO_STDERR", "FIX_KSERVE_PROBES_DEBUG", "FIX_KSERVE_PROBES_MAX_INPUT_BYTES")

# What ran, for the summary at the end of the session (see conftest.py).
COUNTS: collections.Counter[str] = collections.Counter()
BAD_INPUTS: set[str] = set()  # case ids that ran
BAD_RUNS: set[tuple[str, str, str]] = set()  # (case, mode, in-process or child)
FUZZ: collections.Counter[str] = collections.Counter()  # examples per fuzz target
FUZZ_BUDGET: dict[str, int] = {}  # max_examples per target, as test_fuzz.py set them


def command() -> str:
    """The installed console script, next to the interpreter running the tests."""
    found = Path(sys.executable).parent / PROG
    return str(found) if found.exists() else (shutil.which(PROG) or PROG)


@dataclass
class Run:
    code: int
    out: bytes
    err: str
    cpu: float = 0.0  # seconds of user + system time (children only)
    wall: float = 0.0
    max_rss_mb: float = 0.0  # peak resident memory (children only)

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


@contextmanager
def environment(env: Mapping[str, str] | None) -> Iterator[None]:
    with mock.patch.dict(os.environ):
        for key in SCRUB:
            os.environ.pop(key, None)
        os.environ.update(env or {})
        yield


def run_inproc(argv: list[str], stdin: bytes = b"", env: Mapping[str, str] | None = None) -> Run:
    out, err = io.BytesIO(), io.StringIO()
    start = time.perf_counter()
    with environment(env):
        code = cli.main(argv, stdin=io.BytesIO(stdin), stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue(), wall=time.perf_counter() - start)


def child_env(env: Mapping[str, str] | None = None, *, home: bool = True) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in SCRUB}
    if not home:
        out.pop("HOME", None)
    out.update(env or {})
    return out


# Forks and execs the command, then reports its exit code and resource usage. Linux
# charges a child's ru_maxrss with the address space it replaced at exec, so the command
# must be forked from this small process (python -S -I, only os and sys), not from pytest,
# which may hold a 50 MB input.
_MEASURE = """\
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
"""


def run_child(argv: list[str], stdin: bytes | Path = b"", env: Mapping[str, str] | None = None, *,
              prefix: list[str] | None = None, timeout: float = 120, cwd: str | Path | None = None,
              full_env: Mapping[str, str] | None = None) -> Run:
    """Run the installed command (after ``prefix``, e.g. setpriv) and measure exactly it.

    stdin/stdout/stderr are files, not pipes, so the command can never block on us. A
    run that outlives ``timeout`` is killed with its process group and fails as a hang.
    """
    with tempfile.TemporaryDirectory(prefix="fkp-child-") as tmp:
        if isinstance(stdin, Path):
            stdin_path = stdin
        else:
            stdin_path = Path(tmp) / "stdin"
            stdin_path.write_bytes(stdin)
        out_path, err_path, report = Path(tmp) / "stdout", Path(tmp) / "stderr", Path(tmp) / "report"
        os.chmod(tmp, 0o755)  # a prefix may drop privileges: let it reach stdin and write stdout
        for path in (out_path, err_path):
            path.touch(0o666)
            os.chmod(path, 0o666)
        program = [*(prefix or []), command(), *argv]
        program[0] = shutil.which(program[0]) or program[0]
        with stdin_path.open("rb") as fin, out_path.open("wb") as fout, err_path.open("wb") as ferr:
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-S", "-I", "-c", _MEASURE, str(report), *program],
                                    stdin=fin, stdout=fout, stderr=ferr, cwd=cwd, start_new_session=True,
                                    env=dict(full_env) if full_env is not None else child_env(env))
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
                raise AssertionError(f"{argv}: still running after {timeout} s: killed (a hang)") from None
            wall = time.perf_counter() - start
        code, cpu, rss_kb = report.read_text().split()
        return Run(int(code), out_path.read_bytes(), err_path.read_text("utf-8", "replace"),
                   cpu=float(cpu), wall=wall, max_rss_mb=int(rss_kb) / 1024)


# --------------------------------------------------------------------------- the contract


def assert_clean_error(run: Run, message: str, *, position: bool = False, in_place: bool = False) -> str:
    """Exit 1 and one error line matching ``message`` (a regex); returns that line's message."""
    assert "Traceback" not in run.err, run.err
    assert "internal error" not in run.err, run.err
    assert run.code == 1, (run.code, run.err)
    lines = run.lines
    if in_place and lines[-1:] == [NOT_WRITTEN]:  # files mode sums up after the per-file errors
        lines = lines[:-1]
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    m = ERROR_LINE.match(lines[0])
    assert m, lines[0]
    assert re.search(message, m["message"]), (message, m["message"])
    if position:
        assert POSITION.search(m["message"]), f"no position in {m['message']!r}"
    assert len(lines[0]) < 1100, "the error line is not bounded"
    return m["message"]


def assert_clean_success(run: Run) -> None:
    assert "Traceback" not in run.err, run.err
    assert run.code == 0, (run.code, run.err)
    assert not [line for line in run.lines if ": error" in line or "[error]" in line], run.err


def load_all(data: bytes) -> list[Any]:
    """What a YAML (or JSON) reader makes of ``data``: ruamel's safe loader, except that an
    unknown tag (``!custom``) gives the plain value instead of an error. Anchored nodes are
    built once (an alias bomb loads in no time; never compare one with ``==``)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _tolerant_constructor()
    text = data.decode("utf-8").removeprefix("\ufeff")
    return list(yaml.load_all(text))


def _tolerant_constructor() -> type:
    from ruamel.yaml.constructor import SafeConstructor
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    class Tolerant(SafeConstructor):  # a subclass: add_constructor changes the class it is called on
        def construct_undefined(self, node: Any) -> Any:
            if isinstance(node, MappingNode):
                return self.construct_mapping(node)
            if isinstance(node, SequenceNode):
                return self.construct_sequence(node)
            return self.construct_scalar(node)

    Tolerant.add_constructor(None, Tolerant.construct_undefined)
    return Tolerant


def assert_resource_list_with_error(out: bytes, message: str) -> dict[str, Any]:
    """stdout is one whole ResourceList whose results hold an error matching ``message``."""
    docs = [d for d in load_all(out) if d is not None]
    assert docs and isinstance(docs[0], dict) and docs[0].get("kind") == "ResourceList", out[:500]
    root = docs[0]
    assert isinstance(root.get("items"), list) or "items" in root, root.keys()
    errors = [r for r in root.get("results") or [] if r.get("severity") == "error"]
    assert errors, root.get("results")
    assert any(re.search(message, f"{(r.get('field') or {}).get('path', '')}: {r.get('message', '')}")
               for r in errors), (message, errors)
    return root


# --------------------------------------------------------------------------- figures


def summary() -> list[str]:
    """The figures issue 5 asks the suite to report, counted as the tests ran."""
    lines = []
    if BAD_RUNS:
        forms = {mode for _, mode, _ in BAD_RUNS}
        inproc = sum(1 for *_, how in BAD_RUNS if how == "in-process")
        child = sum(1 for *_, how in BAD_RUNS if how == "child")
        lines.append(f"bad inputs: {len(BAD_INPUTS)} cases in {len(forms)} forms ({', '.join(sorted(forms))}): "
                     f"{inproc} runs in-process, {child} as a measured child process")
    if FUZZ:
        per = ", ".join(f"{name} {n}" for name, n in sorted(FUZZ.items()))
        budget = sum(n for name, n in FUZZ_BUDGET.items() if name in FUZZ)
        lines.append(f"fuzz: {sum(FUZZ.values())} examples ran ({per}) for a budget of {budget} "
                     "(FIX_KSERVE_PROBES_FUZZ_EXAMPLES; shrinking runs more, rejected examples fewer)")
    lines.extend(f"{key}: {n}" for key, n in sorted(COUNTS.items()))
    return lines
