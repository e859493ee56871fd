"""Instructions per Poland replication, counted by valgrind: a cost that machine load cannot move.

Run: python benchmarks/bench_instructions.py [REV ...] [--mode batch|full]
Each tree (this checkout, and each REV unpacked with `git archive`) runs 2 and then 6
replications under `valgrind --tool=callgrind`; the difference over 4 is the cost of one
replication, loading left out. CPU times on a shared machine move with the load by ±20%; this
count moves by well under 1%, so it is the figure to compare a change by. Batch mode (as
statistics runs make them) needs a tree that has `sim.whatif.jobs.Measure`; full mode runs
`World(...).run()` as every revision can. Slow: ~1 minute a tree. Needs valgrind.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
from sim.engine.params import resolve_params
from sim.engine.streams import derive_seed
from sim.engine.world import World
from sim.scenario import load_scenario
scenario = load_scenario(sys.argv[1] + "/scenarios/poland-2022.yaml")
params = resolve_params(scenario)
if sys.argv[3] == "batch":
    from sim.whatif.gcpolicy import settle
    from sim.whatif.jobs import Measure
    measure = Measure(scenario)
    settle(measure)  # as a worker does
for i in range(int(sys.argv[2])):
    if sys.argv[3] == "batch":
        world = World(scenario, derive_seed(0, 0, i), dict(params), recording=measure.recording)
        world.run()
        measure(world.log, world.truth, end=world.last_t)
    else:
        World(scenario, derive_seed(0, 0, i), dict(params)).run()
"""


def instructions(tree: Path, reps: int, mode: str) -> int:
    """Instructions callgrind counts for loading and `reps` replications."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",  # noqa: S607
                           sys.executable, "-c", PROBE, str(tree), str(reps), mode],
                          cwd=tree, capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))  # type: ignore[union-attr]


def per_replication(tree: Path, mode: str) -> float:
    """Millions of instructions of one replication (seeds 2 to 5)."""
    return (instructions(tree, 6, mode) - instructions(tree, 2, mode)) / 4 / 1e6


def main() -> None:
    """Print each tree's count, and each revision's ratio to this checkout."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revs", nargs="*", metavar="REV", help="revisions to count beside this one")
    parser.add_argument("--mode", choices=("batch", "full"), default="batch")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing counted")
        return
    here = per_replication(ROOT, args.mode)
    print(f"one Poland replication ({args.mode}), millions of instructions:")
    print(f"  this checkout: {here:.1f}")
    for rev in args.revs:
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(["git", "archive", rev], cwd=ROOT,  # noqa: S607
                                     capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)  # noqa: S607
            there = per_replication(Path(tmp), args.mode)
        print(f"  {rev}: {there:.1f}  (this checkout: {here / there:.2f}x)")


if __name__ == "__main__":
    main()
