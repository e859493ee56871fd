"""The batch engine's targets (issue 15), each printed beside what it is measured against.

Run: python benchmarks/bench_batch.py [PART ...] [--reps N] [--rss-reps N] [--futures N]
PART is any of: replication, scaling, workers, fork, rss, validate (default: all).
Times of one process are CPU times (the machine is shared); times across processes are wall
clock, taken side by side. Nothing here asserts a time.

- replication: one Poland replication in batch mode (as statistics runs make it) against bare
  SimPy scheduling the same number of events, in alternating rounds;
- scaling: K = 1, 10, 100 disjoint copies of Poland (`kcopies.py`): CPU per SimPy event, and
  the share of a run spent computing metrics;
- workers: `hotline run --reps N --workers 2` against its ceiling, the same N split over two
  independent `--workers 1` processes started side by side;
- fork: a live Poland session at turn 10 forked into 1,000 futures (two arms of 500) on 2 workers;
- rss: peak RSS of `hotline run --reps` (its own process, where the statistics live, and its
  workers) at 1,000 and at --rss-reps replications;
- validate: `hotline validate` on K = 90 and 100 copies: time and peak RSS (K = 100 holds
  ~530,000 values, within the loader's 700,000-value bound; the scaling part lifts it
  in-process for larger K).
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import kcopies  # noqa: E402
from bench_engine import bare_simpy, scheduled_events  # noqa: E402

from sim.engine.params import resolve_params  # noqa: E402
from sim.engine.streams import derive_seed  # noqa: E402
from sim.engine.world import World  # noqa: E402
from sim.scenario import LoadLimits, load_scenario  # noqa: E402
from sim.whatif import gcpolicy  # noqa: E402
from sim.whatif.jobs import Measure  # noqa: E402

POLAND = ROOT / "scenarios/poland-2022.yaml"
#: Past K = 130 bare copies of Poland, a file holds more values than the loader's bound.
BIG = LoadLimits(max_nodes=2_000_000)
PARTS = ("replication", "scaling", "workers", "fork", "rss", "validate")


def batch_run(scenario: object, params: dict[str, float], measure: Measure, seed: int
              ) -> tuple[float, float, int]:
    """One batch replication as a worker runs it, under `gcpolicy.replication`.

    Returns:
        CPU seconds of the run (freeing its world included), of its metrics, and its SimPy
        events.
    """
    t0 = time.process_time()
    with gcpolicy.replication():
        world = World(scenario, seed, dict(params), recording=measure.recording)
        world.run()
        t1 = time.process_time()
        measure(world.log, world.truth, end=world.last_t)
        t2 = time.process_time()
        events = scheduled_events(world)
        gcpolicy.release(world.env)
        del world  # freed by the collection that ends the replication, as in a worker
    return time.process_time() - t0 - (t2 - t1), t2 - t1, events


def replication(reps: int, rounds: int = 5) -> None:
    """Batch replication against bare SimPy, alternating rounds so both see the same load."""
    scenario = load_scenario(POLAND)
    params = resolve_params(scenario)
    measure = Measure(scenario)
    gc.freeze()  # as a worker does after loading (`sim.whatif.gcpolicy`)
    ours, full, bare, events = [], [], [], []
    for r in range(rounds):
        for i in range(reps):
            seed = derive_seed(0, 0, r * reps + i)
            run, metrics, n = batch_run(scenario, params, measure, seed)
            ours.append(run + metrics)
            events.append(n)
            t0 = time.process_time()
            world = World(scenario, seed, dict(params))  # a full run, as before batch mode
            world.run()
            measure(world.log, world.truth)
            full.append(time.process_time() - t0)
        n_events = int(statistics.mean(events))
        for i in range(reps):
            t0 = time.process_time()
            bare_simpy(n_events, i)
            bare.append(time.process_time() - t0)
    ms, bare_ms = statistics.median(ours) * 1000, statistics.median(bare) * 1000
    print(f"replication: Poland, batch mode, median of {len(ours)} (CPU)")
    print(f"  SimPy events per replication:   {int(statistics.mean(events))}")
    print(f"  Hotline full replication:       {statistics.median(full) * 1000:.2f} ms")
    print(f"  Hotline batch replication:      {ms:.2f} ms (metrics included)")
    print(f"  bare SimPy, same events:        {bare_ms:.2f} ms")
    print(f"  ratio:                          {ms / bare_ms:.1f}x  (target <= 4x, moonshot 2x)")


def scaling(ks: tuple[int, ...], folder: Path) -> None:
    """CPU per event and metric share at K disjoint copies."""
    print("scaling: K disjoint copies of Poland, batch mode (CPU)")
    print(f"  {'K':>4} {'load s':>7} {'run s':>8} {'events':>8} {'us/event':>9} {'metrics':>8}")
    base = None
    for k in ks:
        path = kcopies.write(k, folder)
        t0 = time.process_time()
        scenario = load_scenario(path, BIG)
        load = time.process_time() - t0
        params = resolve_params(scenario)
        measure = Measure(scenario)
        reps = max(1, 10 // k)
        with gcpolicy.batch_gc(SimpleNamespace(measure=measure)):  # as a worker holds its job
            runs = [batch_run(scenario, params, measure, derive_seed(0, 0, i))
                    for i in range(reps)]
        run = sum(r[0] for r in runs) / reps
        metrics = sum(r[1] for r in runs) / reps
        events = sum(r[2] for r in runs) / reps
        per_event = run / events * 1e6
        base = base or per_event
        print(f"  {k:>4} {load:>7.2f} {run:>8.3f} {events:>8.0f} {per_event:>9.1f} "
              f"{metrics / run:>7.1%}   ({per_event / base:.2f}x K=1; target <= 1.5x, "
              "metrics < 5%)")


def _hotline(*args: str) -> list[str]:
    """A `hotline` command line that reports its peak RSS, and its children's, on stderr."""
    return [sys.executable, "-c",
            "import resource,sys; from sim.cli import main; rc=main(sys.argv[1:]); "
            "r=resource; u=r.getrusage(r.RUSAGE_SELF); print('RSS_MB', u.ru_maxrss/1024, "
            "r.getrusage(r.RUSAGE_CHILDREN).ru_maxrss/1024, u.ru_utime+u.ru_stime, "
            "file=sys.stderr); sys.exit(rc)",
            *args]


def _rss(stderr: str) -> tuple[float, float, float]:
    """Peak RSS (MB) of the process and of its largest child, and its own CPU seconds."""
    line = next(x for x in stderr.splitlines() if x.startswith("RSS_MB"))
    own, children, cpu = line.split()[1:]
    return float(own), float(children), float(cpu)


def workers(reps: int, rounds: int = 2) -> None:
    """`run --reps N --workers 2` against two independent half-runs side by side (wall).

    The two alternate, `rounds` times each, so that both see the machine's load alike.
    """
    ceilings, pooled = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        halves = [subprocess.Popen(_hotline("run", str(POLAND), "--reps", str(reps // 2),
                                            "--seed", str(s), "--json"), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                  for s in (1, 2)]
        for p in halves:
            p.wait()
        ceilings.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        subprocess.run(_hotline("run", str(POLAND), "--reps", str(reps), "--workers", "2",
                                "--json"), cwd=ROOT, capture_output=True, check=True)
        pooled.append(time.perf_counter() - t0)
    ceiling, pool = statistics.median(ceilings), statistics.median(pooled)
    print(f"workers: hotline run --reps {reps}, median of {rounds} alternating rounds (wall)")
    print(f"  two independent processes, {reps // 2} each: {ceiling:.1f} s  "
          f"({', '.join(f'{x:.0f}' for x in ceilings)})")
    print(f"  --workers 2:                              {pool:.1f} s  "
          f"({', '.join(f'{x:.0f}' for x in pooled)})")
    print(f"  efficiency:                               {ceiling / pool:.0%}  (target >= 90%)")


def fork(futures: int) -> None:
    """A live session at turn 10 forked into `futures` futures on 2 workers (wall).

    As a facilitator asks it: half the futures as is, half with the hotline answered
    (`cgs_answer` 0.9), paired on common seeds.
    """
    from sim.engine.session import Session
    from sim.whatif.fork import run_from_session

    scenario = load_scenario(POLAND)
    session = Session(scenario, seed=1)
    while session.turn < 10 and not session.finished:  # pauses may stop a turn short
        session.next_turn()
    t0 = time.perf_counter()
    summary = run_from_session(session, scenario, change={"cgs_answer": 0.9}, reps=futures // 2,
                               workers=2)
    wall = time.perf_counter() - t0
    runs = summary.outcome.done
    print(f"fork: Poland at turn {session.turn} (minute {session.now:.0f}), {futures} futures "
          f"(two arms of {futures // 2}: as is, cgs_answer=0.9), 2 workers (wall)")
    print(f"  {runs} futures in {wall:.1f} s  (target: 1,000 under 10 s)")


def rss(big: int) -> None:
    """Peak RSS of `hotline run --reps` at 1,000 and at `big` replications (2 workers)."""
    print("rss: hotline run --reps, --workers 2, peak RSS (MB)")
    figures = []
    for n in (1000, big):
        done = subprocess.run(_hotline("run", str(POLAND), "--reps", str(n), "--workers", "2",
                                       "--json"), cwd=ROOT, capture_output=True, text=True,
                              check=True)
        own, children, _ = _rss(done.stderr)
        figures.append((own, children))
        print(f"  {n:>6} replications: own {own:.1f}, largest worker {children:.1f}")
    growth = figures[1][0] - figures[0][0]
    print(f"  growth of its own process: {growth:+.1f} MB  (target < 10 MB from 1,000 to 20,000)")


def validate(ks: tuple[int, ...], folder: Path) -> None:
    """`hotline validate` on K copies: wall and CPU time, peak RSS, and what it said."""
    for k in ks:
        path = kcopies.write(k, folder)
        t0 = time.perf_counter()
        done = subprocess.run(_hotline("validate", str(path)), cwd=ROOT, capture_output=True,
                              text=True, check=False)
        wall = time.perf_counter() - t0
        own, _, cpu = _rss(done.stderr)
        said = (done.stdout.strip() or done.stderr.splitlines()[0]).split(": ", 1)[-1][:70]
        print(f"validate: K = {k} ({path.stat().st_size / 1e6:.1f} MB), exit {done.returncode}: "
              f"{said}")
        print(f"  {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {own:.0f} MB  "
              "(target < 5 s and 500 MB)")


def main() -> None:
    """Run the parts asked for."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", metavar="PART", help=f"any of {', '.join(PARTS)}")
    parser.add_argument("--reps", type=int, default=40, help="replications a round (replication)")
    parser.add_argument("--workers-reps", type=int, default=2000, help="replications (workers)")
    parser.add_argument("--futures", type=int, default=1000, help="futures in all (fork)")
    parser.add_argument("--rss-reps", type=int, default=20_000, help="the larger run (rss)")
    parser.add_argument("--k", type=int, nargs="+", default=[1, 10, 100], help="copies (scaling)")
    args = parser.parse_args()
    unknown = [p for p in args.parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}; expected any of {', '.join(PARTS)}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for part in args.parts or PARTS:
            started = time.perf_counter()
            if part == "replication":
                replication(args.reps)
            elif part == "scaling":
                scaling(tuple(args.k), folder)
            elif part == "workers":
                workers(args.workers_reps)
            elif part == "fork":
                fork(args.futures)
            elif part == "rss":
                rss(args.rss_reps)
            else:
                validate((90, 100), folder)
            print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
    print(f"peak RSS of this process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
