"""Garbage collection for processes that run replications: the job frozen, collections rarer.

A replication leaves cycles behind (a world, its SimPy environment and the processes that
hold it), so the collector must run; but a full collection walks every object in the process,
the loaded scenario included, which at K = 100 copies made collections cost more than runs.
Once a worker holds its job, everything alive is moved out of the collector's sight
(`gc.freeze`), and the youngest generation is collected less often: a replication's garbage
is then swept in a few larger, cheaper passes.

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


__all__ = ["YOUNG_THRESHOLD", "batch_gc", "settle", "settle_each_job"]
