"""Sensitivity benchmark: a Morris screening of the Przewodów scenario's parameters.

Run: python benchmarks/bench_sensitivity.py [--trajectories R] [--reps N] [--workers W]
Prints its figures; nothing here asserts. The target (issue 14): at least 10 trajectories over
every parameter with a range, with 2 workers, in under 5 minutes on the project's 2-core
machine. One-at-a-time runs are left out (`--oat-reps 0`): this measures the screening.

Replications per point are the knob that trades noise for time; the default (3) is what fits
the target on this machine with the engine as it is (about 7 Poland runs a second on 2 busy
cores). Every point runs on the same seeds, so the elementary effects are paired and 3 reps
rank the strong links clearly; the weak ones stay noisy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.scenario import load_scenario  # noqa: E402
from sim.whatif.execute import execute  # noqa: E402
from sim.whatif.sensitivity import Request, analyse  # noqa: E402

POLAND = ROOT / "scenarios" / "poland-2022.yaml"
METRICS = ("poland-reattribution", "false-attribution")


def main() -> int:
    """Time one screening and print its size, time, rate and top links."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=int, default=10)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    scenario = load_scenario(POLAND)
    request = Request(METRICS, trajectories=args.trajectories, reps=args.reps, oat_reps=0)
    started = time.perf_counter()
    result = analyse(scenario, request,
                     run=lambda job, deliver, _b: execute(job, deliver, workers=args.workers))
    seconds = time.perf_counter() - started
    k = len(result.factors)
    runs = sum(o.done for o in result.outcomes)
    print(f"Morris screening of {POLAND.name}: {k} parameters, {args.trajectories} trajectories "
          f"× {k + 1} points × {args.reps} reps = {runs} runs")
    print(f"  {seconds:.1f} s with {args.workers} workers ({runs / seconds:.1f} runs/s); "
          f"target: under 300 s → {'met' if seconds < 300 else 'MISSED'}")
    for m in result.metrics:
        top = ", ".join(f"{g} ({p.screening.mu_star:.2f} h)" for g, p, _n in m.groups()[:3])
        print(f"  {m.id}: top links by μ*: {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
