"""Where chunks run: in this process, on a local process pool, or on a Dask cluster.

Each runner takes the job once (the pool's initializer, Dask's `scatter`), then only chunks;
it hands back each chunk's rows and the seconds they took.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from typing import Any

from sim.whatif.gcpolicy import batch_gc, settle, settle_each_job
from sim.whatif.jobs import Chunk, Job, Row, run_chunk

#: Seconds a stopped Dask run gives its running chunks to finish before cancelling them.
STOP_GRACE = 1.0


class BackendError(RuntimeError):
    """The backend cannot run: a Dask scheduler that cannot be reached, say; the message says why."""


class Runner:
    """Submits chunks and hands back their results; one kind per backend."""

    name = ""
    workers = 1
    slots = 1

    def submit(self, chunk: Chunk) -> Any:
        """Start a chunk; returns its handle."""
        raise NotImplementedError

    def wait_any(self, handles: list[Any], timeout: float) -> list[Any]:
        """Handles of chunks finished within `timeout` seconds (at least one, if any finish)."""
        raise NotImplementedError

    def result(self, handle: Any) -> tuple[list[Row], float]:
        """A finished chunk's rows and the seconds they took."""
        return handle.result()

    def finished(self, handle: Any) -> bool:
        """Whether a chunk finished with a result (not cancelled)."""
        return handle.done() and not handle.cancelled()

    def stop(self, handles: list[Any]) -> None:
        """Hand out nothing more; let running chunks finish."""

    def close(self) -> None:
        """Release workers."""


class SerialRunner(Runner):
    """Runs each chunk in this process when it is waited for."""

    name = "serial"

    def __init__(self, job: Job) -> None:
        self.job = job
        self.results: dict[Chunk, tuple[list[Row], float]] = {}
        self._gc = batch_gc(job)
        self._gc.__enter__()

    def submit(self, chunk: Chunk) -> Chunk:
        """Start a chunk; returns its handle."""
        return chunk

    def wait_any(self, handles: list[Any], timeout: float) -> list[Any]:
        """Handles of chunks finished within `timeout` seconds (at least one, if any finish)."""
        chunk = handles[0]
        self.results[chunk] = run_chunk(self.job, chunk)
        return [chunk]

    def result(self, handle: Any) -> tuple[list[Row], float]:
        """A finished chunk's rows and the seconds they took."""
        return self.results.pop(handle)

    def finished(self, handle: Any) -> bool:
        """Whether a chunk finished with a result (not cancelled)."""
        return handle in self.results

    def close(self) -> None:
        """Give this process its garbage collection back."""
        self._gc.__exit__(None, None, None)


# Per-process state of a pool worker: the job its initializer received, used by every chunk.
_WORKER_JOB: list[Job] = []


def _init_pool_worker(job: Job) -> None:
    """Pool initializer: keep the job; leave Ctrl-C to the parent, which stops cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_JOB[:] = [job]
    settle(job)


def _pool_chunk(chunk: Chunk) -> tuple[list[Row], float]:
    return run_chunk(_WORKER_JOB[0], chunk)


class PoolRunner(Runner):
    """A local process pool; the job goes to each process once, through the initializer."""

    name = "local"

    def __init__(self, job: Job, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork starts fast, but is unsafe once this process runs other threads (a UI, Dask)
        method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
        self.workers = workers
        self.slots = workers * 2
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                        initializer=_init_pool_worker, initargs=(job,))

    def submit(self, chunk: Chunk) -> Any:
        """Start a chunk; returns its handle."""
        return self.pool.submit(_pool_chunk, chunk)

    def wait_any(self, handles: list[Any], timeout: float) -> list[Any]:
        """Handles of chunks finished within `timeout` seconds (at least one, if any finish)."""
        from concurrent.futures import FIRST_COMPLETED, wait

        return list(wait(handles, timeout=timeout, return_when=FIRST_COMPLETED).done)

    def stop(self, handles: list[Any]) -> None:
        """Hand out nothing more; let running chunks finish."""
        self.pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Release workers."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def _dask_chunk(job: Job, chunk: Chunk, home: int) -> tuple[list[Row], float]:
    if os.getpid() != home:  # a worker process; threads of the caller's process are its to tune
        settle_each_job(job)
    return run_chunk(job, chunk)


class DaskRunner(Runner):
    """A Dask cluster: a LocalCluster of `workers`, or the scheduler at `address`.

    The job is scattered to every worker once; each task then carries only its chunk.
    """

    name = "dask"

    def __init__(self, job: Job, workers: int, address: str | None, processes: bool) -> None:
        self.cluster = None
        # worker processes must not see the terminal's Ctrl-C: this process stops them cleanly.
        # An ignored SIGINT is inherited by the processes the cluster starts.
        ignore = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if ignore else None
        try:
            self._connect(workers, address, processes)
        finally:
            if ignore:
                signal.signal(signal.SIGINT, previous)
        self.workers = max(1, sum(self.client.nthreads().values()))
        self.slots = self.workers * 2
        self.job = self.client.scatter(job, broadcast=True)
        self.home = os.getpid()
        # workers in other processes settle their garbage collection on a job's first chunk;
        # workers that are threads of this one share its collector, settled here as in serial
        in_process = self.home in self.client.run(os.getpid).values()
        self._gc = batch_gc(job) if in_process else contextlib.nullcontext()
        self._gc.__enter__()

    def _connect(self, workers: int, address: str | None, processes: bool) -> None:
        import logging

        from distributed import Client, LocalCluster

        if address:
            try:
                self.client = Client(address, timeout="10s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise BackendError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        else:
            # CRITICAL: a worker whose scheduler has just been closed (Ctrl-C, the end of a run)
            # logs its lost heartbeat as an ERROR with a traceback; a failed task still reaches
            # this process as the task's own exception
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                        processes=processes, dashboard_address=None,
                                        silence_logs=logging.CRITICAL)
            self.client = Client(self.cluster)

    def submit(self, chunk: Chunk) -> Any:
        """Start a chunk; returns its handle."""
        return self.client.submit(_dask_chunk, self.job, chunk, self.home, pure=False)

    def wait_any(self, handles: list[Any], timeout: float) -> list[Any]:
        """Handles of chunks finished within `timeout` seconds (at least one, if any finish)."""
        deadline = time.monotonic() + timeout
        while True:
            ready = [h for h in handles if h.done()]
            if ready or time.monotonic() >= deadline:
                return ready
            time.sleep(0.005)

    def finished(self, handle: Any) -> bool:
        """Whether a chunk finished with a result (not cancelled)."""
        return handle.status == "finished"

    def stop(self, handles: list[Any]) -> None:
        """Hand out nothing more; let running chunks finish."""
        # the client cannot tell running tasks from queued ones: give them all a moment
        self.wait_all(handles, timeout=STOP_GRACE)
        self.client.cancel([h for h in handles if not h.done()])

    def wait_all(self, handles: list[Any], timeout: float) -> None:
        """Wait up to `timeout` seconds for every chunk to finish."""
        deadline = time.monotonic() + timeout
        while any(not h.done() for h in handles) and time.monotonic() < deadline:
            time.sleep(0.01)

    def close(self) -> None:
        """Release workers, and give this process its garbage collection back."""
        try:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()
        finally:
            self._gc.__exit__(None, None, None)
