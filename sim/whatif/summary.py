"""Per-point statistics of a sweep, fed one run at a time: metrics, objectives, ladder levels.

For each point and metric: n, mean, sd, median, p10/p90 and the 95% CI of the mean; for each
objective and ladder level, the probability of meeting or reaching it with its 95% CI. Time
metrics that never happened count as +infinity in quantiles ("never") and are left out of the
mean, which is the mean time *given* it happened; `happened` is the share of runs where it did.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sim.engine.metrics import MetricValue, objective_met
from sim.scenario.models import TIME_METRICS, YES_NO_METRICS, Objective, Scenario
from sim.whatif.jobs import Row
from sim.whatif.plan import Plan
from sim.whatif.stats import RunningStats, ValueStore, wilson, within


@dataclass(frozen=True)
class MetricInfo:
    """What the summaries need to know of a metric."""

    id: str
    label: str
    kind: str
    """The metric's kind: first, contact, belief_true (times), failed_calls, peak_posture, reached."""

    @property
    def is_time(self) -> bool:
        """A time-to metric, which may never happen."""
        return self.kind in TIME_METRICS

    @property
    def is_yes_no(self) -> bool:
        """A reached metric: a probability over runs."""
        return self.kind in YES_NO_METRICS


@dataclass(frozen=True)
class Layout:
    """The columns of a row: metrics in scenario order, then the peak rung; objectives; levels."""

    metrics: tuple[MetricInfo, ...]
    objectives: tuple[tuple[Objective, int], ...]
    """Each objective and the index of the metric it judges."""
    levels: tuple[tuple[str, str], ...]
    """Ladder levels above the lowest, (id, label), lowest first; level k is rung k + 1."""

    @classmethod
    def of(cls, scenario: Scenario) -> Layout:
        """The layout of a scenario's rows."""
        metrics = tuple(MetricInfo(m.id, m.label, m.kind) for m in scenario.metrics)
        index = {m.id: i for i, m in enumerate(metrics)}
        objectives = tuple((o, index[o.metric]) for o in scenario.objectives if o.metric in index)
        levels = tuple((lv.id, lv.label) for lv in scenario.ladder[1:])
        return cls(metrics, objectives, levels)


def as_number(info: MetricInfo, value: MetricValue) -> float:
    """A metric value as a float: `never` is +infinity, yes/no are 1/0."""
    if value is None:
        return math.inf
    return float(value)


class PointStats:
    """Streaming statistics of one point's runs."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.n = 0
        """Runs taken in."""
        self.moments = [RunningStats() for _ in layout.metrics]
        """Per metric: mean and spread (of the runs where a time metric happened)."""
        self.values = [ValueStore() for _ in layout.metrics]
        """Per metric: every value, for quantiles and distributions (never = +inf)."""
        self.happened = [0] * len(layout.metrics)
        """Per metric: runs where it happened (time metrics) or was yes (reached)."""
        self.met = [0] * len(layout.objectives)
        """Per objective: runs that met it."""
        self.reached = [0] * len(layout.levels)
        """Per ladder level above the lowest: runs whose peak rung reached it."""

    def add(self, row: Row) -> None:
        """Take in one run's row."""
        self.n += 1
        for i, info in enumerate(self.layout.metrics):
            x = as_number(info, row[i])
            self.values[i].add(x)
            if math.isfinite(x):
                self.moments[i].add(x)
            if (info.is_time and row[i] is not None) or (info.is_yes_no and row[i]):
                self.happened[i] += 1
        for k, (objective, i) in enumerate(self.layout.objectives):
            self.met[k] += objective_met(objective, row[i])
        peak = int(row[len(self.layout.metrics)] or 0)
        for k in range(min(peak, len(self.reached))):
            self.reached[k] += 1

    def metric(self, i: int) -> dict[str, Any]:
        """The statistics of metric `i` (times in minutes; None for never or undefined)."""
        info, m, v = self.layout.metrics[i], self.moments[i], self.values[i]
        # every metric is a time, a count or a rung: never below 0; a rung never above the top
        top = len(self.layout.levels) if info.kind == "peak_posture" else math.inf
        out: dict[str, Any] = {"n": self.n, "mean": num(m.mean if m.n else math.nan),
                               "sd": num(m.sd), "ci": [num(x) for x in within(m.ci(), 0, top)]}
        if info.is_yes_no:
            out["ci"] = [num(x) for x in wilson(self.happened[i], self.n)]
        out.update(median=num(v.quantile(0.5)), p10=num(v.quantile(0.1)), p90=num(v.quantile(0.9)))
        if info.is_time:
            out["happened"] = num(self.happened[i] / self.n if self.n else math.nan)
            out["happened_ci"] = [num(x) for x in wilson(self.happened[i], self.n)]
        return out

    def probability(self, count: int) -> dict[str, Any]:
        """A share of runs with its 95% Wilson interval."""
        return {"p": num(count / self.n if self.n else math.nan),
                "ci": [num(x) for x in wilson(count, self.n)]}

    def to_json(self) -> dict[str, Any]:
        """Everything, by metric, objective and level id."""
        layout = self.layout
        return {
            "n": self.n,
            "metrics": {info.id: self.metric(i) for i, info in enumerate(layout.metrics)},
            "objectives": {o.id: self.probability(self.met[k])
                           for k, (o, _) in enumerate(layout.objectives)},
            "levels": {lv: self.probability(self.reached[k]) for k, (lv, _) in enumerate(layout.levels)},
        }


def num(x: float) -> float | None:
    """A number for JSON: rounded to 6 places; None for infinity ("never") and NaN."""
    if x is None or math.isinf(x) or math.isnan(x):
        return None
    return round(x, 6) + 0.0


@dataclass
class Summary:
    """A finished (or stopped) sweep or comparison: plan, per-point statistics, pairing."""

    scenario: Scenario
    plan: Plan
    layout: Layout
    points: list[PointStats]
    comparison: Any = None
    """A `Comparison` of two arms for a paired plan, else None."""
    variant: str | None = None
    """The variant the points start from."""
    outcome: Any = None
    """How the run ended (`execute.Outcome`), once it has."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Context for the JSON: e.g. the fork minute."""

    @classmethod
    def start(cls, scenario: Scenario, plan: Plan, variant: str | None = None) -> Summary:
        """An empty summary ready to take in runs."""
        from sim.whatif.compare import Comparison

        layout = Layout.of(scenario)
        comparison = Comparison(layout) if plan.paired and len(plan.points) == 2 else None
        return cls(scenario, plan, layout, [PointStats(layout) for _ in plan.points], comparison,
                   variant)

    def add(self, point: int, rep: int, row: Row) -> None:
        """Take in one run (in plan order)."""
        self.points[point].add(row)
        if self.comparison is not None:
            self.comparison.add(point, rep, row)

    @property
    def partial(self) -> bool:
        """Whether the run stopped before every replication finished."""
        return bool(self.outcome and self.outcome.partial)

    @property
    def done(self) -> int:
        """Runs taken in."""
        return sum(p.n for p in self.points)

    def to_json(self) -> dict[str, Any]:
        """The summary as JSON data: the same for the same seed on every backend."""
        plan = self.plan
        out: dict[str, Any] = {
            "scenario": self.scenario.id, "title": self.scenario.title,
            "variant": self.variant, "seed": plan.seed, "reps": plan.reps,
            "swept": list(plan.swept), "common_seeds": plan.common_seeds,
            "done": self.done, "total": plan.total, "partial": self.done < plan.total,
            "metrics": {m.id: {"label": m.label, "kind": m.kind} for m in self.layout.metrics},
            "points": [{"index": p.index, "label": p.label,
                        "setting": {k: num(v) for k, v in p.setting.items()},
                        **stats.to_json()} for p, stats in zip(plan.points, self.points, strict=True)],
        }
        if self.comparison is not None:
            out["comparison"] = self.comparison.to_json(plan.points[0].label, plan.points[1].label)
        out.update(self.extra)
        return out
