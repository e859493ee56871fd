"""Many replications of one scenario: per-metric statistics, without keeping any event log."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sim.engine.metrics import MetricSet, historical_value
from sim.engine.streams import derive_seed
from sim.engine.timeline import show_value
from sim.engine.world import World
from sim.scenario.models import Scenario


def quantile(sorted_values: list[float], q: float) -> float:
    """The q-quantile of sorted values, by linear interpolation (numpy's default)."""
    if not sorted_values:
        return math.nan
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def run_replications(scenario: Scenario, params: Mapping[str, float], reps: int, seed: int,
                     *, until: float | None = None) -> dict[str, Any]:
    """Run `reps` replications and summarise every metric.

    Replication i uses seed `derive_seed(seed, 0, i)`. Time metrics that never happened count
    as +infinity for the quantiles, so a band may end in "never".
    """
    metric_set = MetricSet(scenario)
    values: dict[str, list[float]] = {m.id: [] for m in scenario.metrics}
    for i in range(reps):
        world = World(scenario, derive_seed(seed, 0, i), params)
        world.run(until)
        for key, v in metric_set.compute(world.log).items():
            values[key].append(math.inf if v is None else float(v))
        del world
    out: dict[str, Any] = {"reps": reps, "seed": seed, "metrics": {}}
    for m in scenario.metrics:
        vals = sorted(values[m.id])
        finite = [v for v in vals if math.isfinite(v)]
        hist = historical_value(m, params)
        p10, p50, p90 = (quantile(vals, q) for q in (0.1, 0.5, 0.9))
        entry: dict[str, Any] = {
            "kind": m.kind, "label": m.label,
            "p10": _num(p10), "median": _num(p50), "p90": _num(p90),
            "mean": _num(sum(finite) / len(finite)) if finite else None,
            "happened": len(finite) / len(vals),
        }
        if hist != "absent":
            h = math.inf if hist is None else float(hist)
            entry["historical"] = _num(h)
            entry["historical_in_band"] = p10 <= h <= p90
        out["metrics"][m.id] = entry
    return out


def _num(x: float) -> float | None:
    """JSON has no infinity: 'never' is written as null."""
    return None if math.isinf(x) or math.isnan(x) else round(x, 6)


def format_summary(scenario: Scenario, summary: Mapping[str, Any], variant: str | None) -> str:
    """The replication statistics as a table; `!` marks a 2022 value outside the 10–90 band."""
    lines = [f"{scenario.title}: {summary['reps']} replications, seed {summary['seed']}, "
             f"variant {variant or '-'}",
             f"{'metric':<46} {'p10':>8} {'median':>8} {'p90':>8} {'mean':>8} {'2022':>8}"]
    for m in scenario.metrics:
        e = summary["metrics"][m.id]

        def cell(v: Any, metric: Any = m) -> str:
            if metric.kind in ("first", "contact", "belief_true"):
                return show_value(metric, v)
            if metric.kind == "reached":
                return f"{v:.0%}" if v is not None else "-"
            return "-" if v is None else f"{v:.3g}"
        if m.kind == "reached":
            row = [cell(None)] * 3 + [f"{e['mean']:.0%}" if e["mean"] is not None else "-"]
        else:
            row = [cell(e["p10"]), cell(e["median"]), cell(e["p90"]),
                   cell(e["mean"]) if e["mean"] is not None else "-"]
        hist = ""
        if "historical" in e:
            hist = show_value(m, e["historical"]) + ("" if e["historical_in_band"] else " !")
        lines.append(f"{m.label[:46]:<46} " + " ".join(f"{c:>8}" for c in row) + f" {hist:>8}")
    lines.append("! = the 2022 value lies outside the simulated 10th–90th percentile band")
    return "\n".join(lines)
