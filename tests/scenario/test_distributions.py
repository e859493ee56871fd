"""Distributions of durations: how they are written, checked, and sampled from a seeded stream."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from typing import Any

import pytest
from pydantic import ValidationError

from sim.scenario.distributions import Distribution, fixed, mean_of

N = 20_000


def dist(value: Any) -> Distribution:
    return Distribution.model_validate(value)


def draws(d: Distribution, params: dict[str, float] | None = None, seed: str = "test") -> list[float]:
    rng = random.Random(seed)
    params = params or {}

    def value(v: Any) -> float:
        return params[v[1:]] if isinstance(v, str) else float(v)

    return [d.sample(rng, value) for _ in range(N)]


def quantile(xs: list[float], q: float) -> float:
    return sorted(xs)[int(q * len(xs))]


def test_a_plain_duration_or_parameter_means_fixed() -> None:
    assert dist("5m").fixed == 5.0
    assert dist("5m").name == "fixed"
    assert dist("$setup").fixed == "$setup"
    assert dist(0).fixed == 0.0
    assert fixed(7.0).fixed == 7.0


def test_fixed_always_gives_its_value_and_resolves_parameters() -> None:
    assert set(draws(dist("1h"))) == {60.0}
    assert set(draws(dist("$setup"), {"setup": 4.0})) == {4.0}


def test_uniform_stays_within_its_bounds() -> None:
    xs = draws(dist({"uniform": {"low": "10m", "high": "30m"}}))
    assert min(xs) >= 10.0
    assert max(xs) <= 30.0
    assert statistics.fmean(xs) == pytest.approx(20.0, rel=0.02)
    assert min(xs) < 10.5
    assert max(xs) > 29.5


def test_triangular_stays_within_its_bounds_and_leans_to_its_mode() -> None:
    xs = draws(dist({"triangular": {"low": "0m", "mode": "10m", "high": "60m"}}))
    assert 0.0 <= min(xs) <= max(xs) <= 60.0
    assert statistics.fmean(xs) == pytest.approx(70 / 3, rel=0.02)


def test_exponential_has_its_mean() -> None:
    xs = draws(dist({"exponential": {"mean": "20m"}}))
    assert min(xs) >= 0.0
    assert statistics.fmean(xs) == pytest.approx(20.0, rel=0.03)
    assert set(draws(dist({"exponential": {"mean": 0}}))) == {0.0}


def test_lognormal_has_its_median_and_90th_percentile() -> None:
    xs = draws(dist({"lognormal": {"median": "10m", "p90": "30m"}}))
    assert quantile(xs, 0.5) == pytest.approx(10.0, rel=0.04)
    assert quantile(xs, 0.9) == pytest.approx(30.0, rel=0.05)
    assert min(xs) > 0.0


def test_lognormal_with_parameters() -> None:
    xs = draws(dist({"lognormal": {"median": "$m", "p90": "$p"}}), {"m": 60.0, "p": 90.0})
    assert quantile(xs, 0.5) == pytest.approx(60.0, rel=0.03)
    assert quantile(xs, 0.9) == pytest.approx(90.0, rel=0.03)


def test_lognormal_with_a_zero_median_is_always_zero() -> None:
    assert set(draws(dist({"lognormal": {"median": "$m", "p90": "$p"}}), {"m": 0.0, "p": 5.0})) == {0.0}


def test_empirical_draws_only_the_listed_values_about_equally() -> None:
    counts = Counter(draws(dist({"empirical": ["5m", "10m", "1h", "$late"]}), {"late": 120.0}))
    assert set(counts) == {5.0, 10.0, 60.0, 120.0}
    for count in counts.values():
        assert count == pytest.approx(N / 4, rel=0.05)


def test_the_same_seed_gives_the_same_draws() -> None:
    d = dist({"lognormal": {"median": "10m", "p90": "30m"}})
    assert draws(d, seed="a")[:50] == draws(d, seed="a")[:50]
    assert draws(d, seed="a")[:50] != draws(d, seed="b")[:50]


@pytest.mark.parametrize(("value", "message"), [
    ({}, "expected exactly one distribution (fixed, uniform, triangular, exponential, lognormal, "
         "empirical); got none"),
    ({"fixed": "1m", "exponential": {"mean": "2m"}}, "expected exactly one distribution (fixed, uniform, "
     "triangular, exponential, lognormal, empirical); got fixed, exponential"),
    ({"lognormal": {"median": "10m", "p90": "10m"}},
     "lognormal p90 10m is not above its median 10m; expected a p90 larger than the median"),
    ({"uniform": {"low": "1h", "high": "30m"}}, "high 30m is below low 1h; expected low <= high"),
    ({"triangular": {"low": "0m", "mode": "2h", "high": "1h"}},
     "mode 2h lies outside 0m to 1h; expected low <= mode <= high"),
])
def test_distributions_that_cannot_be_sampled_are_refused(value: Any, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        dist(value)
    (err,) = info.value.errors()
    assert (err["loc"], err["msg"]) == ((), message)


def test_checks_wait_for_parameters_to_be_known() -> None:
    assert dist({"lognormal": {"median": "$m", "p90": "5m"}}).lognormal is not None
    assert dist({"uniform": {"low": "$lo", "high": "1m"}}).uniform is not None


def test_params_lists_every_number_and_parameter() -> None:
    assert dist({"uniform": {"low": "$lo", "high": "1h"}}).params() == ["$lo", 60.0]
    assert dist({"empirical": ["1m", "$x"]}).params() == [1.0, "$x"]
    assert dist("$x").params() == ["$x"]


def test_mean_of() -> None:
    assert mean_of(dist("$x"), {"x": 3.0}) == 3.0
    assert mean_of(dist({"uniform": {"low": "10m", "high": "30m"}}), {}) == 20.0
    assert mean_of(dist({"triangular": {"low": "0m", "mode": "30m", "high": "60m"}}), {}) == 30.0
    assert mean_of(dist({"empirical": ["1m", "2m", "6m"]}), {}) == 3.0
    xs = draws(dist({"lognormal": {"median": "10m", "p90": "30m"}}))
    assert mean_of(dist({"lognormal": {"median": "10m", "p90": "30m"}}), {}) == pytest.approx(
        statistics.fmean(xs), rel=0.05)
