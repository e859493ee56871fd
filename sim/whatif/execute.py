"""Running a plan's replications in chunks: in this process, on a local process pool, or on Dask.

Chunks are handed out as workers free up and their results are put back in plan order before
anyone sees them, so every statistic and every CSV byte is the same whichever backend, however
many workers, and however the chunks happened to be cut. Ctrl-C (or a `cancelled` callback)
stops handing out work, lets running chunks finish, keeps what finished, and says so.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sim.whatif.backends import DaskRunner, PoolRunner, Runner, SerialRunner
from sim.whatif.jobs import Chunk, Job, Row

#: Seconds of work a chunk aims at: long enough to pay for sending it, short enough that
#: progress moves and Ctrl-C is answered promptly.
CHUNK_SECONDS = 0.25

#: Replications in the first chunks, before a worker has reported how long one takes.
FIRST_CHUNK = 4

BACKENDS = ("local", "dask")


class RunCancelledError(Exception):
    """The caller asked to stop."""


class Chunker:
    """Cuts a plan into chunks sized by how long a replication has been taking.

    A plan whose points are compared (paired) is cut by replication, every point in each chunk,
    so that both arms of a pair arrive together; any other plan point by point.
    """

    def __init__(self, plan: Any, workers: int, size: int | None = None) -> None:
        self.plan = plan
        self.workers = max(1, workers)
        self.fixed = size
        self.size = size or FIRST_CHUNK
        self.index = 0
        self.point = 0
        self.rep = 0
        self.remaining = plan.total
        self._cost: float | None = None

    def observe(self, runs: int, seconds: float) -> None:
        """A chunk of `runs` replications took `seconds`: aim the next at CHUNK_SECONDS."""
        if self.fixed or runs == 0:
            return
        cost = seconds / runs
        self._cost = cost if self._cost is None else 0.7 * self._cost + 0.3 * cost
        self.size = max(1, min(100_000, int(CHUNK_SECONDS / max(self._cost, 1e-7))))

    def next(self) -> Chunk | None:
        """The next chunk, or None when the plan is handed out."""
        plan = self.plan
        if self.remaining <= 0:
            return None
        width = len(plan.points) if plan.paired else 1
        # never let the last chunks starve the other workers
        fair = math.ceil(self.remaining / (self.workers * 2))
        runs = max(1, min(self.size, fair))
        count = max(1, min(runs // width, plan.reps - self.rep))
        points = tuple(range(len(plan.points))) if plan.paired else (self.point,)
        chunk = Chunk(self.index, points, self.rep, count)
        self.index += 1
        self.rep += count
        self.remaining -= count * width
        if self.rep >= plan.reps and not plan.paired:
            self.point, self.rep = self.point + 1, 0
        return chunk


@dataclass
class Outcome:
    """How a run of a plan ended."""

    done: int
    """Replications whose results were kept."""
    total: int
    """Replications planned."""
    partial: bool
    """Stopped early (Ctrl-C or cancelled): the results cover only `done` runs."""
    seconds: float
    """Wall-clock time."""
    backend: str
    """`serial`, `local` or `dask`."""
    workers: int
    """Workers used."""


class Reorderer:
    """Passes chunks' rows on in hand-out order, holding only those that arrived early."""

    def __init__(self, deliver: Callable[[Chunk, list[Row]], None]) -> None:
        self.deliver = deliver
        self.next = 0
        self.waiting: dict[int, tuple[Chunk, list[Row]]] = {}

    def add(self, chunk: Chunk, rows: list[Row]) -> None:
        """A chunk finished."""
        self.waiting[chunk.index] = (chunk, rows)
        while self.next in self.waiting:
            self.deliver(*self.waiting.pop(self.next))
            self.next += 1

    def flush(self) -> None:
        """After a stop: pass on what finished beyond a gap, still in order."""
        for index in sorted(self.waiting):
            self.deliver(*self.waiting.pop(index))


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def execute(job: Job, deliver: Callable[[int, int, Row], None], *, backend: str = "local",
            workers: int | None = None, scheduler: str | None = None, processes: bool = True,
            chunk_size: int | None = None,
            progress: Callable[[int, int], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> Outcome:
    """Run every replication of `job.plan`, calling `deliver(point, rep, row)` in plan order.

    Args:
        job: the scenario (or fork) and plan; sent to each worker once.
        deliver: receives each run's row, in (point, replication) order (replication order,
            every point in turn, for a paired plan), whatever the backend.
        backend: `local` (a process pool; one worker runs in this process) or `dask`.
        workers: processes (or Dask workers) to use; default all cores. Ignored with `scheduler`.
        scheduler: address of a running Dask scheduler (backend `dask`).
        processes: Dask LocalCluster workers as processes (True) or threads in this process.
        chunk_size: replications per chunk; default: sized to about CHUNK_SECONDS each.
        progress: called with (replications done, total) as chunks finish.
        cancelled: polled between chunks; True stops the run early, keeping what finished.

    Returns:
        How it ended; a partial outcome if stopped by Ctrl-C or `cancelled`.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    with _ctrl_c_flag() as interrupted:
        # more workers than runs, or many more than cores, only cost processes and memory
        wanted = min(workers or default_workers(), job.plan.total, 4 * default_workers())
        return _execute(job, deliver, backend, max(1, wanted), scheduler, processes,
                        chunk_size, progress, lambda: interrupted.is_set() or bool(
                            cancelled and cancelled()))


@contextlib.contextmanager
def _ctrl_c_flag() -> Iterator[threading.Event]:
    """While running, a first Ctrl-C sets a flag that the loop reads between chunks.

    Raising KeyboardInterrupt at whatever line runs (inside a library's networking, say) could
    leave it in a state that will not shut down; a flag stops at a known point. A second
    Ctrl-C raises as usual. Outside the main thread (a UI's worker) nothing is installed.
    """
    flag = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return

    def on_ctrl_c(signum: int, frame: Any) -> None:
        if flag.is_set():
            raise KeyboardInterrupt
        flag.set()

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _execute(job: Job, deliver: Callable[[int, int, Row], None], backend: str, n: int,
             scheduler: str | None, processes: bool, chunk_size: int | None,
             progress: Callable[[int, int], None] | None, cancelled: Callable[[], bool]) -> Outcome:
    if backend == "local" and n == 1:
        runner: Runner = SerialRunner(job)
    elif backend == "local":
        runner = PoolRunner(job, n)
    else:
        runner = DaskRunner(job, n, scheduler, processes)
    point_major = not job.plan.paired
    done = 0

    def put_back(chunk: Chunk, rows: list[Row]) -> None:
        for (point, rep), row in zip(chunk.cells(point_major), rows, strict=True):
            deliver(point, rep, row)

    reorder = Reorderer(put_back)
    chunker = Chunker(job.plan, runner.workers, chunk_size)
    start = time.perf_counter()
    partial = False
    inflight: dict[Any, Chunk] = {}

    def collect(handle: Any) -> None:
        nonlocal done
        chunk = inflight.pop(handle)
        rows, seconds = runner.result(handle)
        chunker.observe(len(rows), seconds)
        reorder.add(chunk, rows)
        done += len(rows)
        if progress is not None:
            progress(done, job.plan.total)

    try:
        while True:
            while len(inflight) < runner.slots and (chunk := chunker.next()) is not None:
                inflight[runner.submit(chunk)] = chunk
            if not inflight:
                break
            for handle in runner.wait_any(list(inflight), timeout=0.1):
                collect(handle)
            if cancelled():
                raise RunCancelledError
    except (KeyboardInterrupt, RunCancelledError):
        partial = True
        runner.stop(list(inflight))
        for handle in [h for h in inflight if runner.finished(h)]:
            collect(handle)
    finally:
        runner.close()
    reorder.flush()
    return Outcome(done, job.plan.total, partial or done < job.plan.total,
                   time.perf_counter() - start, runner.name, runner.workers)
