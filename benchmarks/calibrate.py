"""The Milley–Gerasimov line's connection rates, the targets its parameters were set to.

Run: python benchmarks/calibrate.py [--reps 1000] [--seed 1]
Under `historical`, how often the line connects within 48 h (set to stay under 20%); under
`line-works`, how often within 1 h of the first attempt (at least 80%). The table of every
historical value, fitted and held-out apart, is `hotline calibrate scenarios/poland-2022.yaml`.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.engine.metrics import MetricSet  # noqa: E402
from sim.engine.params import resolve_params  # noqa: E402
from sim.engine.streams import derive_seed  # noqa: E402
from sim.engine.world import World  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios/poland-2022.yaml"))
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    t0 = time.perf_counter()
    hist = values(scenario, "historical", args.reps, args.seed)
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
