"""Issue 11's performance targets (part 6), checked on one run's cases.

Every speed target is a ratio of two CPU times measured in the same run (the machine's
load changes between runs, the ratios much less). The cases they need are what
``run.py --targets`` measures (``CASES``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from report import Case, Check, find

SIZE, LARGE = 2000, 20000
ALL, FEW = 1.0, 0.05
MAX_VS_WALK_ALL, MAX_VS_WALK_FEW = 2.0, 1.3
MIN_VS_NAIVE = 25.0
MAX_PEAK_MB, MAX_PEAK_LARGE_MB = 60.0, 150.0
MAX_EXPONENT = 1.10  # CPU ~ N^k from 2,000 to 20,000: "linear", with room for noise
MAX_ANCHORED = 3.0

# (InferenceServices, fraction with an agent, generate.VARIANTS entry); N=1 for the cold start.
CASES = ((1, ALL, "plain"), (SIZE, ALL, "plain"), (SIZE, FEW, "plain"), (SIZE, ALL, "anchored"), (LARGE, FEW, "plain"))
NAIVE_CASES = ((SIZE, ALL, "plain"),)  # the naive function is slow: only where a target needs it


def _cpu(case: Case | None, name: str) -> float | None:
    m = case.measurements.get(name) if case else None
    return None if m is None or m.failed else m.cpu_s


def _peak(case: Case | None, name: str) -> float | None:
    m = case.measurements.get(name) if case else None
    return None if m is None or m.failed else m.peak_mb


def _at_most(name: str, top: float | None, bottom: float | None, limit: float, unit: str = "s") -> Check:
    if top is None or bottom is None or bottom <= 0:
        return Check(name, None, "not measured in this run")
    ratio = top / bottom
    return Check(name, ratio <= limit, f"{top:.3f} {unit} / {bottom:.3f} {unit} = {ratio:.2f}x (limit {limit:g}x)")


def _peak_check(name: str, case: Case | None, limit: float) -> Check:
    peak, walk = _peak(case, "function"), _peak(case, "walk")
    if peak is None:
        return Check(name, None, "not measured in this run")
    beside = f" (event walk: {walk:.1f} MB)" if walk is not None else ""
    return Check(name, peak <= limit, f"{peak:.1f} MB{beside}")


def exponent(small: Case | None, large: Case | None, one: Case | None) -> float | None:
    """k in CPU(N) ~ N^k between two sizes, on the CPU above the N=1 run (start-up)."""
    a, b = _cpu(small, "function"), _cpu(large, "function")
    if a is None or b is None or small is None or large is None:
        return None
    base = _cpu(one, "function") or 0.0
    return math.log(max(b - base, 1e-9) / max(a - base, 1e-9)) / math.log(large.size / small.size)


def checks(cases: Sequence[Case]) -> list[Check]:
    every, few = find(cases, SIZE, ALL), find(cases, SIZE, FEW)
    large, anchored, one = find(cases, LARGE, FEW), find(cases, SIZE, ALL, "anchored"), find(cases, 1, ALL)
    out = [
        _at_most(f"{SIZE:,} ISVCs + {SIZE:,} ConfigMaps, all rewritten: function CPU <= {MAX_VS_WALK_ALL:g}x "
                 "the C event walk", _cpu(every, "function"), _cpu(every, "walk"), MAX_VS_WALK_ALL),
    ]
    naive, fn = _cpu(every, "naive"), _cpu(every, "function")
    out.append(Check(f"{SIZE:,} all rewritten: naive round-trip CPU >= {MIN_VS_NAIVE:g}x the function's",
                     None if naive is None or not fn else naive / fn >= MIN_VS_NAIVE,
                     "not measured in this run" if naive is None or not fn else
                     f"{naive:.2f} s / {fn:.3f} s = {naive / fn:.1f}x"))
    out.append(_peak_check(f"{SIZE:,} all rewritten: function peak <= {MAX_PEAK_MB:g} MB", every, MAX_PEAK_MB))
    out.append(_at_most(f"{SIZE:,}, {FEW:.0%} rewritten: function CPU <= {MAX_VS_WALK_FEW:g}x the C event walk",
                        _cpu(few, "function"), _cpu(few, "walk"), MAX_VS_WALK_FEW))
    start, imports = _cpu(one, "function"), _cpu(one, "imports")
    out.append(Check("cold start, 1 ISVC: function CPU < python -c 'import ruamel.yaml, pydantic, jsonpath_ng'",
                     None if start is None or imports is None else start < imports,
                     "not measured in this run" if start is None or imports is None else
                     f"{start * 1000:.1f} ms vs {imports * 1000:.1f} ms ({start / imports:.2f}x)"))
    k = exponent(few, large, one)
    out.append(Check(f"{LARGE:,} ISVCs, {FEW:.0%} rewritten: linear from {SIZE:,} (CPU ~ N^k, k <= {MAX_EXPONENT:g})",
                     None if k is None else k <= MAX_EXPONENT,
                     "not measured in this run" if k is None else f"k = {k:.2f}"))
    out.append(_peak_check(f"{LARGE:,} ISVCs, {FEW:.0%} rewritten: function peak <= {MAX_PEAK_LARGE_MB:g} MB",
                           large, MAX_PEAK_LARGE_MB))
    out.append(_at_most(f"{SIZE:,} anchored ISVCs, all rewritten: function CPU <= {MAX_ANCHORED:g}x the same "
                        "without anchors", _cpu(anchored, "function"), fn, MAX_ANCHORED))
    return out
