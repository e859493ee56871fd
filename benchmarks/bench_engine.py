"""Engine benchmarks: cost per replication against bare SimPy, and a 10,000-replication run.

Run: python benchmarks/bench_engine.py [SCENARIO] [--reps N]
Prints its figures; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.engine.metrics import MetricSet  # noqa: E402
from sim.engine.params import resolve_params  # noqa: E402
from sim.engine.streams import derive_seed  # noqa: E402
from sim.engine.world import World  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402


def scheduled_events(world: World) -> int:
    """How many events the run scheduled in its SimPy environment."""
    return next(world.env._eid)


def bare_simpy(n_events: int, seed: int) -> None:
    """A bare SimPy model that schedules `n_events` timeouts from a few processes."""
    env = simpy.Environment()
    rng = random.Random(seed)
    per_process = max(1, n_events // 20)

    def proc():
        for _ in range(per_process):
            yield env.timeout(rng.expovariate(1 / 30))

    for _ in range(20):
        env.process(proc())
    env.run()


def per_replication(scenario_path: str, reps: int) -> None:
    scenario = load_scenario(scenario_path)
    params = resolve_params(scenario)
    metrics = MetricSet(scenario)
    events, records, times = [], [], []
    for i in range(reps):
        t0 = time.perf_counter()
        world = World(scenario, derive_seed(0, 0, i), params)
        world.run()
        metrics.compute(world.log)
        times.append(time.perf_counter() - t0)
        events.append(scheduled_events(world))
        records.append(len(world.log))
    n_events = int(statistics.mean(events))
    bare = []
    for i in range(reps):
        t0 = time.perf_counter()
        bare_simpy(n_events, i)
        bare.append(time.perf_counter() - t0)
    hotline_ms = statistics.median(times) * 1000
    bare_ms = statistics.median(bare) * 1000
    print(f"scenario: {scenario_path}")
    print(f"  SimPy events per replication (mean):   {n_events}")
    print(f"  log records per replication (mean):    {statistics.mean(records):.0f}")
    print(f"  Hotline replication, median:           {hotline_ms:.2f} ms (metrics included)")
    print(f"  bare SimPy, same number of events:     {bare_ms:.2f} ms")
    print(f"  ratio Hotline / bare SimPy:            {hotline_ms / bare_ms:.2f}x  (target <= 2x)")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reps_run(scenario_path: str, reps: int) -> None:
    """`hotline run SCENARIO --reps N` as a whole process: time, rate, peak RSS."""
    for n in (1000, reps):
        cmd = [sys.executable, "-c",
               "import resource,sys; from sim.cli import main; rc=main(sys.argv[1:]); "
               "print('RSS_MB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, "
               "file=sys.stderr); sys.exit(rc)",
               "run", scenario_path, "--reps", str(n), "--json"]
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
        rss = next(float(line.split()[1]) for line in done.stderr.splitlines()
                   if line.startswith("RSS_MB"))
        print(f"  hotline run --reps {n:>6}: {wall:7.1f} s, {n / wall:7.1f} reps/s, "
              f"peak RSS {rss:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/poland-2022.yaml"))
    parser.add_argument("--reps", type=int, default=10_000, help="replications of the long run")
    parser.add_argument("--sample", type=int, default=200, help="replications timed one by one")
    args = parser.parse_args()
    per_replication(args.scenario, args.sample)
    reps_run(args.scenario, args.reps)


if __name__ == "__main__":
    main()
