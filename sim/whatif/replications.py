"""Many replications of one scenario (`hotline run --reps`): per-metric statistics, streamed."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from sim.engine.metrics import ROLE_MEANING, Bound, historical_role, historical_value
from sim.engine.timeline import show_value
from sim.scenario.models import YES_NO_METRICS, Scenario
from sim.whatif.jobs import ScenarioJob
from sim.whatif.plan import Plan, Point
from sim.whatif.runner import Options, run_job
from sim.whatif.stats import quantile


def run_replications(scenario: Scenario, params: Mapping[str, float], reps: int, seed: int,
                     *, until: float | None = None, workers: int = 1,
                     progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Run `reps` replications and summarise every metric.

    Replication i uses seed `derive_seed(seed, 0, i)`, as point 0 of a sweep does, so this
    agrees with `hotline sweep` and `hotline compare`. Time metrics that never happened count
    as +infinity for the quantiles, so a band may end in "never"; `happened` says in what
    share of runs they did, and `mean` is over those runs only. The statistics stream in
    (`sim.whatif.summary`): no event log is kept. Ctrl-C stops early and keeps the runs that
    finished: the result is then marked `partial`, with `done` runs. `workers` processes run
    them through the sweep executor; the statistics are the same byte for byte for any number.
    """
    plan = Plan(points=(Point(0, "base", {}, dict(params)),), reps=reps, seed=seed)
    summary = run_job(ScenarioJob(scenario, plan, until),
                      Options(workers=workers, progress=progress))
    stats = summary.points[0]
    done = summary.outcome.done
    out: dict[str, Any] = {"reps": reps, "seed": seed, "metrics": {},
                           "partial": summary.partial, "done": done}
    if done == 0:
        return out
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
        if hist != "absent":
            entry["historical"] = historical_json(hist)
        if isinstance(hist, Bound):
            entry["historical_in_band"] = hist.overlaps(p10, p90)
        elif hist != "absent":
            h = math.inf if hist is None else float(hist)
            entry["historical_in_band"] = p10 <= h <= p90
            entry["historical_rank"] = round(store.rank(h), 6)
        if hist != "absent":
            entry["role"] = historical_role(m)
        out["metrics"][m.id] = entry
    return out


def historical_json(hist: Any) -> Any:
    """A historical value as JSON, on the scale of the runs' values beside it.

    A bound is its two ends; a time that never came, null; a yes/no, 1 or 0 like the runs.
    """
    if isinstance(hist, Bound):
        return {"at_least": _num(hist.low), "at_most": _num(hist.high)}
    return _num(math.inf if hist is None else float(hist))


def _num(x: float) -> float | None:
    """JSON has no infinity: 'never' is written as null."""
    return None if math.isinf(x) or math.isnan(x) else round(x, 6)


#: Metric kinds whose value is a time: they may not happen at all in a run.
TIME_KINDS = ("first", "contact", "belief_true")


def format_summary(scenario: Scenario, summary: Mapping[str, Any], variant: str | None) -> str:
    """The replication statistics as a table; `!` marks a historical value outside the 10–90 band.

    Each historical value shows its role (fitted, held-out, anchored): only a held-out value
    inside the band is evidence for the model.

    Names are never cut. For times, `happened` is the share of runs in which the event
    happened at all; the quantiles count the other runs as "never" (so a median of "never"
    means it happened in fewer than half); the mean is over the runs in which it happened.
    For a threshold ("reached"), `happened` is the share of runs that reached it.
    """
    done = summary.get("done", summary["reps"])
    runs = (f"{done} of {summary['reps']} replications (interrupted)" if summary.get("partial")
            else f"{summary['reps']} replications")
    lines = [f"{scenario.title}: {runs}, seed {summary['seed']}, variant {variant or '-'}"]
    if not summary["metrics"]:
        return "\n".join([*lines, "no replication finished"])
    width = max(len("metric"), *(len(m.label) for m in scenario.metrics))
    head = ("happened", "p10", "median", "p90", "mean*", scenario.history_name)
    lines.append(f"{'metric':<{width}} " + " ".join(f"{h:>9}" for h in head) + "  role")
    for m in scenario.metrics:
        e = summary["metrics"][m.id]
        if m.kind in TIME_KINDS:
            row = [f"{e['happened']:.1%}", *(show_value(m, e[k]) for k in ("p10", "median", "p90")),
                   show_value(m, e["mean"]) if e["mean"] is not None else "-"]
        elif m.kind in YES_NO_METRICS:
            row = [f"{e['mean']:.1%}" if e["mean"] is not None else "-", "-", "-", "-", "-"]
        else:
            row = ["-", *("-" if e[k] is None else f"{e[k]:.3g}" for k in ("p10", "median", "p90",
                                                                          "mean"))]
        hist = ""
        if "historical" in e:
            value = e["historical"]
            if isinstance(value, dict):  # a bound, as JSON writes it
                value = Bound(-math.inf if value["at_least"] is None else value["at_least"],
                              math.inf if value["at_most"] is None else value["at_most"])
            hist = show_value(m, value) + ("" if e["historical_in_band"] else " !")
        role = e.get("role", "")
        lines.append((f"{m.label:<{width}} " + " ".join(f"{c:>9}" for c in row)
                      + f" {hist:>9}  {role}").rstrip())
    lines.append("happened: share of runs in which it happened (times) or was reached (levels); "
                 "p10, median, p90 count the other runs as never")
    lines.append(f"* mean over the runs in which it happened; ! = the {scenario.history_name} value "
                 "lies outside the simulated 10th–90th percentile band")
    roles = {e["role"] for e in summary["metrics"].values() if "role" in e}
    lines.extend(f"{role}: {ROLE_MEANING[role]}" for role in ROLE_MEANING if role in roles)
    return "\n".join(lines)


__all__ = ["format_summary", "quantile", "run_replications"]
