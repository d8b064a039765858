"""Where the function's time goes, by phase, without a profiler's overhead (issue 11, part 6).

    .venv/bin/python bench/phases.py --size 2000 --fraction 1
    .venv/bin/python bench/phases.py --size 20000 --fraction 0.05 --cprofile 25
    .venv/bin/python bench/phases.py --input some-resource-list.yaml
    .venv/bin/python bench/phases.py --size 2000 --fraction 0.05 --no-skim   # every item read

One in-process run of what the CLI runs on stdin (``engine.run_package``), with the
engine's steps wrapped in timers (each phase's own time: a phase inside another is not
counted twice) and the garbage collector's pauses timed through ``gc.callbacks``:

- skim: text checks: ``skim._unread`` (which items of a big ResourceList to leave unread)
- skim: libyaml check: ``yamltext.pieces.each_parses`` (libyaml's parser alone, on those items)
- parse + tree build: ``engine._scan`` and the scan ``skim.skim`` makes (libyaml's events
  and the YMap/YSeq tree)
- read: ``engine._read`` (ResourceList items, file annotations)
- plan: ``engine.decide`` (the KServe planner)
- building results: ``krm.results.from_plan``
- rendering results as YAML: ``emit.block_entry("results", ...)`` or ``emit.block_list_of_maps``
- splice: the rest of ``yamltext.apply.apply`` (spans, joining the output)
- encode: the output back to UTF-8 bytes, as the CLI writes it
- GC: collections, wherever they happen (taken out of the phase they interrupted)

``--cprofile N`` runs it again under cProfile and prints the top N functions by own time.
``--gc off`` runs it as the CLI's entry does since issue 11 (``gc.disable()`` for the
run); ``--gc default`` with the collector as Python starts, as the CLI ran before.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import generate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fn"))

from fix_kserve_probes import engine, skim  # noqa: E402
from fix_kserve_probes.krm import results as krm_results  # noqa: E402
from fix_kserve_probes.yamltext import apply as text_apply  # noqa: E402
from fix_kserve_probes.yamltext import emit, pieces  # noqa: E402
from fix_kserve_probes.yamltext.source import decode  # noqa: E402

PHASES = ("skim: text checks", "skim: libyaml check", "parse + tree build", "read", "plan", "building results", "rendering results as YAML", "splice",
          "encode", "GC")


class Timers:
    """Exclusive time per phase: a stack of running phases, the innermost charged."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self.stack: list[tuple[str, float]] = []
        self.gc_start = 0.0

    def wrap(self, owner: Any, attribute: str, phase: str, only: Callable[..., bool] | None = None) -> None:
        """Charge ``owner.attribute``'s own time to ``phase`` (when ``only(*args)`` says so)."""
        inner: Callable[..., Any] = getattr(owner, attribute)

        def timed(*args: Any, **kwargs: Any) -> Any:
            if only is not None and not only(*args):
                return inner(*args, **kwargs)
            self.enter(phase)
            try:
                return inner(*args, **kwargs)
            finally:
                self.leave()

        setattr(owner, attribute, timed)

    def enter(self, phase: str) -> None:
        now = time.process_time()
        if self.stack:
            top, since = self.stack[-1]
            self.spent[top] += now - since
        self.stack.append((phase, now))

    def leave(self) -> None:
        now = time.process_time()
        phase, since = self.stack.pop()
        self.spent[phase] += now - since
        if self.stack:
            self.stack[-1] = (self.stack[-1][0], now)

    def on_gc(self, stage: str, _info: dict[str, Any]) -> None:
        if stage == "start":
            self.enter("GC")
        else:
            self.leave()


def phases(text_bytes: bytes, gc_mode: str, max_bytes: int) -> tuple[dict[str, float], float]:
    timers = Timers()
    for owner, attribute, phase in ((skim, "_unread", "skim: text checks"), (pieces, "each_parses", "skim: libyaml check"),
                                    (skim, "scan", "parse + tree build"),
                                    (engine, "_scan", "parse + tree build"), (engine, "_read", "read"),
                                    (engine, "decide", "plan"), (krm_results, "from_plan", "building results"),
                                    (emit, "block_list_of_maps", "rendering results as YAML"),
                                    (text_apply, "apply", "splice")):
        timers.wrap(owner, attribute, phase)
    # A new ``results`` key is rendered by block_entry (prior results get block_list_of_maps).
    timers.wrap(emit, "block_entry", "rendering results as YAML", lambda key, *_: key == "results")
    gc.callbacks.append(timers.on_gc)
    if gc_mode == "off":
        gc.disable()
    start = time.process_time()
    timers.enter("encode")  # the rest of the run: decoding, the engine's glue and encoding
    text = decode(text_bytes, max_bytes)
    outcome = engine.run_package([engine.Source(text)])
    text.encode(outcome.output)
    timers.leave()
    total = time.process_time() - start
    gc.callbacks.remove(timers.on_gc)
    gc.enable()
    return timers.spent, total


def profile(text_bytes: bytes, top: int, max_bytes: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    text = decode(text_bytes, max_bytes)
    text.encode(engine.run_package([engine.Source(text)]).output)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", type=int, default=2000)
    p.add_argument("--fraction", type=float, default=1.0)
    p.add_argument("--variant", choices=generate.VARIANTS, default="plain")
    p.add_argument("--input", help="a ResourceList file instead of a generated one")
    p.add_argument("--gc", choices=("off", "default"), default="off",
                   help="off: as the CLI runs (gc.disable()); default: Python's collector untouched")
    p.add_argument("--cprofile", type=int, metavar="N", default=0, help="also print cProfile's top N functions")
    p.add_argument("--no-skim", action="store_true", help="read every item, as before skim.py (the same outcome)")
    args = p.parse_args(argv)
    if args.no_skim:
        engine.SKIM_FROM = sys.maxsize
    data = Path(args.input).read_bytes() if args.input else \
        generate.resource_list(args.size, args.fraction, variant=args.variant).encode()
    max_bytes = 2 * len(data) + 1
    spent, total = phases(data, args.gc, max_bytes)
    what = (args.input or f"N={args.size:,}, {args.fraction:.0%} rewritten, {args.variant}") + \
        (", not skimmed" if args.no_skim else "")
    print(f"{what}: {len(data) / 1e6:.2f} MB, {total:.3f} s CPU in process (gc: {args.gc})")
    for phase in PHASES:
        print(f"  {phase:28} {spent[phase]:7.3f} s  {100 * spent[phase] / total:5.1f}%")
    if args.cprofile:
        gc.collect()
        print(profile(data, args.cprofile, max_bytes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
