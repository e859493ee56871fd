"""What-if benchmarks: replications per second by backend, the two-core ceiling, memory.

Run: python benchmarks/bench_whatif.py [SCENARIO] [--reps N] [--big N]
Prints its figures; nothing here asserts. The Poland scenario is used when it exists, else the
tiny test scenario.

- serial, `--workers 2` and Dask LocalCluster (2 worker processes) on the same sweep;
- the ceiling: the same work split over two independent processes started side by side
  (no pool, no messages), which is the most two cores can give;
- a 10,000-replication sweep with the default workers: time and rate;
- peak RSS of the sweep's own process, where every statistic lives, at 1,000 and at 20,000
  replications (the worlds run in two pool workers, each of which holds one world at a time).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.scenario import load_scenario  # noqa: E402
from sim.whatif.plan import SweepSpec  # noqa: E402
from sim.whatif.runner import Options, sweep  # noqa: E402

POLAND = ROOT / "scenarios" / "poland-2022.yaml"
TINY = ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"


def timed_sweep(path: str, reps: int, seed: int = 0, **options: object) -> tuple[float, int]:
    """Seconds and runs of a one-point sweep of `reps` replications."""
    scenario = load_scenario(path)
    start = time.perf_counter()
    summary = sweep(scenario, SweepSpec(reps=reps, seed=seed), Options(**options))
    return time.perf_counter() - start, summary.done


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM; ru_maxrss would carry the parent's over exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args: argparse.Namespace) -> None:
    """Run in a subprocess: a serial sweep, then print its time and peak RSS as JSON."""
    seconds, done = timed_sweep(args.scenario, args.reps, args.seed, workers=args.workers)
    print(json.dumps({"seconds": seconds, "done": done, "rss_mb": peak_rss_mb()}))


def spawn(scenario: str, reps: int, seed: int = 0, workers: int = 1) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, scenario, "--child", "--reps", str(reps),
                             "--seed", str(seed), "--workers", str(workers)],
                            stdout=subprocess.PIPE, text=True)


def result(proc: subprocess.Popen) -> dict:
    out, _ = proc.communicate()
    return json.loads(out.strip().splitlines()[-1])


@contextlib.contextmanager
def running_cluster() -> Iterator[str]:
    """A LocalCluster of 2 worker processes, started before the clock does."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", nargs="?", default=str(POLAND if POLAND.exists() else TINY))
    parser.add_argument("--reps", type=int, help="replications per rate figure (default: "
                        "20,000 of the tiny scenario, 2,000 of Poland's)")
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--big", type=int, default=10_000, help="replications of the big run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3,
                        help="repeat each figure, interleaved, and keep the best (a shared "
                        "machine's other load only ever slows a round down)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    sys.stdout.reconfigure(line_buffering=True)  # figures as they come, even through a pipe
    path = args.scenario
    n = args.reps or (2_000 if Path(path).name.startswith("poland") else 20_000)
    print(f"scenario: {path}  ({n} replications per figure, best of {args.rounds} rounds)")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    configs = {"serial (1 worker)": {"workers": 1},
               "local pool, --workers 2": {"workers": 2},
               "Dask LocalCluster, 2 worker processes": {"backend": "dask", "workers": 2}}
    best: dict[str, float] = {}
    solo_rate = ceiling_rate = 0.0
    running = "Dask, already running cluster of 2"
    for _ in range(args.rounds):
        for name, options in configs.items():
            seconds, done = timed_sweep(path, n, **options)
            best[name] = max(best.get(name, 0.0), done / seconds)
        with running_cluster() as address:
            seconds, done = timed_sweep(path, n, backend="dask", scheduler=address)
            best[running] = max(best.get(running, 0.0), done / seconds)
        solo = result(spawn(path, n // 2))
        solo_rate = max(solo_rate, solo["done"] / solo["seconds"])
        both = [result(p) for p in [spawn(path, n // 2, seed=s) for s in (1, 2)]]
        ceiling_rate = max(ceiling_rate, sum(b["done"] for b in both) / max(b["seconds"] for b in both))
    serial = best["serial (1 worker)"]
    for name, rate in best.items():
        print(f"  {name:<40} {n / rate:7.2f} s  {rate:9,.0f} runs/s  {rate / serial:.2f}x serial"
              + ("  (cluster start excluded)" if name == running else "  (start-up included)"))
    print(f"  ceiling: 2 independent processes        {n / ceiling_rate:7.2f} s  "
          f"{ceiling_rate:9,.0f} runs/s  {ceiling_rate / solo_rate:.2f}x one such process "
          f"({solo_rate:,.0f} runs/s, imports excluded)")
    pool = best["local pool, --workers 2"]
    print(f"  --workers 2: {pool / serial:.2f}x serial; {pool / ceiling_rate:.0%} of the ceiling")
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    seconds, done = timed_sweep(path, args.big)
    print(f"\n{args.big} replications, default workers: {seconds:.2f} s, {done / seconds:,.0f} runs/s")

    print("\nmemory (peak RSS of the process running the sweep and holding its statistics;"
          " 2 pool workers run the worlds):")
    small, large = result(spawn(path, 1_000, workers=2)), result(spawn(path, 20_000, workers=2))
    print(f"   1,000 replications: {small['rss_mb']:7.1f} MB")
    print(f"  20,000 replications: {large['rss_mb']:7.1f} MB  "
          f"(difference {large['rss_mb'] - small['rss_mb']:+.1f} MB; target within 50 MB)")


if __name__ == "__main__":
    main()
