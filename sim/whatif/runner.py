"""The what-if API: run a sweep or a paired comparison and get its `Summary`.

The CLI, the UI and `hotline run --reps` all come through here, so one piece of code decides
seeds, chunking and statistics.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from sim.scenario.models import Scenario
from sim.whatif.execute import execute
from sim.whatif.jobs import Job, ScenarioJob
from sim.whatif.plan import Plan, SweepSpec, arm_points, build_plan
from sim.whatif.rawcsv import RawWriter
from sim.whatif.summary import Summary


@dataclass
class Options:
    """How to run: where, on how many workers, what to report along the way."""

    backend: str = "local"
    """`local` (process pool, or this process with one worker) or `dask`."""
    workers: int | None = None
    """Workers; default: every core."""
    scheduler: str | None = None
    """Address of a running Dask scheduler."""
    processes: bool = True
    """Dask LocalCluster workers as processes (True) or threads."""
    chunk_size: int | None = None
    """Replications per chunk; default: sized automatically (results do not depend on it)."""
    csv: TextIO | None = None
    """Where to write the raw per-run metrics."""
    progress: Callable[[int, int], None] | None = None
    """Called with (done, total) as work finishes."""
    cancelled: Callable[[], bool] | None = None
    """Polled between chunks; True stops early and keeps what finished."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Added to the summary's JSON."""


def run_job(job: Job, options: Options | None = None, *, variant: str | None = None) -> Summary:
    """Run a job's plan and summarise it; with `options.csv`, write every run's row too."""
    options = options or Options()
    summary = Summary.start(job.scenario, job.plan, variant)
    summary.extra.update(options.extra)
    writer = RawWriter(options.csv, job.plan, summary.layout) if options.csv is not None else None

    def deliver(point: int, rep: int, row: tuple[Any, ...]) -> None:
        summary.add(point, rep, row)
        if writer is not None:
            writer.add(point, rep, row)

    summary.outcome = execute(job, deliver, backend=options.backend, workers=options.workers,
                              scheduler=options.scheduler, processes=options.processes,
                              chunk_size=options.chunk_size, progress=options.progress,
                              cancelled=options.cancelled)
    return summary


def sweep(scenario: Scenario, spec: SweepSpec, options: Options | None = None, *,
          until: float | None = None) -> Summary:
    """Run a sweep: every point of `spec`, `spec.reps` times each.

    Raises:
        ParameterError: the sweep does not fit the scenario.
    """
    plan = build_plan(scenario, spec)
    return run_job(ScenarioJob(scenario, plan, spec.until if until is None else until), options,
                   variant=spec.variant or scenario.default_variant)


@dataclass(frozen=True)
class Arm:
    """One side of a comparison: a variant and parameter overrides."""

    label: str
    """Name in tables: the variant's name, or A/B."""
    variant: str | None = None
    """Variant (default: the scenario's own)."""
    overrides: Mapping[str, Any] = field(default_factory=dict)
    """Parameter values on top of the variant."""


def compare_plan(scenario: Scenario, a: Arm, b: Arm, reps: int, seed: int) -> Plan:
    """The plan of a paired comparison: two arms on the same seeds.

    Raises:
        ParameterError: an unknown variant or parameter, a bad value, or fewer than one rep.
    """
    from sim.engine.params import ParameterError

    if reps < 1:
        raise ParameterError("--reps must be at least 1")
    points = arm_points(scenario, [(a.label, a.variant, a.overrides), (b.label, b.variant, b.overrides)])
    return Plan(points=points, reps=reps, seed=seed, common_seeds=True, paired=True)


def compare(scenario: Scenario, a: Arm, b: Arm, *, reps: int, seed: int = 0,
            until: float | None = None, options: Options | None = None) -> Summary:
    """Compare two arms paired on the same seeds: each metric's B − A with its 95% CI.

    Raises:
        ParameterError: an unknown variant or parameter, or a bad value.
    """
    plan = compare_plan(scenario, a, b, reps, seed)
    return run_job(ScenarioJob(scenario, plan, until), options)
