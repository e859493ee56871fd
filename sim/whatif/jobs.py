"""The work a replication does in a worker: build a world, run it, keep only its metrics.

A job is pickled to each worker once (a pool initializer, or Dask `scatter`); after that a
worker receives only (point, first replication, count) and sends back one row per run.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from sim.engine.metrics import MetricSet, MetricValue, Truths
from sim.engine.recording import Recording
from sim.engine.records import Record
from sim.engine.world import World
from sim.scenario.models import Scenario
from sim.whatif.gcpolicy import release, replication
from sim.whatif.plan import Plan

#: One run's outcome: every metric's value in the scenario's order, then the peak ladder rung.
Row = tuple[MetricValue, ...]


class Job(Protocol):
    """Something a worker can run replication by replication."""

    scenario: Scenario
    plan: Plan

    def run(self, point: int, rep: int) -> Row:
        """Run replication `rep` of `point` and return its row."""
        ...


@dataclass(frozen=True)
class Chunk:
    """Replications `first` to `first + count - 1` of each of `points`, the unit of work."""

    index: int
    """Position in hand-out order; results are put back in this order."""
    points: tuple[int, ...]
    """Points run, in order, for each replication."""
    first: int
    """First replication."""
    count: int
    """Replications of each point."""

    def cells(self, point_major: bool) -> Iterator[tuple[int, int]]:
        """(point, replication) of each row, in the order the worker returns them."""
        reps = range(self.first, self.first + self.count)
        if point_major:
            return ((p, r) for p in self.points for r in reps)
        return ((p, r) for r in reps for p in self.points)


def run_chunk(job: Job, chunk: Chunk) -> tuple[list[Row], float]:
    """A chunk's rows and the seconds they took (which sizes later chunks)."""
    start = time.perf_counter()
    point_major = not job.plan.paired
    rows = []
    for p, r in chunk.cells(point_major):
        with replication():  # its world is freed at the end of the block, in one collection
            rows.append(job.run(p, r))
    return rows, time.perf_counter() - start


class Measure:
    """Turns a run's log into its row; built once per job in each worker."""

    def __init__(self, scenario: Scenario) -> None:
        self.metric_set = MetricSet(scenario)
        self.start_peak = max(self.metric_set.start_levels.values(), default=0)
        #: What a batch run must log for this row: the metrics' kinds and `posture` (the peak).
        self.recording = Recording.for_metrics(scenario, ("posture",))

    def __call__(self, log: list[Record], truth: Truths = None, *,
                 end: float | None = None) -> Row:
        """The row of a finished run (`truth`: the run's, when its variant set one).

        `end`: a batch run's `World.last_t`, since its log may stop before its last record.
        """
        values = self.metric_set.compute(log, truth, end=end)
        peak = max((r.data["rung"] for r in log if r.kind == "posture"), default=0)
        return (*values.values(), max(peak, self.start_peak))


@dataclass(frozen=True)
class ScenarioJob:
    """Replications of a scenario from its start, at each point's parameter values."""

    scenario: Scenario
    """The validated scenario."""
    plan: Plan
    """Points, replications and seeds."""
    until: float | None = None
    """Stop at this minute (default: the scenario's end)."""

    @cached_property
    def measure(self) -> Measure:
        """The row maker, built on first use in whichever process runs the job."""
        return Measure(self.scenario)

    def run(self, point: int, rep: int) -> Row:
        """Run replication `rep` of `point` from minute 0 in batch mode; only its metrics are kept."""
        measure = self.measure
        world = World(self.scenario, self.plan.seed_of(point, rep), dict(self.plan.points[point].params),
                      recording=measure.recording)
        world.run(self.until)
        row = measure(world.log, world.truths, end=world.last_t)
        release(world.env)
        return row

    def __getstate__(self) -> dict[str, object]:
        # the cached row maker is rebuilt in the worker rather than shipped
        return {k: v for k, v in self.__dict__.items() if k != "measure"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
