"""Many replications of one scenario (`hotline run --reps`): per-metric statistics, streamed."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sim.engine.metrics import Bound, historical_value
from sim.engine.timeline import show_value
from sim.scenario.models import YES_NO_METRICS, Scenario
from sim.whatif.stats import quantile


def run_replications(scenario: Scenario, params: Mapping[str, float], reps: int, seed: int,
                     *, until: float | None = None, workers: int = 1) -> dict[str, Any]:
    """Run `reps` replications and summarise every metric.

    Replication i uses seed `derive_seed(seed, 0, i)`, as point 0 of a sweep does, so this
    agrees with `hotline sweep` and `hotline compare`. Time metrics that never happened count
    as +infinity for the quantiles, so a band may end in "never". The statistics stream in
    (`sim.whatif.summary`): no event log is kept.
    """
    from sim.whatif.jobs import ScenarioJob
    from sim.whatif.plan import Plan, Point
    from sim.whatif.runner import Options, run_job

    plan = Plan(points=(Point(0, "base", {}, dict(params)),), reps=reps, seed=seed)
    summary = run_job(ScenarioJob(scenario, plan, until), Options(workers=workers))
    if summary.partial:  # Ctrl-C: `hotline run` reports nothing rather than a part
        raise KeyboardInterrupt
    stats = summary.points[0]
    out: dict[str, Any] = {"reps": reps, "seed": seed, "metrics": {}}
    for i, m in enumerate(scenario.metrics):
        store = stats.values[i]
        finite = stats.moments[i]
        p10, p50, p90 = (store.quantile(q) for q in (0.1, 0.5, 0.9))
        hist = historical_value(m, params)
        entry: dict[str, Any] = {
            "kind": m.kind, "label": m.label,
            "p10": _num(p10), "median": _num(p50), "p90": _num(p90),
            "mean": _num(finite.mean) if finite.n else None,
            "happened": finite.n / len(store),
        }
        if isinstance(hist, Bound):
            entry["historical"] = {"at_least": _num(hist.low), "at_most": _num(hist.high)}
            entry["historical_in_band"] = hist.overlaps(p10, p90)
        elif hist != "absent":
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
             f"{'metric':<46} {'p10':>8} {'median':>8} {'p90':>8} {'mean':>8} "
             f"{scenario.history_name:>8}"]
    for m in scenario.metrics:
        e = summary["metrics"][m.id]

        def cell(v: Any, metric: Any = m) -> str:
            if metric.kind in ("first", "contact", "belief_true"):
                return show_value(metric, v)
            if metric.kind in YES_NO_METRICS:
                return f"{v:.0%}" if v is not None else "-"
            return "-" if v is None else f"{v:.3g}"
        if m.kind in YES_NO_METRICS:
            row = [cell(None)] * 3 + [f"{e['mean']:.0%}" if e["mean"] is not None else "-"]
        else:
            row = [cell(e["p10"]), cell(e["median"]), cell(e["p90"]),
                   cell(e["mean"]) if e["mean"] is not None else "-"]
        hist = ""
        if "historical" in e:
            value = e["historical"]
            if isinstance(value, dict):  # a bound, as JSON writes it
                value = Bound(-math.inf if value["at_least"] is None else value["at_least"],
                              math.inf if value["at_most"] is None else value["at_most"])
            hist = show_value(m, value) + ("" if e["historical_in_band"] else " !")
        lines.append(f"{m.label[:46]:<46} " + " ".join(f"{c:>8}" for c in row) + f" {hist:>8}")
    lines.append(f"! = the {scenario.history_name} value lies outside the simulated 10th–90th "
                 "percentile band")
    return "\n".join(lines)


__all__ = ["format_summary", "quantile", "run_replications"]
