"""The belief update rule and pooling: exact numbers, and they stay probability distributions."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine import policy


def test_apply_claim_moves_toward_the_claim_by_its_weight() -> None:
    # b' = (1 - w)·b + w·[h], w = 0.4
    assert policy.apply_claim({"red": 0.5, "blue": 0.5}, "red", 0.4) == pytest.approx(
        {"red": 0.7, "blue": 0.3})
    assert policy.apply_claim({"red": 0.2, "blue": 0.3, "green": 0.5}, "blue", 0.5) == pytest.approx(
        {"red": 0.1, "blue": 0.65, "green": 0.25})


def test_apply_claim_extremes_and_clamping() -> None:
    belief = {"red": 0.3, "blue": 0.7}
    assert policy.apply_claim(belief, "red", 0.0) == belief          # untrusted: no change
    assert policy.apply_claim(belief, "red", 1.0) == {"red": 1.0, "blue": 0.0}  # replaced
    assert policy.apply_claim(belief, "red", 1.7) == {"red": 1.0, "blue": 0.0}  # clamped to 1
    assert policy.apply_claim(belief, "red", -0.5) == belief         # clamped to 0


def test_pool_moves_toward_the_other_belief() -> None:
    # b' = (1 - t)·b + t·b_other, t = 0.25
    assert policy.pool({"red": 0.8, "blue": 0.2}, {"red": 0.2, "blue": 0.8}, 0.25) == pytest.approx(
        {"red": 0.65, "blue": 0.35})
    assert policy.pool({"red": 0.8, "blue": 0.2}, {"red": 0.2, "blue": 0.8}, 1.0) == pytest.approx(
        {"red": 0.2, "blue": 0.8})
    assert policy.pool({"red": 0.8, "blue": 0.2}, {"red": 0.2, "blue": 0.8}, 3.0) == pytest.approx(
        {"red": 0.2, "blue": 0.8})


def test_leading_breaks_ties_by_order() -> None:
    assert policy.leading({"red": 0.5, "blue": 0.5}) == ("red", 0.5)
    assert policy.leading({"red": 0.25, "blue": 0.75}) == ("blue", 0.75)


HYPOTHESES = ("red", "blue", "green", "grey")


@st.composite
def beliefs(draw: st.DrawFn) -> dict[str, float]:
    n = draw(st.integers(2, len(HYPOTHESES)))
    weights = draw(st.lists(st.floats(0, 1), min_size=n, max_size=n).filter(lambda w: sum(w) > 1e-6))
    total = math.fsum(weights)
    return {h: w / total for h, w in zip(HYPOTHESES, weights, strict=False)}


def assert_distribution(belief: dict[str, float]) -> None:
    assert math.fsum(belief.values()) == pytest.approx(1.0, abs=1e-9)
    assert all(-1e-12 <= p <= 1 + 1e-12 for p in belief.values())


@settings(max_examples=100, deadline=None)
@given(beliefs(), st.floats(-1, 2), st.data())
def test_apply_claim_keeps_a_distribution(belief: dict[str, float], weight: float,
                                          data: st.DataObject) -> None:
    hypothesis = data.draw(st.sampled_from(sorted(belief)))
    after = policy.apply_claim(belief, hypothesis, weight)
    assert set(after) == set(belief)
    assert_distribution(after)
    assert after[hypothesis] >= belief[hypothesis] - 1e-12  # never away from the claim


@settings(max_examples=100, deadline=None)
@given(beliefs(), st.floats(-1, 2), st.data())
def test_pool_keeps_a_distribution(belief: dict[str, float], trust: float, data: st.DataObject) -> None:
    drawn = data.draw(beliefs())
    other = {h: drawn.get(h, 0.0) for h in belief}  # the same hypotheses as `belief`
    total = math.fsum(other.values())
    other = {h: p / total for h, p in other.items()} if total > 0 else dict(belief)
    after = policy.pool(belief, other, trust)
    assert_distribution(after)
    for h, p in belief.items():  # each probability lands between the two it mixes
        low, high = sorted((p, other[h]))
        assert low - 1e-12 <= after[h] <= high + 1e-12
