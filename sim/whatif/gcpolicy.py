"""Garbage collection for processes that run replications: the job frozen, collections rarer.

A replication leaves cycles behind (a world, its SimPy environment and the processes that
hold it), so the collector must run; but a full collection walks every object in the process,
the loaded scenario included, which at K = 100 copies made collections cost more than runs.
Once a worker holds its job, everything alive is moved out of the collector's sight
(`gc.freeze`), and the youngest generation is collected less often.

A replication itself runs with the collector off, and its leftovers are collected once when it
ends (`replication`). A world grows for as long as it runs (its records, ledgers, pending
events), so a collection during a run traces what is still alive, again and again: at K = 100
disjoint copies of Poland a world holds a million objects, and collections during the run cost
more per event than the whole run at K = 1. A replication makes no garbage cycles as it goes,
only one at its end (SimPy's suspended processes and their events hold the world), so one
collection of the youngest generation per replication frees it, at a cost in proportion to it.

A pool worker settles once, in its initializer. A Dask worker lives longer than one job (a
cluster serves one sweep after another) and receives its job with its first chunk, so it
settles on the first chunk of each new job (`settle_each_job`). Dask workers that are threads
of the calling process leave that process's collector to the caller (`batch_gc`).
"""

from __future__ import annotations

import contextlib
import gc
import threading
import weakref
from collections.abc import Iterator

import simpy

#: Allocations between collections of the youngest generation (CPython's default is 700).
YOUNG_THRESHOLD = 20_000


def settle(job: object) -> None:
    """A worker holds `job`: build what the job builds once, then freeze it and space collections.

    For a process that runs nothing but replications (a pool worker); `batch_gc` undoes it.
    """
    getattr(job, "measure", None)  # the row maker (metrics compiled once) is part of the job
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


@contextlib.contextmanager
def batch_gc(job: object) -> Iterator[None]:
    """`settle` for the length of a `with` block in a process that goes on doing other things."""
    threshold = gc.get_threshold()
    settle(job)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


@contextlib.contextmanager
def replication() -> Iterator[None]:
    """Run one replication in the `with` block: no collection in it, one gen-0 collection after.

    The block should leave nothing of its world referenced (return only its row), so that the
    collection at its end frees the world rather than promote it to an older generation.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)


def release(env: simpy.Environment) -> None:
    """Drop the events still due after a finished run, so that its world is cheaper to free.

    Each queued event refers back to its environment and, through its callbacks, to the world:
    left queued, every one of them and all it holds is garbage in cycles the collector must
    trace; emptied, most of it is freed by reference counting. The run must not go on.
    """
    env._queue.clear()  # private: SimPy has no public way to drop what is due


# Per-process state of a Dask worker: the job it last settled (weakly: the cluster decides
# how long a job lives), and a lock, since a worker may run chunks on several threads.
_SETTLED: list[weakref.ref[object]] = []
_SETTLING = threading.Lock()


def settle_each_job(job: object) -> None:
    """`settle` once per job in a long-lived worker process (a Dask worker), on its first chunk.

    A new job first unfreezes what the last one froze, so that a finished job's objects can be
    collected; chunks of the job already settled cost a lock and a comparison.
    """
    with _SETTLING:
        if _SETTLED and _SETTLED[0]() is job:
            return
        gc.unfreeze()
        settle(job)
        _SETTLED[:] = [weakref.ref(job)]


__all__ = ["YOUNG_THRESHOLD", "batch_gc", "release", "replication", "settle",
           "settle_each_job"]
