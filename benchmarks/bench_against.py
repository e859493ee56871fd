"""One Poland replication's cost on this checkout beside another git revision, in one run.

Run: python benchmarks/bench_against.py [REV] [--reps 40]
REV (default: the commit before the evidence model, 8fe36a1) is unpacked with `git archive`
into a temporary folder; each side runs in its own subprocess, alternating rounds so that
both see the same machine load. Prints the median milliseconds per replication of each and
their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys, time
sys.path.insert(0, sys.argv[1])
from sim.engine.params import resolve_params
from sim.engine.streams import derive_seed
from sim.engine.world import World
from sim.scenario import load_scenario
scenario = load_scenario(sys.argv[1] + "/scenarios/poland-2022.yaml")
params = resolve_params(scenario)
times = []
for i in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    World(scenario, derive_seed(0, 0, i), params).run()
    times.append(time.perf_counter() - t0)
print(sorted(times)[len(times) // 2] * 1000)
"""


def median_ms(tree: Path, reps: int) -> float:
    done = subprocess.run([sys.executable, "-c", PROBE, str(tree), str(reps)], cwd=tree,
                          capture_output=True, text=True, check=True)
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rev", nargs="?", default="8fe36a1")
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", args.rev], cwd=ROOT,  # noqa: S607
                                 capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)  # noqa: S607
        here, there = [], []
        for _ in range(args.rounds):
            there.append(median_ms(Path(tmp), args.reps))
            here.append(median_ms(ROOT, args.reps))
    before, now = statistics.median(there), statistics.median(here)
    print(f"one Poland replication, median of {args.rounds} rounds of {args.reps}:")
    print(f"  {args.rev}: {before:.1f} ms")
    print(f"  this checkout: {now:.1f} ms")
    print(f"  ratio: {now / before:.2f}x")


if __name__ == "__main__":
    main()
