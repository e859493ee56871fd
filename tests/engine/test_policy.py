"""The belief update rule and pooling: exact numbers, and they stay probability distributions."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine import policy
from sim.scenario.events import BeliefTest, Condition, PostureTest, Trigger


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


# -- triggers and conditions: the boundaries of each rule --------------------------------------

INDEX = {"routine": 0, "alert": 1, "crisis": 2}


def trigger(**fields: object) -> Trigger:
    return Trigger.model_validate(fields)


def test_received_rule_min_confidence_is_inclusive() -> None:
    """Rule: a claim fires a `received` trigger when its confidence is *at least* min_confidence."""
    when = trigger(received={"min_confidence": 0.8})
    assert policy.trigger_matches(when, "received", {"confidence": 0.8})      # exactly on it
    assert policy.trigger_matches(when, "received", {"confidence": 0.95})
    assert not policy.trigger_matches(when, "received", {"confidence": 0.79})
    assert not policy.trigger_matches(when, "received", {})                   # no confidence: 0


def test_received_rule_filters_by_hypothesis_and_origin() -> None:
    """Rule: a `received` trigger with a hypothesis or an origin fires only for claims that match both."""
    when = trigger(received={"hypothesis": "red", "origin": "wire"})
    assert policy.trigger_matches(when, "received", {"hypothesis": "red", "origin": "wire"})
    assert not policy.trigger_matches(when, "received", {"hypothesis": "blue", "origin": "wire"})
    assert not policy.trigger_matches(when, "received", {"hypothesis": "red", "origin": "b"})
    assert policy.trigger_matches(trigger(received={}), "received", {"hypothesis": "blue"})


def test_belief_rule_fires_on_crossing_into_the_range_not_staying_in_it() -> None:
    """Rule: a `belief` trigger fires when the belief *crosses into* its range, not while it stays."""
    when = trigger(belief={"hypothesis": "red", "above": 0.7})
    into = {"old": {"red": 0.5}, "new": {"red": 0.7}}          # crosses, landing on the bound
    inside = {"old": {"red": 0.75}, "new": {"red": 0.9}}       # was already in the range
    out = {"old": {"red": 0.9}, "new": {"red": 0.6}}           # leaves the range
    below = {"old": {"red": 0.2}, "new": {"red": 0.69}}        # rises but stays out
    assert policy.trigger_matches(when, "belief", into)
    assert not policy.trigger_matches(when, "belief", inside)
    assert not policy.trigger_matches(when, "belief", out)
    assert not policy.trigger_matches(when, "belief", below)


def test_belief_range_is_half_open() -> None:
    """Rule: `above` is inclusive and `below` exclusive, and a missing hypothesis counts as 0."""
    test = BeliefTest(hypothesis="red", above=0.2, below=0.6)
    assert policy.belief_holds(test, {"red": 0.2})
    assert policy.belief_holds(test, {"red": 0.59})
    assert not policy.belief_holds(test, {"red": 0.6})
    assert not policy.belief_holds(test, {"red": 0.19})
    assert policy.belief_holds(BeliefTest(hypothesis="red", below=0.1), {"blue": 1.0})
    assert not policy.belief_holds(BeliefTest(hypothesis="red", above=0.0 + 0.1), {"blue": 1.0})


def test_posture_rule_fires_on_moving_into_the_range() -> None:
    """Rule: a `posture` trigger fires when the level *moves into* its range (bounds inclusive)."""
    when = trigger(posture={"at_least": "alert", "at_most": "alert"})
    assert policy.trigger_matches(when, "posture", {"old": 0, "new": 1, "index": INDEX})
    assert policy.trigger_matches(when, "posture", {"old": 2, "new": 1, "index": INDEX})
    assert not policy.trigger_matches(when, "posture", {"old": 1, "new": 1, "index": INDEX})
    assert not policy.trigger_matches(when, "posture", {"old": 1, "new": 2, "index": INDEX})
    assert not policy.trigger_matches(when, "posture", {"old": 1, "new": 0, "index": INDEX})


def test_posture_range_bounds_are_inclusive() -> None:
    """Rule: at_least and at_most both include their own level."""
    assert policy.posture_holds(PostureTest(at_least="alert"), 1, INDEX)
    assert not policy.posture_holds(PostureTest(at_least="alert"), 0, INDEX)
    assert policy.posture_holds(PostureTest(at_most="alert"), 1, INDEX)
    assert not policy.posture_holds(PostureTest(at_most="alert"), 2, INDEX)


def test_each_trigger_kind_matches_only_its_own_occurrence() -> None:
    """Rule: a trigger answers only to occurrences of its own kind, with its own id."""
    assert policy.trigger_matches(trigger(start=True), "start", {})
    assert not policy.trigger_matches(trigger(start=True), "inject", {"inject": "x"})
    assert policy.trigger_matches(trigger(at="+1h"), "at", {})
    assert policy.trigger_matches(trigger(inject="boom"), "inject", {"inject": "boom"})
    assert not policy.trigger_matches(trigger(inject="boom"), "inject", {"inject": "other"})
    assert policy.trigger_matches(trigger(contact="b"), "contact", {"counterpart": "b"})
    assert not policy.trigger_matches(trigger(contact="b"), "contact", {"counterpart": "c"})
    assert policy.trigger_matches(trigger(meeting="nac"), "meeting", {"channel": "nac"})
    assert not policy.trigger_matches(trigger(meeting="nac"), "meeting", {"channel": "un"})


def test_call_failed_rule_filters_by_callee_and_channel() -> None:
    """Rule: a `call_failed` trigger with `to`/`channel` fires only for failures that match both."""
    when = trigger(call_failed={"to": "b", "channel": "hot"})
    assert policy.trigger_matches(when, "call_failed", {"counterpart": "b", "channel": "hot"})
    assert not policy.trigger_matches(when, "call_failed", {"counterpart": "c", "channel": "hot"})
    assert not policy.trigger_matches(when, "call_failed", {"counterpart": "b", "channel": "dsn"})
    assert policy.trigger_matches(trigger(call_failed={}), "call_failed", {"counterpart": "c"})


def condition(**fields: object) -> Condition:
    return Condition.model_validate(fields)


def holds(cond: Condition, *, now: float = 0.0, level: int = 0,
          contacts: frozenset[str] = frozenset()) -> bool:
    return policy.condition_holds(cond, now=now, belief={"red": 0.5}, level=level, index=INDEX,
                                  contacts=set(contacts), value=lambda point: 60.0)


def test_conditions_on_time_are_at_or_after_and_strictly_before() -> None:
    """Rule: `after: T` holds from T on; `before: T` holds until just before T."""
    assert holds(condition(after="+1h"), now=60.0)
    assert not holds(condition(after="+1h"), now=59.9)
    assert holds(condition(before="+1h"), now=59.9)
    assert not holds(condition(before="+1h"), now=60.0)


def test_conditions_on_belief_posture_and_contact() -> None:
    """Rule: a condition tests the actor's state now: belief range, posture range, contacts."""
    assert holds(condition(belief={"hypothesis": "red", "above": 0.5}))
    assert not holds(condition(belief={"hypothesis": "red", "above": 0.6}))
    assert holds(condition(posture={"at_least": "alert"}), level=1)
    assert not holds(condition(posture={"at_least": "alert"}), level=0)
    assert holds(condition(contacted="b"), contacts=frozenset({"b"}))
    assert not holds(condition(contacted="b"))
    assert holds(condition(not_contacted="b"))
    assert not holds(condition(not_contacted="b"), contacts=frozenset({"b"}))
