"""Choosing a seed to rehearse: the world, among N candidates, closest to the historical record.

Seed 0 is one draw among many: in it the scenario's central event may not happen at all (in
the Przewodów scenario's seed 0, AP never runs its false alert), while the debrief still asks
about it. A facilitator who wants to rehearse the history picks the candidate seed whose
automated run lies closest to the 2022 values of the scenario's metrics, among those in which
the key events they name happen: a metric id (its event happened, its level was reached), or
`ACTOR:KIND[:HYPOTHESIS]` for a record of the log (`ap:statement:russia-deliberate`: AP
published a claim of a deliberate Russian attack). The choice is explained: how close, what
happened, and what lies furthest from the record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sim.engine.metrics import MetricSet, MetricValue, historical_value
from sim.engine.records import Record
from sim.engine.world import World
from sim.scenario.models import Metric, Scenario

#: Minutes of difference from a 2022 time that count as a whole miss.
TIME_SCALE = 360.0
#: Metric kinds that are times (None: it never happened).
TIME_KINDS = ("first", "contact", "belief_true")


class RehearsalError(ValueError):
    """A key event that is not a metric of the scenario, or no candidate in which all happen."""


@dataclass(frozen=True)
class Candidate:
    """One candidate seed, run with nobody at the keyboard."""

    seed: int
    distance: float
    """Mean distance to the 2022 values, 0 (the record) to 1 (every metric missed)."""
    misses: tuple[tuple[str, float], ...]
    """(metric label, distance) of each metric with a 2022 value, furthest first."""
    happened: tuple[str, ...]
    """The key events asked for that happened."""


@dataclass(frozen=True)
class Choice:
    """The seed chosen and why."""

    best: Candidate
    tried: int
    qualified: int
    """Candidates in which every key event happened."""
    require: tuple[str, ...]

    def explain(self) -> str:
        """One paragraph for the facilitator."""
        b = self.best
        parts = [f"seed {b.seed}, of {self.tried} tried, is the closest to the 2022 record "
                 f"(distance {b.distance:.2f}, 0 = every metric as in 2022)"]
        if self.require:
            parts.append(f"key events that happen in it: {', '.join(self.require)} "
                         f"({self.qualified} of {self.tried} seeds had them all)")
        far = [f"{label} ({d:.0%} off)" for label, d in b.misses[:2] if d > 0]
        if far:
            parts.append("furthest from 2022: " + "; ".join(far))
        return "; ".join(parts) + "."


def distance(metric: Metric, value: MetricValue, historical: MetricValue) -> float:
    """How far a run's value lies from the 2022 value, from 0 (the same) to 1 (a miss)."""
    if metric.kind in TIME_KINDS:
        if value is None or historical is None:
            return 0.0 if value is None and historical is None else 1.0
        return min(1.0, abs(float(value) - float(historical)) / TIME_SCALE)
    if metric.kind == "reached":
        return float(bool(value) != bool(historical))
    return min(1.0, abs(float(value or 0) - float(historical or 0)) / max(1.0, float(historical or 0)))


def happened(metric: Metric, value: MetricValue) -> bool:
    """Whether a key event happened: a time that is not never, a level reached, a count > 0."""
    return bool(value) if metric.kind == "reached" else (
        value is not None if metric.kind in TIME_KINDS else bool(value))


def _in_log(pattern: str, log: Sequence[Record]) -> bool:
    """Whether `ACTOR:KIND[:HYPOTHESIS]` matches a record of the log."""
    actor, kind, *hypothesis = pattern.split(":")
    return any(r.actor == actor and r.kind == kind
               and (not hypothesis or r.data.get("hypothesis") == hypothesis[0]) for r in log)


def choose_seed(scenario: Scenario, params: Mapping[str, float], candidates: int = 20,
                require: Sequence[str] = (), seats: Sequence[str] = (),
                until: float | None = None) -> Choice:
    """Run seeds 0 to `candidates` − 1 headless and choose the one closest to 2022.

    Args:
        scenario: the scenario.
        params: the run's parameter values.
        candidates: how many seeds to try.
        require: key events that must happen in the chosen world: metric ids, or
            `ACTOR:KIND[:HYPOTHESIS]` patterns of log records.
        seats: actors people will play (they stay passive in the candidate runs, as in play).
        until: compare the runs up to this minute (default: the scenario's end).

    Raises:
        RehearsalError: an unknown metric id, or no candidate in which every key event happens.
    """
    metrics = {m.id: m for m in scenario.metrics}
    actors = {a.id for a in scenario.actors}
    for r in require:
        if r in metrics:
            continue
        parts = r.split(":")
        if len(parts) not in (2, 3) or parts[0] not in actors:
            raise RehearsalError(
                f"--require {r}: not a metric of {scenario.id} nor ACTOR:KIND[:HYPOTHESIS] "
                f"with an actor of it; expected e.g. {next(iter(metrics), 'a-metric')} or "
                f"{next(iter(actors), 'actor')}:statement")
    judged = [(m, historical_value(m, params)) for m in scenario.metrics]
    judged = [(m, h) for m, h in judged if h != "absent"]
    metric_set = MetricSet(scenario)
    found: list[Candidate] = []
    for seed in range(candidates):
        world = World(scenario, seed, dict(params), seats=seats)
        world.run(until)
        values = metric_set.compute(world.log)
        if not all(happened(metrics[r], values[r]) if r in metrics else _in_log(r, world.log)
                   for r in require):
            continue
        misses = sorted(((m.label, distance(m, values[m.id], h)) for m, h in judged),
                        key=lambda x: -x[1])
        mean = sum(d for _, d in misses) / len(misses) if misses else 0.0
        found.append(Candidate(seed, round(mean, 6), tuple(misses), tuple(require)))
    if not found:
        raise RehearsalError(f"none of seeds 0 to {candidates - 1} has all of "
                             f"{', '.join(require)} happen; try more candidates (--rehearse N)")
    best = min(found, key=lambda c: (c.distance, c.seed))
    return Choice(best, candidates, len(found), tuple(require))


__all__ = ["Candidate", "Choice", "RehearsalError", "choose_seed"]
