"""Benchmark fix-kserve-probes against the naive round-trip function, cat and kustomize (issue 4).

Run from the repository root, with the project's virtual environment:

    .venv/bin/python bench/run.py                  # the full run (about 45 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick          # sizes 1,100,1000: a minute or two
    .venv/bin/python bench/run.py --sizes 1,2000 --fractions 1,0.05 --out bench/out/results
    .venv/bin/python bench/run.py --targets        # issue 11's targets only: a few minutes

For every size N and agent fraction it generates a kpt-style ResourceList of N
InferenceServices and N ConfigMaps (``generate.py``), runs each contender as its own
process on it (``measure.py``) and prints CPU seconds (user+sys), wall seconds, MB/s of
input per CPU second and peak RSS, with each contender's CPU relative to the function's.
Then it checks issue 4's targets and how cost grows with N. The outputs are compared
(``compare.py``): a mismatch is printed and makes the exit code 1.

Contenders: the function (``.venv/bin/fix-kserve-probes``, ResourceList on stdin); the
C event walk (``event_walk.py``: PyYAML's libyaml parser pulling every event, the floor
under any reader); the naive round-trip function (``naive_fn.py``, same python); ``cat``; ``kubectl kustomize``
on an equivalent kustomization with one JSON6902 patch per agent-bearing InferenceService
(when kubectl is on PATH); and, at N=1, a bare ``python -c "import ruamel.yaml, pydantic,
jsonpath_ng"``. ``--out PREFIX`` writes PREFIX.json and PREFIX.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import compare
import generate
import report
import targets
from measure import Contender, Launcher, Measurement, measure, scratch_dir
from report import Case

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
FULL_SIZES = (1, 100, 1000, 2000, 5000, 20000)
QUICK_SIZES = (1, 100, 1000)
FRACTIONS = (1.0, 0.05)
FUNCTION_INPUT_CAP = 32 * 1024 * 1024  # the function refuses larger input unless --max-input-bytes says otherwise


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--quick", action="store_true",
                   help=f"sizes {','.join(map(str, QUICK_SIZES))}, fewer runs, naive and kustomize only up to 1000/100")
    p.add_argument("--sizes", type=_ints, help=f"InferenceService counts (default {','.join(map(str, FULL_SIZES))})")
    p.add_argument("--fractions", type=_floats, default=FRACTIONS,
                   help="fractions of InferenceServices with an agent (default 1,0.05)")
    p.add_argument("--variants", type=_names, default=("plain",),
                   help=f"input variants, of {','.join(generate.VARIANTS)} (default plain); anchored: every "
                   "InferenceService has anchors and aliases of its own")
    p.add_argument("--targets", action="store_true",
                   help="issue 11's targets only: " + ", ".join(f"N={n:,} {f:.0%} {v}" for n, f, v in targets.CASES)
                   + "; the naive function only at N=2,000 all rewritten, no kustomize")
    p.add_argument("--repeat", type=int, help="runs per measurement, best kept (default 3; --quick 2); "
                   "runs under 0.5 s CPU get 3x as many, slow ones fewer (see --budget)")
    p.add_argument("--budget", type=float,
                   help="CPU seconds one measurement may spend on repeats (at least one run; default 60; --quick 10)")
    p.add_argument("--no-naive-above", type=int, metavar="N",
                   help="skip the naive function above N InferenceServices (default: never; --quick 1000)")
    p.add_argument("--no-kustomize-above", type=int, metavar="N", help="skip kustomize above N InferenceServices "
                   "(default 2000: its cost grows with patches x resources; --quick 100)")
    p.add_argument("--no-kustomize", action="store_true", help="never run kubectl kustomize")
    p.add_argument("--seed", type=int, default=generate.SEED, help="input generator seed")
    p.add_argument("--out", metavar="PREFIX", help="write PREFIX.json and PREFIX.md (a README table)")
    p.add_argument("--keep", action="store_true", help="keep the generated inputs and outputs (path printed)")
    p.add_argument("--from-json", metavar="FILE", help="measure nothing: print (and with --out, write) the report "
                   "of an earlier run's JSON")
    p.add_argument("--live", action="store_true", help="run .venv/bin/fix-kserve-probes on the working tree as it is "
                   "at each run, instead of a copy taken at the start (edits during a run then mix versions)")
    args = p.parse_args(argv)
    unknown = set(args.variants) - set(generate.VARIANTS)
    if unknown:
        p.error(f"unknown variant {', '.join(sorted(unknown))}: choose from {', '.join(generate.VARIANTS)}")
    args.sizes = args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)
    args.cases = [(n, f, v) for n in args.sizes for f in args.fractions for v in args.variants]
    args.naive_cases = None  # None: every case (up to --no-naive-above)
    if args.targets:
        args.cases, args.naive_cases, args.no_kustomize = list(targets.CASES), set(targets.NAIVE_CASES), True
    args.repeat = args.repeat or (2 if args.quick else 3)
    args.budget = args.budget if args.budget is not None else (10.0 if args.quick else 60.0)
    if args.no_naive_above is None:
        args.no_naive_above = 1000 if args.quick else max(args.sizes)
    if args.no_kustomize_above is None:
        args.no_kustomize_above = 100 if args.quick else 2000
    return args


def _ints(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(x) for x in text.split(",") if x.strip()}))


def _names(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x.strip() for x in text.split(",") if x.strip()))


def _floats(text: str) -> tuple[float, ...]:
    return tuple(sorted({float(x) for x in text.split(",") if x.strip()}, reverse=True))


# --------------------------------------------------------------------------- contenders


def python() -> str:
    return str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable


SCRIPT = ROOT / ".venv" / "bin" / "fix-kserve-probes"


def function_command() -> list[str]:
    return [str(SCRIPT)] if SCRIPT.exists() else [python(), "-m", "fix_kserve_probes"]


def package_dir() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("fix_kserve_probes")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


def snapshot(parent: Path) -> list[str]:
    """The function as it is now: a copy of its package, run through a copy of its console script.

    A full run takes many minutes; edits to fn/ meanwhile must not mix versions in one run.
    The script's directory comes first on ``sys.path``, so the copy is what gets imported.
    """
    package = package_dir()
    if package is None or not SCRIPT.exists():
        return function_command()
    target = parent / "function"
    shutil.copytree(package, target / package.name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(SCRIPT, target / SCRIPT.name)
    byte_compile(target / package.name)
    return [python(), str(target / SCRIPT.name)]


def contenders(case: Case, input_path: Path, workdir: Path, args: argparse.Namespace) -> list[Contender]:
    size, stdin = case.input_bytes, str(input_path)
    raise_cap = (f"--max-input-bytes={2 * size}",) if size > FUNCTION_INPUT_CAP else ()
    if raise_cap:
        case.notes.append(f"the function ran with {raise_cap[0]}: the input is over its default cap")
    out = [Contender("function", (*args.function, *raise_cap), size, stdin),
           Contender("walk", (python(), str(BENCH / "event_walk.py")), size, stdin)]
    if args.naive_cases is not None and (case.size, case.fraction, case.variant) not in args.naive_cases:
        pass  # --targets: the naive function only where a target needs it
    elif case.size <= args.no_naive_above:
        out.append(Contender("naive", (python(), str(BENCH / "naive_fn.py")), size, stdin))
    else:
        case.notes.append(f"naive function skipped above {args.no_naive_above:,} (--no-naive-above)")
    out.append(Contender("cat", (shutil.which("cat") or "/bin/cat",), size, stdin))
    kubectl = shutil.which("kubectl")
    if kubectl and not args.no_kustomize and case.size <= args.no_kustomize_above and case.variant == "plain":
        directory = workdir / "kustomization"
        written = generate.write_kustomization(directory, case.size, case.fraction, args.seed)
        out.append(Contender("kustomize", (kubectl, "kustomize", str(directory)), written))
    elif kubectl and not args.no_kustomize:
        case.notes.append(f"kustomize skipped above {args.no_kustomize_above:,} (--no-kustomize-above)")
    elif not kubectl:
        case.notes.append("kubectl is not on PATH: no kustomize comparison")
    if case.size == 1:
        out.append(Contender("imports", (python(), "-c", "import ruamel.yaml, pydantic, jsonpath_ng"), 0, stdin))
    return out


# --------------------------------------------------------------------------- one case


def run_case(launcher: Launcher, size: int, fraction: float, variant: str, args: argparse.Namespace,
             parent: Path) -> Case:
    workdir = parent / f"n{size}-f{fraction:g}-{variant}"
    workdir.mkdir()
    text = generate.resource_list(size, fraction, args.seed, variant)
    input_path = workdir / "input.yaml"
    input_path.write_text(text)
    case = Case(size, fraction, generate.agent_count(size, fraction), len(text.encode()), variant)
    del text
    case.measurements = measure(launcher, contenders(case, input_path, workdir, args), workdir, args.repeat,
                                args.budget)
    for name, m in case.measurements.items():
        if m.failed:
            case.problems.append(f"{report.LABELS[name]} exited with "
                                 f"{sorted({s.exit_code for s in m.samples})}: {m.stderr.strip()[:500]}")
    verify(case)
    return case


def verify(case: Case) -> None:
    """Compare the outputs of the first runs; record what was checked and any mismatch."""
    fn = case.measurements["function"]
    if fn.failed or fn.output is None:
        return
    try:
        items = compare.resource_list_items(fn.output)
    except Exception as error:  # noqa: BLE001 - reported, not raised: the other numbers stay useful
        case.problems.append(f"function output is not a readable ResourceList: {error}")
        return
    done = compare.rewritten(items)
    if done != case.agents:
        case.problems.append(f"MISMATCH: the function rewrote {done} probes, expected {case.agents}")
    _same(case, "naive", items, compare.resource_list_items)
    _same(case, "kustomize", compare.by_id(compare.without_kpt_annotations(items)),
          lambda path: compare.by_id(compare.stream_items(path)))


def _same(case: Case, name: str, expected: list[Any], load: Callable[[Path], list[Any]]) -> None:
    other: Measurement | None = case.measurements.get(name)
    if other is None or other.failed or other.output is None:
        return
    difference = compare.first_difference(expected, load(other.output))
    if difference is None:
        case.notes.append(f"{report.LABELS[name]} output: items equal to the function's")
    else:
        case.problems.append(f"MISMATCH between the function and {report.LABELS[name]}: {difference}")


# --------------------------------------------------------------------------- main


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine inflates every number."""
    path = Path("/proc/loadavg")
    return " ".join(path.read_text().split()[:3]) if path.exists() else "?"


def environment() -> dict[str, str]:
    env = {"cpus": str(os.cpu_count()), "python": platform.python_version(), "platform": platform.platform()}
    try:
        from importlib.metadata import version

        env["ruamel.yaml"] = version("ruamel.yaml")
        env["fix-kserve-probes"] = version("fix-kserve-probes")
    except Exception:  # noqa: BLE001 - informative only
        pass
    git = shutil.which("git")
    if git and (ROOT / ".git").exists():
        head = subprocess.run([git, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=False).stdout.strip()
        dirty = subprocess.run([git, "status", "--porcelain", "--", "fn"], cwd=ROOT, capture_output=True, text=True,
                               check=False).stdout.strip()
        env["commit"] = head + (" with uncommitted changes under fn/" if dirty else "")
    kubectl = shutil.which("kubectl")
    if kubectl:
        done = subprocess.run([kubectl, "version", "--client"], capture_output=True, text=True, check=False)
        env["kubectl"] = " ".join(done.stdout.split("\n")[:2]).replace("Client Version: ", "").strip()
    return env


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        return rerender(args)
    with Launcher(python()) as launcher:  # first: before this process holds any input
        env = environment()
        env["function"] = "the working tree, live" if args.live else "a copy of the working tree taken at the start"
        env["load average at the start"] = load_average()
        print(f"load average at the start: {env['load average at the start']}", file=sys.stderr)
        floor = launcher.floor_kb()
        parent = scratch_dir()
        try:
            args.function = function_command() if args.live else snapshot(parent)
            byte_compile(BENCH, package_dir() if args.live else None)
            warm_up(launcher, args.function)
            cases = run_all(launcher, args, parent)
        finally:
            if args.keep:
                print(f"inputs and outputs kept in {parent}", file=sys.stderr)
            else:
                shutil.rmtree(parent, ignore_errors=True)
    env["load average at the end"] = load_average()
    print(report.summary_text(cases, floor))
    if args.out:
        write_out(Path(args.out), cases, floor, env, args)
    return 1 if any(c.problems for c in cases) else 0


def rerender(args: argparse.Namespace) -> int:
    data = json.loads(Path(args.from_json).read_text())
    cases = report.cases_from_json(data)
    for case in cases:
        print(report.case_text(case) + "\n")
    print(report.summary_text(cases, data["rss_floor_kb"]))
    if args.out:
        prefix = Path(args.out)
        prefix.parent.mkdir(parents=True, exist_ok=True)
        prefix.with_suffix(".json").write_text(json.dumps(data, indent=2) + "\n")
        prefix.with_suffix(".md").write_text(report.markdown(cases, data["rss_floor_kb"], data["environment"]))
    return 1 if any(c.problems for c in cases) else 0


def run_all(launcher: Launcher, args: argparse.Namespace, parent: Path) -> list[Case]:
    cases = []
    for size, fraction, variant in args.cases:
        print(f"N={size:,}, {fraction:.0%} with an agent, {variant}", file=sys.stderr, flush=True)
        case = run_case(launcher, size, fraction, variant, args, parent)
        print(report.case_text(case) + "\n", flush=True)
        cases.append(case)
    return cases


def byte_compile(*paths: Path | None) -> None:
    """As the image does: with PYTHONDONTWRITEBYTECODE set (as here and in the image), a stale
    or missing .pyc would make every timed run recompile the package."""
    found = [str(p) for p in paths if p is not None]
    subprocess.run([python(), "-m", "compileall", "-q", *found], check=False, stdout=subprocess.DEVNULL)


def warm_up(launcher: Launcher, function: list[str]) -> None:
    """Run each Python contender once, untimed: no timed run pays for a cold file cache."""
    directory = scratch_dir()
    try:
        path = directory / "warm.yaml"
        path.write_text(generate.resource_list(1, 1.0))
        for argv in (function, [python(), str(BENCH / "naive_fn.py")], [python(), str(BENCH / "event_walk.py")],
                     [python(), "-c", "import ruamel.yaml, pydantic, jsonpath_ng"]):
            launcher.run(argv, str(path))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def write_out(prefix: Path, cases: list[Case], floor: int, env: dict[str, str], args: argparse.Namespace) -> None:
    prefix.parent.mkdir(parents=True, exist_ok=True)
    options = {k: v for k, v in vars(args).items() if k not in ("out", "function")}
    data = report.as_json(cases, floor, env, options)
    prefix.with_suffix(".json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    prefix.with_suffix(".md").write_text(report.markdown(cases, floor, env))
    print(f"wrote {prefix.with_suffix('.json')} and {prefix.with_suffix('.md')}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
