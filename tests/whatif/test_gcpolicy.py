"""A process running replications freezes its job, collects less often, and frees each world as it
ends; on a pool, on Dask worker processes, and in this process for Dask worker threads."""

from __future__ import annotations

import gc
import math
import weakref
from pathlib import Path
from typing import Any

import pytest

from sim.engine.params import resolve_params
from sim.engine.world import World
from sim.scenario import load_scenario
from sim.whatif import jobs
from sim.whatif.gcpolicy import (
    YOUNG_THRESHOLD,
    batch_gc,
    release,
    replication,
    settle_each_job,
)
from sim.whatif.plan import Plan, Point, SweepSpec
from sim.whatif.runner import Options, sweep

POLAND = Path(__file__).resolve().parents[2] / "scenarios" / "poland-2022.yaml"


class _Job:
    built = 0

    @property
    def measure(self) -> object:
        _Job.built += 1
        return object()


def test_batch_gc_builds_the_job_freezes_and_restores() -> None:
    before = gc.get_threshold()
    with batch_gc(_Job()):
        assert _Job.built == 1
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


class _Cycle:
    """An object that refers to itself: only the cyclic collector frees it."""


def test_a_long_lived_worker_settles_each_new_job_once() -> None:
    before = gc.get_threshold()
    first, second = _Job(), _Job()
    built = _Job.built
    cycle = _Cycle()
    cycle.me = cycle  # type: ignore[attr-defined]
    dead = weakref.ref(cycle)
    try:
        settle_each_job(first)
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        del cycle  # garbage now, but frozen with the first job
        settle_each_job(first)  # the job's later chunks: nothing more
        gc.collect()
        assert _Job.built == built + 1
        assert gc.get_freeze_count() == frozen
        assert dead() is not None
        settle_each_job(second)  # a new job: what the last one froze is collected
        assert _Job.built == built + 2
        assert dead() is None
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_dask_worker_processes_settle_and_the_caller_keeps_its_collector(tiny) -> None:
    import logging

    from distributed import Client, LocalCluster

    before = gc.get_threshold()
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        summary = sweep(tiny, SweepSpec(grid={"answer_p": ["0.5"]}, reps=20, seed=1),
                        Options(backend="dask", scheduler=cluster.scheduler_address))
        assert summary.done == 20
        with Client(cluster) as client:
            (threshold,) = client.run(gc.get_threshold).values()
            (frozen,) = client.run(gc.get_freeze_count).values()
    assert threshold[0] == YOUNG_THRESHOLD
    assert frozen > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_dask_threads_settle_the_calling_process_while_they_run(tiny) -> None:
    before = gc.get_threshold()
    seen = []
    sweep(tiny, SweepSpec(grid={"answer_p": ["0.5"]}, reps=20, seed=1),
          Options(backend="dask", workers=1, processes=False,
                  progress=lambda done, total: seen.append(gc.get_threshold()[0])))
    assert seen
    assert set(seen) == {YOUNG_THRESHOLD}
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_replication_turns_the_collector_off_and_collects_its_leftovers_after() -> None:
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    with replication():
        assert not gc.isenabled()
        left = weakref.ref(Cycle())
        assert left() is not None  # a cycle: nothing frees it while the block runs
    assert gc.isenabled()
    assert left() is None


def test_replication_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    try:
        with replication():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_chunk_of_replications_leaves_no_world_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """A world stopped mid-run is held by cycles (its processes and pending events); each is
    freed as its replication ends."""
    worlds: list[weakref.ref[World]] = []

    class Watched(World):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            worlds.append(weakref.ref(self))

    monkeypatch.setattr(jobs, "World", Watched)
    scenario = load_scenario(POLAND)
    params = resolve_params(scenario)
    plan = Plan(points=(Point(0, "base", {}, params),), reps=3, seed=0)
    gc.disable()  # only the policy's own collections may free them
    try:
        rows, _ = jobs.run_chunk(jobs.ScenarioJob(scenario, plan, until=120.0), jobs.Chunk(0, (0,), 0, 3))
        assert len(rows) == len(worlds) == 3
        assert [w() for w in worlds] == [None, None, None]
    finally:
        gc.enable()


def test_release_drops_what_is_still_due() -> None:
    scenario = load_scenario(POLAND)
    world = World(scenario, 1, resolve_params(scenario))
    world.run(60)
    assert world.env.peek() < math.inf
    release(world.env)
    assert world.env.peek() == math.inf
