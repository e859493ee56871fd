"""A process running replications freezes its job and collects less often, then gives it back;
on a pool, on Dask worker processes, and in this process for Dask worker threads."""

from __future__ import annotations

import gc
import weakref

from sim.whatif.gcpolicy import YOUNG_THRESHOLD, batch_gc, settle_each_job
from sim.whatif.plan import SweepSpec
from sim.whatif.runner import Options, sweep


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
