"""Same seed, same numbers: on one worker or two, in chunks of any size, locally or on Dask."""

from __future__ import annotations

import io
import json

import pytest

from sim.whatif.plan import SweepSpec
from sim.whatif.runner import Arm, Options, compare, sweep

SPEC = {"grid": {"answer_p": ["0.2", "0.5", "0.9"]}, "reps": 150, "seed": 11}


def _sweep(tiny, **options) -> tuple[str, str]:
    buffer = io.StringIO()
    summary = sweep(tiny, SweepSpec(**SPEC), Options(csv=buffer, **options))
    assert not summary.partial
    return buffer.getvalue(), json.dumps(summary.to_json(), sort_keys=True)


@pytest.fixture(scope="module")
def serial(tiny):
    return _sweep(tiny, workers=1)


def test_serial_run_is_repeatable(tiny, serial):
    assert _sweep(tiny, workers=1) == serial
    csv_text = serial[0]
    assert csv_text.count("\n") == 1 + 3 * 150


@pytest.mark.parametrize("options", [
    {"workers": 2},
    {"workers": 2, "chunk_size": 1},
    {"workers": 3, "chunk_size": 17},
    {"workers": 1, "chunk_size": 1000},
], ids=["pool2", "pool2-chunk1", "pool3-chunk17", "serial-bigchunk"])
def test_local_pool_gives_identical_bytes(tiny, serial, options):
    assert _sweep(tiny, **options) == serial


def test_dask_threads_give_identical_bytes(tiny, serial):
    assert _sweep(tiny, backend="dask", workers=2, processes=False) == serial


def test_dask_processes_give_identical_bytes(tiny, serial):
    assert _sweep(tiny, backend="dask", workers=2, processes=True) == serial


def test_compare_is_the_same_on_every_backend(tiny):
    out = set()
    for options in (Options(workers=1), Options(workers=2, chunk_size=3),
                    Options(backend="dask", workers=2, processes=False)):
        buffer = io.StringIO()
        options.csv = buffer
        summary = compare(tiny, Arm("A", overrides={"answer_p": "0.5"}),
                          Arm("B", overrides={"answer_p": "0.7"}), reps=100, seed=2, options=options)
        out.add((buffer.getvalue(), json.dumps(summary.to_json(), sort_keys=True)))
    assert len(out) == 1


def test_run_reps_agrees_with_point_zero_of_a_sweep(tiny):
    from sim.engine.params import resolve_params
    from sim.whatif.replications import run_replications

    params = resolve_params(tiny, None, {"answer_p": "0.2"})
    direct = run_replications(tiny, params, 150, 11)
    swept = json.loads(_sweep(tiny, workers=1)[1])["points"][0]["metrics"]
    for metric in ("contact", "failed"):
        assert direct["metrics"][metric]["median"] == swept[metric]["median"]
        assert direct["metrics"][metric]["p90"] == swept[metric]["p90"]


def test_existing_dask_scheduler_gives_identical_bytes(tiny, serial):
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        got = _sweep(tiny, backend="dask", scheduler=cluster.scheduler_address)
    assert got == serial


def test_cancel_keeps_finished_runs_identical_to_a_full_run(tiny, serial):
    calls = []
    buffer = io.StringIO()

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    summary = sweep(tiny, SweepSpec(**SPEC), Options(workers=2, chunk_size=5, csv=buffer,
                                                    cancelled=cancelled))
    assert summary.partial
    assert summary.to_json()["partial"] is True
    lines = buffer.getvalue().splitlines()
    full = serial[0].splitlines()
    assert 1 < len(lines) < len(full)
    assert lines == [line for line in full if line in set(lines)]  # same rows, same order
