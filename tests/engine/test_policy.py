"""Pure policy: which triggers match and which conditions hold, at their boundaries."""

from __future__ import annotations

from sim.engine import policy
from sim.scenario.events import BeliefTest, Condition, PostureTest, Trigger


def test_leading_breaks_ties_by_order() -> None:
    assert policy.leading({"red": 0.5, "blue": 0.5}) == ("red", 0.5)
    assert policy.leading({"red": 0.25, "blue": 0.75}) == ("blue", 0.75)


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
