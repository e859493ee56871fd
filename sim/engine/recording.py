"""What a run records: every kind of record (a full run), or only the kinds someone reads.

Statistics runs (`run --reps`, sweeps, comparisons) keep no log beyond their metrics, so a
batch run records only the kinds its metrics read and the kinds the engine itself reads back
(`happened` conditions, wherever the scenario writes an event pattern). Dropping a record
changes nothing else in the run: no draw is keyed to the log, so the kept records are the
same, in the same order, as in a full run. Work this out once per job (`for_metrics`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sim.engine.metrics import METRIC_READS
from sim.scenario.events import EVENT_KINDS, EventPattern
from sim.scenario.models import Scenario
from sim.scenario.vocabulary import models_in


@dataclass(frozen=True)
class Recording:
    """The record kinds a run leaves out of its log; none in a full run."""

    dropped: frozenset[str] = frozenset()
    """Kinds neither the metrics nor the engine read: never built, never logged."""

    @classmethod
    def for_metrics(cls, scenario: Scenario, reads: Iterable[str] = ("posture",)) -> Recording:
        """A batch run's recording: the scenario's metrics' kinds, `reads`, and the engine's own.

        Args:
            scenario: the validated scenario; its metrics and every event pattern it holds.
            reads: further kinds the caller reads (a row's peak rung reads `posture`).
        """
        kept = set(reads)
        for metric in scenario.metrics:
            kept.update(METRIC_READS[metric.kind])
        for pattern in _patterns(scenario):
            if not pattern.kind:  # any kind matches: nothing may be left out
                return cls()
            kept.update(pattern.kind)
        return cls(frozenset(EVENT_KINDS) - kept)

    def keeps(self, kind: str) -> bool:
        """Whether records of `kind` are logged."""
        return kind not in self.dropped


def _patterns(scenario: Scenario) -> Iterator[EventPattern]:
    """Every event pattern anywhere in a scenario: metrics', conditions', triggers'."""
    return (m for m in models_in(scenario) if isinstance(m, EventPattern))


#: A full run: every record is logged.
FULL = Recording()

__all__ = ["FULL", "Recording"]
