"""Streaming statistics against `statistics` and numpy on known data."""

from __future__ import annotations

import math
import random
import statistics
import tracemalloc

import numpy as np
import pytest

from sim.whatif.compare import Difference
from sim.whatif.stats import RunningStats, ValueStore, quantile, t_quantile, wilson

DATA = [3.0, 1.5, 4.0, 1.0, 5.5, 9.0, 2.5, 6.0, 5.0, 3.5]


def test_running_stats_match_statistics():
    s = RunningStats().extend(DATA)
    assert s.n == len(DATA)
    assert s.mean == pytest.approx(statistics.fmean(DATA), abs=1e-12)
    assert s.variance == pytest.approx(statistics.variance(DATA), abs=1e-12)
    assert s.sd == pytest.approx(statistics.stdev(DATA), abs=1e-12)
    assert s.sem == pytest.approx(statistics.stdev(DATA) / math.sqrt(len(DATA)), abs=1e-12)


def test_running_stats_are_stable_on_large_offsets():
    rng = random.Random(1)
    values = [1e9 + rng.random() for _ in range(10_000)]
    s = RunningStats().extend(values)
    assert s.variance == pytest.approx(np.var(values, ddof=1), rel=1e-6)


def test_running_stats_with_fewer_than_two_values():
    s = RunningStats()
    assert math.isnan(s.sd)
    assert all(math.isnan(x) for x in s.ci())
    s.add(4.0)
    assert s.mean == 4.0
    assert math.isnan(s.sd)


@pytest.mark.parametrize(("df", "expected"), [
    (1, 12.7062047), (2, 4.3026527), (3, 3.1824463), (5, 2.5705818), (10, 2.2281389),
    (30, 2.0422725), (100, 1.9839715), (math.inf, 1.9599640)])
def test_t_quantile_matches_tables(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-6)


def test_ci_is_mean_plus_minus_t_sem():
    s = RunningStats().extend(DATA)
    lo, hi = s.ci()
    half = 2.2621572 * statistics.stdev(DATA) / math.sqrt(len(DATA))  # t(0.975, 9)
    assert lo == pytest.approx(statistics.fmean(DATA) - half, abs=1e-6)
    assert hi == pytest.approx(statistics.fmean(DATA) + half, abs=1e-6)


@pytest.mark.parametrize("q", [0.0, 0.1, 0.25, 0.5, 0.9, 1.0])
def test_quantile_matches_numpy(q):
    rng = random.Random(7)
    values = sorted(rng.expovariate(1 / 30) for _ in range(101))
    assert quantile(values, q) == pytest.approx(float(np.quantile(values, q)), abs=1e-12)


def test_deciles_match_statistics_inclusive():
    values = sorted(DATA)
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    assert [quantile(values, k / 10) for k in range(1, 10)] == pytest.approx(deciles)


def test_quantile_among_never_is_infinite():
    values = [1.0, 2.0, math.inf, math.inf]
    assert quantile(values, 0.0) == 1.0
    assert quantile(values, 0.9) == math.inf
    assert quantile([], 0.5) != quantile([], 0.5)  # NaN


def test_value_store_keeps_values_and_sorts():
    store = ValueStore()
    for x in (3.0, 1.0, 2.0):
        store.add(x)
    assert len(store) == 3
    assert list(store.sorted()) == [1.0, 2.0, 3.0]
    assert store.quantile(0.5) == 2.0
    store.add(0.0)
    assert store.quantile(0.0) == 0.0


def test_wilson_matches_known_values():
    # 8 of 10: the Wilson interval is 0.4902 to 0.9433 (Newcombe 1998, Table I)
    lo, hi = wilson(8, 10)
    assert lo == pytest.approx(0.4902, abs=1e-4)
    assert hi == pytest.approx(0.9433, abs=1e-4)
    assert wilson(0, 20)[0] == 0.0
    assert wilson(20, 20)[1] == 1.0


def test_paired_difference_against_numpy():
    rng = np.random.default_rng(3)
    shared = rng.normal(60, 20, 200)
    a = shared + rng.normal(0, 2, 200)
    b = shared + 5 + rng.normal(0, 2, 200)
    d = Difference()
    for x, y in zip(a, b, strict=True):
        d.add(float(x), float(y))
    out = d.to_json()
    diffs = b - a
    half = t_quantile(0.975, 199) * diffs.std(ddof=1) / math.sqrt(200)
    assert out["diff"] == pytest.approx(diffs.mean(), abs=1e-6)
    assert out["ci"] == pytest.approx([diffs.mean() - half, diffs.mean() + half], abs=1e-5)
    welch = math.sqrt(a.var(ddof=1) / 200 + b.var(ddof=1) / 200)
    unpaired_half = out["unpaired_ci"][1] - out["diff"]
    assert unpaired_half == pytest.approx(1.966 * welch, rel=5e-3)
    # shared noise is most of the spread: pairing narrows the interval a lot
    assert out["narrowing"] > 0.8
    assert out["variance_ratio"] == pytest.approx(
        (a.var(ddof=1) + b.var(ddof=1)) / diffs.var(ddof=1), rel=1e-6)


def test_a_rank_counts_the_values_below_and_half_of_those_equal() -> None:
    store = ValueStore()
    for x in (10.0, 20.0, 20.0, 30.0, math.inf):
        store.add(x)
    assert store.rank(5.0) == 0.0
    assert store.rank(10.0) == 0.1
    assert store.rank(20.0) == 0.4
    assert store.rank(25.0) == 0.6
    assert store.rank(math.inf) == 0.9  # never, as runs that never happened count
    assert store.rank(1e9) == 0.8


def test_a_sorted_store_keeps_its_values_once_as_packed_doubles() -> None:
    # the memory of a long run: 8 bytes a value, not a sorted copy of float objects beside them
    store = ValueStore()
    for i in range(20_000):
        store.add(float((i * 7919) % 20_000))
    tracemalloc.start()
    try:
        assert store.quantile(0.5) == 9999.5
        assert store.rank(0.0) == 0.5 / 20_000
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept < 20_000 * 8 * 1.2  # the sorted array took the place of the unsorted one
    store.add(-1.0)
    assert store.quantile(0.0) == -1.0
