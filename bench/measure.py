"""Run contenders as separate processes and measure each one's CPU, wall time and peak RSS.

Every run goes through ``launcher.py`` (see there why), which reports the child's own
``os.wait4`` rusage: CPU = ``ru_utime + ru_stime`` of that process (all its threads, and
any children it waited for), peak = ``ru_maxrss``, wall = fork to reap.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

LAUNCHER = Path(__file__).with_name("launcher.py")
CHEAP_CPU_S = 0.5  # runs cheaper than this are noisy at the millisecond level: take more samples
DEV_NULL = "/dev/null"


@dataclass(frozen=True)
class Sample:
    exit_code: int
    user_s: float
    sys_s: float
    maxrss_kb: int
    wall_s: float

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s


@dataclass(frozen=True)
class Contender:
    """A command; it reads ``stdin`` (the ResourceList, or /dev/null when it reads files)."""

    name: str
    argv: tuple[str, ...]
    input_bytes: int
    stdin: str = DEV_NULL


@dataclass
class Measurement:
    contender: str
    input_bytes: int
    samples: list[Sample] = field(default_factory=list)
    output: Path | None = None  # stdout of the first run, kept for the equivalence checks
    stderr: str = ""  # of the first run

    @property
    def counted(self) -> list[Sample]:
        """The successful runs (a crashed run is cheap and says nothing); all of them if none succeeded."""
        return [s for s in self.samples if s.exit_code == 0] or self.samples

    @property
    def cpu_s(self) -> float:
        """Minimum over the runs: interference from the rest of the machine only ever adds time."""
        return min(s.cpu_s for s in self.counted)

    @property
    def wall_s(self) -> float:
        return min(s.wall_s for s in self.counted)

    @property
    def peak_mb(self) -> float:
        """Maximum over the runs (it hardly varies; the larger is the safe side for a ceiling)."""
        return max(s.maxrss_kb for s in self.counted) / 1024

    @property
    def mb_per_cpu_s(self) -> float:
        return self.input_bytes / 1e6 / self.cpu_s if self.cpu_s > 0 else float("inf")

    @property
    def failed(self) -> bool:
        return any(s.exit_code != 0 for s in self.samples)


class Launcher:
    """The fork server, started before the benchmark holds any large data."""

    def __init__(self, python: str = sys.executable) -> None:
        self.proc = subprocess.Popen([python, "-S", "-I", str(LAUNCHER)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def run(self, argv: Sequence[str], stdin: str = DEV_NULL, stdout: str = DEV_NULL, stderr: str = DEV_NULL,
            cwd: str = ".") -> Sample:
        fields = [str(Path(cwd).resolve()), stdin, stdout, stderr, *argv]
        if any("\0" in f or "\n" in f for f in fields):
            raise ValueError(f"cannot pass {fields!r} to the launcher")
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("\0".join(fields) + "\n")
        self.proc.stdin.flush()
        code, user, sys_, rss, wall = self.proc.stdout.readline().split()
        return Sample(int(code), float(user), float(sys_), int(rss), float(wall))

    def floor_kb(self) -> int:
        """Peak RSS reported for ``/bin/true``: no reported peak can be below this."""
        return min(self.run(["/bin/true"]).maxrss_kb for _ in range(3))

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)

    def __enter__(self) -> Launcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def sample_count(first_cpu_s: float, repeat: int, budget_s: float) -> int:
    """How many runs in all: ``repeat``, three times that for cheap runs, fewer for slow ones."""
    if first_cpu_s < CHEAP_CPU_S:
        return 3 * repeat
    return max(1, min(repeat, int(budget_s // max(first_cpu_s, 1e-9))))


def measure(launcher: Launcher, contenders: Sequence[Contender], workdir: Path, repeat: int,
            budget_s: float) -> dict[str, Measurement]:
    """Run every contender until it has its share of samples, in rounds.

    Rounds (each contender once per round) rather than one contender after the other, so
    that a change in the machine's background load hits all of them alike. The first
    round's stdout and stderr are kept for the equivalence checks.
    """
    results: dict[str, Measurement] = {}
    wanted: dict[str, int] = {}
    for c in contenders:
        out, err = workdir / f"{c.name}.out", workdir / f"{c.name}.err"
        first = launcher.run(c.argv, c.stdin, str(out), str(err))
        results[c.name] = Measurement(c.name, c.input_bytes, [first], out, err.read_text(errors="replace"))
        wanted[c.name] = sample_count(first.cpu_s, repeat, budget_s)
    for round_ in range(1, max(wanted.values(), default=1)):
        for c in contenders:
            if round_ < wanted[c.name]:
                results[c.name].samples.append(launcher.run(c.argv, c.stdin))
    return results


def scratch_dir(parent: str | None = None) -> Path:
    return Path(tempfile.mkdtemp(prefix="fix-kserve-probes-bench-", dir=parent))
