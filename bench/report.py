"""Turn measurements into tables, target checks and growth figures (text, markdown, JSON)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from measure import Measurement, Sample

LABELS = {
    "function": "fix-kserve-probes",
    "walk": "C event walk (PyYAML CParser)",
    "naive": "naive round-trip (ruamel)",
    "cat": "cat",
    "kustomize": "kubectl kustomize + JSON patches",
    "imports": "python -c 'import ruamel.yaml, pydantic, jsonpath_ng'",
}
ORDER = tuple(LABELS)

# Issue 4's targets.
TARGET_SIZE = 2000
ALL_AGENTS, FEW_AGENTS = 1.0, 0.05
MIN_RATIO_ALL, MAX_PEAK_MB, MIN_RATIO_FEW = 10.0, 80.0, 30.0


@dataclass
class Case:
    """One input: ``size`` InferenceServices (and as many ConfigMaps), ``agents`` of them with a logger."""

    size: int
    fraction: float
    agents: int
    input_bytes: int
    variant: str = "plain"  # generate.VARIANTS: "anchored" gives each InferenceService anchors of its own
    measurements: dict[str, Measurement] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # failed runs and output mismatches

    @property
    def title(self) -> str:
        variant = "" if self.variant == "plain" else f", {self.variant}"
        return (f"N={self.size:,} InferenceServices + {self.size:,} ConfigMaps, {self.fraction:.0%} with an agent "
                f"({self.agents:,} rewrites){variant}, {self.input_bytes / 1e6:.2f} MB")

    def ratio(self, name: str) -> float | None:
        """``name``'s CPU over the function's."""
        fn, other = self.measurements.get("function"), self.measurements.get(name)
        if fn is None or other is None or fn.failed or other.failed or fn.cpu_s <= 0:
            return None
        return other.cpu_s / fn.cpu_s


@dataclass
class Check:
    name: str
    passed: bool | None  # None: not measured in this run
    detail: str

    @property
    def verdict(self) -> str:
        return "n/a" if self.passed is None else ("PASS" if self.passed else "FAIL")


@dataclass
class Growth:
    """How a contender's CPU grows with N at one agent fraction."""

    contender: str
    fraction: float
    sizes: list[int]
    cpu_s: list[float]
    per_isvc_ms: list[float]  # (CPU(N) - CPU(1)) / N when N=1 was measured, else CPU(N) / N
    slope_ms: float  # least squares CPU = intercept + slope * N, over all measured sizes
    intercept_s: float
    r2: float
    per_isvc_ratio: float | None  # per-ISVC cost at the largest size / at the smallest size above 100
    exponent: float | None  # k in marginal CPU ~ N^k over the sizes above 100; 1 is linear


# --------------------------------------------------------------------------- tables

COLUMNS = ("contender", "input MB", "CPU s", "wall s", "MB/s (CPU)", "peak MB", "runs", "CPU ÷ function")


def rows(case: Case) -> list[list[str]]:
    out = []
    for name in ORDER:
        m = case.measurements.get(name)
        if m is None:
            continue
        ratio = case.ratio(name)
        out.append([
            LABELS[name] + (" (FAILED)" if m.failed else ""),
            f"{m.input_bytes / 1e6:.2f}",
            f"{m.cpu_s:.3f}",
            f"{m.wall_s:.3f}",
            f"{m.mb_per_cpu_s:.2f}" if m.input_bytes and m.cpu_s > 0 else "-",
            f"{m.peak_mb:.1f}",
            str(len(m.samples)),
            "1.00x" if name == "function" else (f"{ratio:.2f}x" if ratio is not None else "-"),
        ])
    return out


def text_table(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = zip(row, widths, strict=True)
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(cells))

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, body)])


def markdown_table(header: Sequence[str], body: Sequence[Sequence[str]], left: int = 1) -> str:
    """A GitHub table; the first ``left`` columns are text (left-aligned), the rest numbers."""
    align = ["---"] * left + ["---:"] * (len(header) - left)
    return "\n".join("| " + " | ".join(map(str, r)) + " |" for r in [header, align, *body])


SIDE_COLUMNS = ("N ISVCs", "agents", "variant", "input MB", "function CPU s", "function peak MB", "function MB/s",
                "walk CPU s", "walk peak MB", "function ÷ walk",
                "naive CPU s", "naive peak MB", "naive ÷ function", "kustomize CPU s", "kustomize peak MB",
                "kustomize ÷ function", "cat CPU s")


def side_by_side(cases: Sequence[Case]) -> list[list[str]]:
    """One row per input: the function's numbers and the others' CPU relative to it."""
    def cpu(case: Case, name: str) -> str:
        m = case.measurements.get(name)
        return "-" if m is None or m.failed else f"{m.cpu_s:.3f}"

    def peak(case: Case, name: str) -> str:
        m = case.measurements.get(name)
        return "-" if m is None or m.failed else f"{m.peak_mb:.1f}"

    def ratio(case: Case, name: str) -> str:
        r = case.ratio(name)
        return "-" if r is None else f"{r:.1f}x"

    out = []
    for c in cases:
        fn = c.measurements.get("function")
        speed = f"{fn.mb_per_cpu_s:.2f}" if fn and not fn.failed and c.size > 1 else "-"
        walk = c.ratio("walk")
        out.append([f"{c.size:,}", f"{c.fraction:.0%}", c.variant, f"{c.input_bytes / 1e6:.2f}", cpu(c, "function"),
                    peak(c, "function"), speed, cpu(c, "walk"), peak(c, "walk"), "-" if not walk else f"{1 / walk:.2f}x",
                    cpu(c, "naive"), peak(c, "naive"), ratio(c, "naive"),
                    cpu(c, "kustomize"), peak(c, "kustomize"), ratio(c, "kustomize"), cpu(c, "cat")])
    return out


def case_text(case: Case) -> str:
    parts = [case.title, text_table(COLUMNS, rows(case))]
    parts += [f"  note: {n}" for n in case.notes]
    parts += [f"  !!! {p}" for p in case.problems]
    return "\n".join(parts)


# --------------------------------------------------------------------------- targets


def find(cases: Sequence[Case], size: int, fraction: float, variant: str = "plain") -> Case | None:
    return next((c for c in cases if c.size == size and math.isclose(c.fraction, fraction) and c.variant == variant),
                None)


def checks(cases: Sequence[Case]) -> list[Check]:
    out = []
    all_agents = find(cases, TARGET_SIZE, ALL_AGENTS)
    ratio = all_agents.ratio("naive") if all_agents else None
    out.append(_ratio_check(f"{TARGET_SIZE} ISVCs, all with an agent: naive CPU / function CPU >= {MIN_RATIO_ALL:g}x",
                            all_agents, ratio, MIN_RATIO_ALL))
    fn = all_agents.measurements.get("function") if all_agents else None
    fn = None if fn is None or fn.failed else fn
    out.append(Check(f"{TARGET_SIZE} ISVCs, all with an agent: function peak <= {MAX_PEAK_MB:g} MB",
                     None if fn is None else fn.peak_mb <= MAX_PEAK_MB,
                     "not measured (or the function failed)" if fn is None else f"{fn.peak_mb:.1f} MB"))
    few = find(cases, TARGET_SIZE, FEW_AGENTS)
    out.append(_ratio_check(f"{TARGET_SIZE} ISVCs, {FEW_AGENTS:.0%} with an agent: naive CPU / function CPU "
                            f">= {MIN_RATIO_FEW:g}x", few, few.ratio("naive") if few else None, MIN_RATIO_FEW))
    one = next((c for c in sorted(cases, key=lambda c: -c.fraction) if c.size == 1 and c.variant == "plain"), None)
    fn1 = one.measurements.get("function") if one else None
    fn1 = None if fn1 is None or fn1.failed else fn1
    base = one.measurements.get("imports") if one else None
    out.append(Check("1 ISVC (with an agent): function CPU <= bare import of ruamel.yaml, pydantic, jsonpath_ng",
                     None if fn1 is None or base is None else fn1.cpu_s <= base.cpu_s,
                     "not measured" if fn1 is None or base is None else
                     f"{fn1.cpu_s * 1000:.1f} ms vs {base.cpu_s * 1000:.1f} ms ({fn1.cpu_s / base.cpu_s:.2f}x)"))
    return out


def _ratio_check(name: str, case: Case | None, ratio: float | None, minimum: float) -> Check:
    if case is None or ratio is None:
        return Check(name, None, "not measured (size, fraction or naive run missing, or a run failed)")
    naive, fn = case.measurements["naive"], case.measurements["function"]
    return Check(name, ratio >= minimum, f"{naive.cpu_s:.2f} s / {fn.cpu_s:.3f} s = {ratio:.1f}x")


# --------------------------------------------------------------------------- growth


def growth(cases: Sequence[Case]) -> list[Growth]:
    out = []
    for fraction in sorted({c.fraction for c in cases}, reverse=True):
        for name in ("function", "walk", "naive", "kustomize", "cat"):
            points = sorted((c.size, c.measurements[name].cpu_s) for c in cases
                            if math.isclose(c.fraction, fraction) and c.variant == "plain" and name in c.measurements
                            and not c.measurements[name].failed)
            if len(points) >= 2:
                out.append(_growth(name, fraction, points))
    return out


def _growth(name: str, fraction: float, points: list[tuple[int, float]]) -> Growth:
    sizes, cpu = [p[0] for p in points], [p[1] for p in points]
    slope, intercept, r2 = least_squares(sizes, cpu)
    base = cpu[0] if sizes[0] == 1 else 0.0
    marginal = [(n, max(c - base, 1e-9)) for n, c in points if n > 1 or base == 0.0]
    per_item = [(c - base) / n * 1000 if n > 1 or base == 0.0 else c * 1000 for n, c in points]
    above = [(n, m) for n, m in marginal if n > 100]
    ratio = exponent = None
    if len(above) >= 2:
        (n0, m0), (n1, m1) = above[0], above[-1]
        ratio = (m1 / n1) / (m0 / n0)
        exponent = least_squares([math.log(n) for n, _ in above], [math.log(m) for _, m in above])[0]
    return Growth(name, fraction, sizes, cpu, per_item, slope * 1000, intercept, r2, ratio, exponent)


def least_squares(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float]:
    """Slope, intercept and R² of the line through the points."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx if sxx else 0.0
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return slope, intercept, 1 - ss_res / ss_tot if ss_tot else 1.0


GROWTH_COLUMNS = ("contender", "agents", "sizes", "ms per ISVC at each size (N=1: whole run; others: minus it)", "slope ms/ISVC", "intercept s", "R²",
                  "per-ISVC largest ÷ smallest>100", "exponent k (CPU ~ N^k)")


def growth_rows(items: Sequence[Growth]) -> list[list[str]]:
    return [[
        LABELS[g.contender], f"{g.fraction:.0%}", ",".join(map(str, g.sizes)),
        " / ".join(f"{v:.3f}" for v in g.per_isvc_ms), f"{g.slope_ms:.3f}", f"{g.intercept_s:.3f}", f"{g.r2:.4f}",
        f"{g.per_isvc_ratio:.2f}" if g.per_isvc_ratio is not None else "-",
        f"{g.exponent:.2f}" if g.exponent is not None else "-",
    ] for g in items]


# --------------------------------------------------------------------------- whole report


def summary_text(cases: Sequence[Case], floor_kb: int) -> str:
    import targets  # it imports this module
    parts = ["== Side by side (CPU s = user+sys, best run; peak = max RSS)",
             text_table(SIDE_COLUMNS, side_by_side(cases)), "", "== Targets (issue 4)"]
    parts += [f"{c.verdict:4}  {c.name}: {c.detail}" for c in checks(cases)]
    parts += ["", "== Targets (issue 11, part 6; ratios within this run)"]
    parts += [f"{c.verdict:4}  {c.name}: {c.detail}" for c in targets.checks(cases)]
    parts += ["", "== Growth with N (function CPU per ISVC should stay flat: linear cost)",
              text_table(GROWTH_COLUMNS, growth_rows(growth(cases))),
              "", f"Peak RSS floor (what /bin/true reports through the launcher): {floor_kb / 1024:.1f} MB"]
    problems = [f"{c.title}: {p}" for c in cases for p in c.problems]
    if problems:
        parts += ["", "== PROBLEMS", *problems]
    return "\n".join(parts)


def markdown(cases: Sequence[Case], floor_kb: int, environment: dict[str, str]) -> str:
    import targets
    header = ["contender", "N ISVCs", "agents", "input MB", *COLUMNS[2:]]
    body = []
    for case in cases:
        for row in rows(case):
            body.append([row[0], f"{case.size:,}", f"{case.fraction:.0%}", row[1], *row[2:]])
    target_rows = [[c.verdict, c.name, c.detail] for c in [*checks(cases), *targets.checks(cases)]]
    env = ", ".join(f"{k}: {v}" for k, v in environment.items())
    return "\n\n".join([
        f"Measured on: {env}. Peak RSS floor (launcher): {floor_kb / 1024:.1f} MB.",
        "Side by side:", markdown_table(SIDE_COLUMNS, side_by_side(cases), left=0),
        "Targets:", markdown_table(["", "target", "measured"], target_rows, left=3),
        "Growth with N:", markdown_table(GROWTH_COLUMNS, growth_rows(growth(cases)), left=3),
        "Every measurement:", markdown_table(header, body),
    ]) + "\n"


def cases_from_json(data: dict[str, Any]) -> list[Case]:
    """The cases of an earlier run's JSON (``as_json``), to print or re-render its report."""
    cases = []
    for c in data["cases"]:
        case = Case(c["size"], c["fraction"], c["agents"], c["input_bytes"], c.get("variant", "plain"),
                    notes=c["notes"], problems=c["problems"])
        for name, r in c["results"].items():
            case.measurements[name] = Measurement(name, r["input_bytes"], [Sample(**s) for s in r["samples"]])
        cases.append(case)
    return cases


def as_json(cases: Sequence[Case], floor_kb: int, environment: dict[str, str], options: dict[str, Any]) -> dict[str, Any]:
    import targets
    return {
        "environment": environment,
        "options": options,
        "rss_floor_kb": floor_kb,
        "cases": [{
            "size": c.size, "fraction": c.fraction, "agents": c.agents, "input_bytes": c.input_bytes,
            "variant": c.variant,
            "notes": c.notes, "problems": c.problems,
            "results": {name: {
                "cpu_s": m.cpu_s, "wall_s": m.wall_s, "peak_mb": m.peak_mb, "input_bytes": m.input_bytes,
                "mb_per_cpu_s": m.mb_per_cpu_s, "cpu_vs_function": c.ratio(name),
                "samples": [asdict(s) for s in m.samples],
            } for name, m in c.measurements.items()},
        } for c in cases],
        "targets": [asdict(c) | {"verdict": c.verdict} for c in checks(cases)],
        "targets_issue_11": [asdict(c) | {"verdict": c.verdict} for c in targets.checks(cases)],
        "growth": [asdict(g) for g in growth(cases)],
    }
