"""The delay budget of a time-to metric: which waits, on which links, made up the time to it.

For each run, the record the metric reads (the first matching statement, the call that
connected, the belief that crossed the threshold) is walked back to the run's start through
its causes (`sim.engine.tracing`): each step adds the waits between a record and the one it
followed from. That chain is the run's critical path: every minute of the metric's time lies
on exactly one wait of it (`unexplained` holds any minute the tracer could not label, which
should be none). Over many runs the waits are summed by link and kind of wait and divided by
the runs in which the metric happened: the mean minutes each (link, kind) contributed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sim.engine.metrics import MetricSet, _contact, matches
from sim.engine.params import ParameterError
from sim.engine.records import Record
from sim.engine.tracing import Cause, TracingWorld, Wait
from sim.scenario.models import TIME_METRICS, Scenario
from sim.whatif.plan import Plan

#: One run's paths, one per metric: the waits from minute 0, or None if it never happened.
Path = tuple[tuple[str, str, float], ...] | None


def target_index(metric_set: MetricSet, metric: Any, log: Sequence[Record],
                 truth: str | None = None) -> int | None:
    """Index of the record a time-to metric reads; None if it never happened (or at minute 0)."""
    value = metric_set.value(metric, log, truth)
    if value is None:
        return None
    at = float(value) if metric.kind != "contact" or metric.since != "first_attempt" else None
    for i, r in enumerate(log):
        if metric.kind == "first" and matches(metric.event, r, metric_set.public_channels):
            return i
        if metric.kind == "contact" and _contact(r, set(metric.between)):
            return i
        if metric.kind == "belief_true" and r.t == at and r.actor == metric.actor \
                and r.kind in ("belief", "question_belief"):
            return i
    return None


def critical_path(log: Sequence[Record], causes: Sequence[Cause], index: int) -> list[Wait]:
    """The waits from minute 0 to record `index`, earliest first, through its causes."""
    waits: list[Wait] = []
    i: int | None = index
    while i is not None:
        cause = causes[i]
        start = log[cause.parent].t if cause.parent is not None else 0.0
        gap = log[i].t - start - sum(w.minutes for w in cause.waits)
        if gap > 1e-6:
            waits.append(Wait("unexplained", log[i].kind, gap))
        waits.extend(reversed(cause.waits))
        i = cause.parent
    return waits[::-1]


@dataclass(frozen=True)
class BudgetJob:
    """Runs traced worlds and returns each run's critical path to each metric (a `Job`)."""

    scenario: Scenario
    """The validated scenario."""
    plan: Plan
    """One point (the parameters) and its replications."""
    metrics: tuple[str, ...]
    """Metric ids."""
    until: float | None = None
    """Stop at this minute (default: the scenario's end)."""

    @cached_property
    def metric_set(self) -> MetricSet:
        """Metric computer, built on first use in whichever process runs the job."""
        return MetricSet(self.scenario)

    def run(self, point: int, rep: int) -> tuple[Path, ...]:
        """One traced run; for each metric, its path (link, kind, minutes) or None."""
        world = TracingWorld(self.scenario, self.plan.seed_of(point, rep),
                             dict(self.plan.points[point].params))
        world.run(self.until)
        out: list[Path] = []
        by_id = {m.id: m for m in self.scenario.metrics}
        for metric_id in self.metrics:
            metric = by_id[metric_id]
            value = self.metric_set.value(metric, world.log, world.truth)
            if value is None:
                out.append(None)
                continue
            index = target_index(self.metric_set, metric, world.log, world.truth)
            path = critical_path(world.log, world.causes, index) if index is not None else []
            out.append(tuple((w.link, w.kind, w.minutes) for w in path))
        return tuple(out)

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "metric_set"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)


def check_metrics(scenario: Scenario, metrics: Sequence[str]) -> None:
    """Every metric named exists and is a time-to metric.

    Raises:
        ParameterError: one is not.
    """
    from sim.scenario.diagnostics import expected_one_of, suggest

    ids = [m.id for m in scenario.metrics]
    if not metrics:
        raise ParameterError("name at least one metric (--metric ID)")
    for metric in metrics:
        if metric not in ids:
            raise ParameterError(f"unknown metric {metric!r}{suggest(metric, ids)}; "
                                 f"{expected_one_of(ids)}")
        kind = scenario.metrics[ids.index(metric)].kind
        if kind not in TIME_METRICS:
            raise ParameterError(f"metric {metric} is a {kind} metric; a delay budget needs a "
                                 f"time-to metric ({', '.join(TIME_METRICS)})")


@dataclass
class Budget:
    """One metric's delay budget over runs."""

    metric: str
    """Metric id."""
    label: str
    """Metric label."""
    runs: int = 0
    """Runs taken in."""
    happened: int = 0
    """Runs in which the metric happened (the budget's denominator)."""
    total: float = 0.0
    """Sum over those runs of the metric's time."""
    by_wait: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    """(link, kind) → summed minutes."""

    def add(self, path: Path) -> None:
        """Take in one run's path."""
        self.runs += 1
        if path is None:
            return
        self.happened += 1
        for link, kind, minutes in path:
            self.by_wait[link, kind] += minutes
            self.total += minutes

    def rows(self) -> list[tuple[str, str, float, float]]:
        """(link, kind, mean minutes per run it happened, share of the time), largest first."""
        n = max(self.happened, 1)
        rows = [(link, kind, m / n, m / self.total if self.total else 0.0)
                for (link, kind), m in self.by_wait.items()]
        return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))

    def links(self) -> list[tuple[str, float, float]]:
        """(link, mean minutes, share), every kind of wait of a link together, largest first."""
        sums: dict[str, float] = defaultdict(float)
        for (link, _kind), m in self.by_wait.items():
            sums[link] += m
        n = max(self.happened, 1)
        rows = [(link, m / n, m / self.total if self.total else 0.0) for link, m in sums.items()]
        return sorted(rows, key=lambda r: (-r[1], r[0]))

    def to_json(self) -> dict[str, Any]:
        """The budget as JSON data."""
        return {"metric": self.metric, "label": self.label, "runs": self.runs,
                "happened": self.happened,
                "mean_minutes": round(self.total / self.happened, 6) if self.happened else None,
                "links": [{"link": link, "mean_minutes": round(m, 6), "share": round(s, 6)}
                          for link, m, s in self.links()],
                "waits": [{"link": link, "kind": kind, "mean_minutes": round(m, 6),
                           "share": round(s, 6)} for link, kind, m, s in self.rows()]}


def render_text(budgets: Sequence[Budget], heading: str, top: int = 15) -> str:
    """Each metric's budget: mean minutes by link, then by link and kind of wait (`top` rows each)."""
    from sim.durations import format_duration

    def table(rows: list[tuple[str, ...]], total: int) -> list[str]:
        shown = rows[: top + 1]
        widths = [max(len(r[c]) for r in shown) for c in range(len(shown[0]))]
        lines = ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                 for r in shown]
        if total > top:
            lines.append(f"  … and {total - top} more (--json has every one)")
        return lines

    out = [heading, ""]
    for b in budgets:
        mean = format_duration(b.total / b.happened) if b.happened else "–"
        out.append(f"{b.label} [{b.metric}]: happened in {b.happened} of {b.runs} runs; mean time "
                   f"{mean}, made of (mean per run where it happened):")
        if not b.happened:
            out.append("")
            continue
        links = b.links()
        out += table([("link", "mean", "share"), *((link, format_duration(m), f"{s:.1%}")
                                                    for link, m, s in links)], len(links))
        out.append("  by kind of wait:")
        rows = b.rows()
        out += table([("link", "wait", "mean", "share"),
                      *((link, kind, format_duration(m), f"{s:.1%}") for link, kind, m, s in rows)],
                     len(rows))
        out.append("")
    out.append("Each run's time to the metric is walked back from the record it reads through "
               "what each record followed from; every minute lies on one wait (docs/whatif.md).")
    return "\n".join(out)
