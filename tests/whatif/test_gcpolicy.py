"""A process running replications freezes its job, collects less often, and frees each world as it ends."""

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
from sim.whatif.gcpolicy import YOUNG_THRESHOLD, batch_gc, release, replication
from sim.whatif.plan import Plan, Point

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
