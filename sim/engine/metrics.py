"""Metrics and objectives, computed from an event log alone."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim.engine.escalation import false_premise_minutes
from sim.engine.logindex import LogIndex
from sim.engine.records import Record
from sim.scenario.events import EventPattern
from sim.scenario.models import MetricBase, Objective, Scenario
from sim.scenario.values import is_param

#: A metric's value in one run: minutes (None: never happened), a count, a rung, or a yes/no.
#: A run's ground truth: the key question's, or every question's in order (`World.truths`).
Truths = str | Sequence[str] | None

MetricValue = float | int | bool | None


def matches(pattern: EventPattern, record: Record, public_channels: set[str]) -> bool:
    """Whether a record matches an event pattern."""
    if pattern.kind and record.kind not in pattern.kind:
        return False
    for key in ("actor", "counterpart", "channel"):
        want = getattr(pattern, key)
        if want is not None and getattr(record, key) != want:
            return False
    data = record.data
    if pattern.inject is not None and data.get("inject") != pattern.inject:
        return False
    if pattern.hypothesis is not None and data.get("hypothesis") != pattern.hypothesis:
        return False
    if pattern.measure is not None and data.get("measure") != pattern.measure:
        return False
    if pattern.public is not None:
        public = record.kind == "statement" and record.channel in public_channels and bool(
            data.get("public", True))
        if public != pattern.public:
            return False
    return pattern.correct is None or (
        "correct" in data and bool(data["correct"]) == pattern.correct)


#: The record kinds each kind of metric reads, besides those of its event pattern (`first`).
METRIC_READS: dict[str, tuple[str, ...]] = {
    "first": (),
    "contact": ("call_attempt", "call_connected", "meeting_convened"),
    "failed_calls": ("call_failed",),
    "belief_true": ("belief", "question_belief"),
    "decided": ("decision",),
    "false_premise": ("posture", "belief"),
    "peak_posture": ("posture",),
    "reached": ("posture",),
}


def reads(metric: Any) -> list[tuple[tuple[str, ...], str | None, str | None]]:
    """The slices of the log a metric reads, each (kinds, actor, channel), None for any.

    Wider is always safe (a metric filters its records again); narrower must never miss one.
    """
    kind = metric.kind
    if kind == "first":
        return [(tuple(metric.event.kind), metric.event.actor, metric.event.channel)]
    if kind == "failed_calls":
        return [(METRIC_READS[kind], metric.actor, metric.channel)]
    if kind == "contact":
        # a call between the pair was placed by one of them, so it is in one end's slice; a
        # meeting's convener may be anyone: reading every call instead made K copies' contact
        # metrics cost K x K records
        calls = ("call_attempt", "call_connected")
        return [*((calls, end, None) for end in dict.fromkeys(metric.between)),
                (("meeting_convened",), None, None)]
    return [(METRIC_READS[kind], getattr(metric, "actor", None), None)]


def _measures(metric: Any) -> str:
    """What a metric measures, without its name and words: equal for metrics that always agree."""
    return metric.model_dump_json(exclude=set(MetricBase.model_fields))


class MetricSet:
    """Computes a scenario's metrics from logs; build once per scenario, reuse for every run."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.metrics = list(scenario.metrics)
        self.public_channels = {c.id for c in scenario.channels
                                if c.kind == "broadcast" and c.public}
        self.truth = scenario.question.truth
        self.index = {lv.id: i for i, lv in enumerate(scenario.ladder)}
        self.start_levels = {a.id: self.index[a.posture] if a.posture else 0
                             for a in scenario.actors}
        hyps = [h.id for h in scenario.question.hypotheses]
        self.start_beliefs = {a.id: a.belief or {h: 1 / len(hyps) for h in hyps}
                              for a in scenario.actors}
        # each metric reads only its slice of the log, split off in one pass (`LogIndex`)
        self._index = LogIndex()
        self._slots = [tuple(self._index.want(*r) for r in reads(m)) for m in self.metrics]
        # metrics that measure the same thing under other names are computed once (in a
        # scenario of many copies, each copy's "first public statement" is the same metric)
        firsts: dict[str, int] = {}
        self._same = [firsts.setdefault(_measures(m), i) for i, m in enumerate(self.metrics)]

    def compute(self, log: Sequence[Record], truth: Truths = None, *,
                end: float | None = None) -> dict[str, MetricValue]:
        """Every metric's value for one run's log, by metric id.

        `truth` is the run's ground truth when a variant changed it (`params.truth_of`): the
        key question's, or every question's in order (`World.truths`), so that a time-to-truth
        metric on a further question reads the variant's truth too;
        `end` is the minute of the run's last record when the log left some out (a batch run's
        `World.last_t`), default the log's last.
        """
        if end is None:
            end = log[-1].t if log else 0.0
        slices = self._index.split(log)
        values: list[MetricValue] = []
        for i, (metric, slots, same) in enumerate(zip(self.metrics, self._slots, self._same,
                                                      strict=True)):
            values.append(values[same] if same < i else
                          self.value(metric, _merged([slices[s] for s in slots]), truth, end=end))
        return {m.id: v for m, v in zip(self.metrics, values, strict=True)}

    def value(self, metric: Any, log: Sequence[Record], truth: Truths = None, *,
              end: float | None = None) -> MetricValue:
        """One metric's value for one run's log (`end` as for `compute`)."""
        kind = metric.kind
        if kind == "first":
            return next((r.t for r in log if matches(metric.event, r, self.public_channels)), None)
        if kind == "contact":
            pair = set(metric.between)
            first_attempt = next((r.t for r in log if r.kind == "call_attempt"
                                  and {r.actor, r.counterpart} == pair), None)
            met = next((r.t for r in log if _contact(r, pair)), None)
            if met is None:
                return None
            if metric.since == "first_attempt":
                return None if first_attempt is None else met - min(first_attempt, met)
            return met
        if kind == "failed_calls":
            return sum(1 for r in log if r.kind == "call_failed"
                       and (metric.actor is None or r.actor == metric.actor)
                       and (metric.channel is None or r.channel == metric.channel))
        if kind == "belief_true":
            return self._time_to_truth(metric, log, truth)
        if kind == "decided":
            return any(r.kind == "decision" and r.data.get("decision") == metric.decision
                       and r.data.get("passed") for r in log)
        if kind == "false_premise":
            at_least = self.index[metric.at_least] if metric.at_least else 1
            if end is None:
                end = log[-1].t if log else 0.0
            return false_premise_minutes(log, self._truth_of(truth, 0), self.start_levels,
                                         self.start_beliefs, at_least, end, metric.actor)
        levels = self._levels(log, getattr(metric, "actor", None))
        if kind == "peak_posture":
            return max(levels)
        return max(levels) >= self.index[metric.level]  # reached

    def _truth_of(self, truth: Truths, question: int) -> str:
        """The run's truth of question `question` (0 the key one), or the file's."""
        if isinstance(truth, str):
            truth = (truth,)
        if truth and question < len(truth):
            return truth[question]
        return self.truth if question == 0 else self.scenario.questions[question - 1].truth

    def _time_to_truth(self, metric: Any, log: Sequence[Record], truths: Truths) -> MetricValue:
        """Minutes until an actor's belief in the truth reaches the threshold.

        On the key question the run's truth; on a further question (`metric.question`), the
        run's truth of that question, read from its `question_belief` records.
        """
        kind, question = "belief", None
        truth = self._truth_of(truths, 0)
        start = self.start_beliefs[metric.actor]
        if metric.question is not None:
            i, further = next((i, q) for i, q in enumerate(self.scenario.questions, 1)
                              if q.id == metric.question)
            kind, question, truth = "question_belief", further.id, self._truth_of(truths, i)
            hypotheses = [h.id for h in further.hypotheses]
            start = self.scenario.actor(metric.actor).beliefs.get(further.id) or {
                h: 1 / len(hypotheses) for h in hypotheses}
        if start.get(truth, 0) >= metric.threshold:
            return 0.0
        return next((r.t for r in log if r.kind == kind and r.actor == metric.actor
                     and r.data.get("question") == question
                     and r.data["belief"].get(truth, 0) >= metric.threshold), None)

    def _levels(self, log: Iterable[Record], actor: str | None) -> list[int]:
        start = [lv for a, lv in self.start_levels.items() if actor is None or a == actor]
        return start + [r.data["rung"] for r in log
                        if r.kind == "posture" and (actor is None or r.actor == actor)]


def _merged(parts: list[list[Record]]) -> Sequence[Record]:
    """Slices of one log as one, in time order.

    Only a contact metric reads more than one, and it asks when things first happened, which
    the order of records at the same minute does not change.
    """
    if len(parts) == 1:
        return parts[0]
    return list(heapq.merge(*parts, key=_minute))


def _minute(record: Record) -> float:
    return record.t


def _contact(record: Record, pair: set[str]) -> bool:
    if record.kind == "call_connected":
        return {record.actor, record.counterpart} == pair
    if record.kind == "meeting_convened":
        return pair <= set(record.data.get("members", ()))
    return False


def objective_met(objective: Objective, value: MetricValue) -> bool:
    """Whether one run's metric value meets an objective."""
    if objective.within is not None:
        return value is not None and value <= objective.within
    if objective.expect is not None:
        return bool(value) == objective.expect
    if value is None:
        return False
    ok = True
    if objective.at_most is not None:
        ok = ok and value <= objective.at_most
    if objective.at_least is not None:
        ok = ok and value >= objective.at_least
    return ok


@dataclass(frozen=True)
class Bound:
    """A historical time known only as a bound: no later than `high`, no earlier than `low`."""

    low: float = -math.inf
    """Minutes; -inf when only an upper bound is known."""
    high: float = math.inf
    """Minutes; +inf when only a lower bound is known."""

    def overlaps(self, p10: float, p90: float) -> bool:
        """Whether a simulated 10–90 band is consistent with the bound (the two overlap)."""
        return p10 <= self.high and self.low <= p90


#: What each role of a historical value means, as the tables say it.
ROLE_MEANING = {
    "fitted": "used to set parameters: a fit, not a test",
    "held-out": "nothing was set from it: a test of the model",
    "anchored": "set by an inject, a schedule or a sourced evidence window: tests nothing",
}


def historical_role(metric: Any) -> str | None:
    """The role of a metric's historical value (`fitted` when the file names none); None if none."""
    return None if metric.historical is None else metric.historical.role


def historical_value(metric: Any, params: Mapping[str, float] | None = None) -> MetricValue | Bound | str:
    """The historical value of a metric in the units of its simulated value; 'absent' if none.

    A time known only as a bound (`at_most`, `at_least`) is a `Bound`.
    """
    h = metric.historical
    if h is None:
        return "absent"

    def minutes(v: Any) -> float:
        return (params or {})[v[1:]] if is_param(v) else float(v)

    if h.at_most is not None or h.at_least is not None:
        return Bound(-math.inf if h.at_least is None else minutes(h.at_least),
                     math.inf if h.at_most is None else minutes(h.at_most))
    if h.never:
        return None
    if h.at is not None:
        return (params or {})[h.at[1:]] if is_param(h.at) else float(h.at)
    if h.count is not None:
        return h.count
    return h.reached
