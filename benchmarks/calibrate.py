"""Calibration of the Przewodów 2022 scenario against 2022: the table in docs/model-notes.md.

Run: python benchmarks/calibrate.py [--reps 1000] [--seed 1]
For each metric with a 2022 value: the simulated 10th, 50th and 90th percentiles under the
`historical` variant and whether 2022 lies in the band; then the Milley–Gerasimov line's
connection rates under `historical` (within 48 h) and `line-works` (within 1 h of the first
attempt).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.durations import format_hm  # noqa: E402
from sim.engine.metrics import Bound, MetricSet, historical_value  # noqa: E402
from sim.engine.params import resolve_params  # noqa: E402
from sim.engine.streams import derive_seed  # noqa: E402
from sim.engine.timeline import show_value  # noqa: E402
from sim.engine.world import World  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402
from sim.scenario.models import YES_NO_METRICS  # noqa: E402
from sim.whatif.stats import quantile  # noqa: E402

LINE = "cjcs-cgs-contact"


def values(scenario, variant: str, reps: int, seed: int) -> dict[str, list[float]]:
    params = resolve_params(scenario, variant)
    metrics = MetricSet(scenario)
    out: dict[str, list[float]] = {m.id: [] for m in scenario.metrics}
    for i in range(reps):
        world = World(scenario, derive_seed(seed, 0, i), params)
        world.run()
        for key, v in metrics.compute(world.log, world.truth).items():
            out[key].append(math.inf if v is None else float(v))
    return out


def show(metric, v: float) -> str:
    if metric.kind in ("first", "contact", "belief_true"):
        return "never" if math.isinf(v) else format_hm(v)
    return f"{v:g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios/poland-2022.yaml"))
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    t0 = time.perf_counter()
    hist = values(scenario, "historical", args.reps, args.seed)
    params = resolve_params(scenario, "historical")
    print(f"{args.reps} replications, seed {args.seed}, variant historical\n")
    print("| metric | p10 | median | p90 | 2022 | in band |")
    print("|---|---|---|---|---|---|")
    for m in scenario.metrics:
        h = historical_value(m, params)
        if h == "absent" or m.kind in YES_NO_METRICS:
            continue
        vals = sorted(hist[m.id])
        p10, p50, p90 = (quantile(vals, q) for q in (0.1, 0.5, 0.9))
        if isinstance(h, Bound):
            ok = "yes" if h.overlaps(p10, p90) else "**no**"
            written = show_value(m, h)
        else:
            hv = math.inf if h is None else float(h)
            ok = "yes" if p10 <= hv <= p90 else "**no**"
            written = show(m, hv)
        print(f"| {m.label} | {show(m, p10)} | {show(m, p50)} | {show(m, p90)} | {written} | {ok} |")
    for m in scenario.metrics:
        if m.kind in YES_NO_METRICS:
            share = sum(hist[m.id]) / len(hist[m.id])
            print(f"| {m.label} | reached in {share:.0%} of runs | | | "
                  f"{'yes' if historical_value(m, params) else 'no'} | |")
    within_48h = sum(1 for v in hist[LINE] if v <= 48 * 60) / args.reps
    works = values(scenario, "line-works", args.reps, args.seed)[LINE]
    within_1h = sum(1 for v in works if v <= 60) / args.reps
    print(f"\nMilley–Gerasimov line, historical: connects within 48 h in {within_48h:.1%} "
          "of runs (target: at most 20%)")
    print(f"Milley–Gerasimov line, line-works: connects within 1 h of the first attempt in "
          f"{within_1h:.1%} of runs (target: at least 80%)")
    print(f"\n({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
