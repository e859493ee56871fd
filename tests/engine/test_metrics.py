"""Metrics and objectives, computed from hand-built logs."""

from __future__ import annotations

from typing import Any

import pytest

from sim.engine.metrics import MetricSet, historical_value, matches, objective_met
from sim.engine.records import Record
from sim.scenario import Scenario
from sim.scenario.events import EventPattern
from sim.scenario.models import Objective

from .helpers import actor, build

METRICS = [
    {"id": "first-public", "kind": "first", "label": "x", "event": {"kind": "statement", "public": True}},
    {"id": "first-private", "kind": "first", "label": "x", "event": {"kind": "statement", "public": False}},
    {"id": "first-true", "kind": "first", "label": "x", "event": {"kind": "statement", "correct": True}},
    {"id": "first-to-a", "kind": "first", "label": "x",
     "event": {"kind": ["call_attempt", "call_connected"], "counterpart": "a"}},
    {"id": "first-inject", "kind": "first", "label": "x", "event": {"inject": "boom"}},
    {"id": "never", "kind": "first", "label": "x", "event": {"kind": "message_lost"}},
    {"id": "ab", "kind": "contact", "label": "x", "between": ["a", "b"]},
    {"id": "ab-since", "kind": "contact", "label": "x", "between": ["b", "a"], "since": "first_attempt"},
    {"id": "ac", "kind": "contact", "label": "x", "between": ["a", "c"]},
    {"id": "bc", "kind": "contact", "label": "x", "between": ["b", "c"]},
    {"id": "failed", "kind": "failed_calls", "label": "x"},
    {"id": "failed-a", "kind": "failed_calls", "label": "x", "actor": "a"},
    {"id": "failed-hot", "kind": "failed_calls", "label": "x", "channel": "hot"},
    {"id": "a-knows", "kind": "belief_true", "label": "x", "actor": "a", "threshold": 0.6},
    {"id": "b-knows", "kind": "belief_true", "label": "x", "actor": "b", "threshold": 0.6},
    {"id": "c-knows", "kind": "belief_true", "label": "x", "actor": "c"},
    {"id": "peak", "kind": "peak_posture", "label": "x"},
    {"id": "peak-a", "kind": "peak_posture", "label": "x", "actor": "a"},
    {"id": "crisis", "kind": "reached", "label": "x", "level": "crisis"},
    {"id": "crisis-a", "kind": "reached", "label": "x", "level": "crisis", "actor": "a"},
    {"id": "alert-a", "kind": "reached", "label": "x", "level": "alert", "actor": "a"},
]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return build(
        actors=[actor("a"), actor("b", belief={"red": 0.1, "blue": 0.9}, posture="crisis"),
                actor("c"), actor("wire")],
        channels=[{"id": "line", "kind": "call", "ends": ["a", "b"]},
                  {"id": "hot", "kind": "call", "ends": ["a", "b"]},
                  {"id": "news", "kind": "broadcast", "publishers": ["wire", "b"]},
                  {"id": "leaks", "kind": "broadcast", "publishers": ["wire"], "public": False},
                  {"id": "council", "kind": "meeting", "members": ["a", "c"]}],
        injects=[{"id": "boom", "title": "Boom", "at": "1m", "to": ["a"]}],
        metrics=METRICS)


LOG = [
    Record(1.0, "inject", None, None, None, {"inject": "boom", "title": "Boom"}),
    Record(1.0, "received", "a", None, None, {"inject": "boom"}),
    Record(5.0, "statement", "wire", None, "leaks", {"hypothesis": "red", "correct": False, "public": False}),
    Record(10.0, "statement", "wire", None, "news", {"hypothesis": "red", "correct": False, "public": True}),
    Record(12.0, "call_attempt", "a", "b", "line", {"attempt": 1}),
    Record(15.0, "call_failed", "a", "b", "line", {"attempt": 1, "reason": "unanswered"}),
    Record(20.0, "statement", "b", None, "news", {"hypothesis": "blue", "correct": True, "public": True}),
    Record(22.0, "call_attempt", "b", "a", "hot", {"attempt": 1}),
    Record(25.0, "call_failed", "b", "a", "hot", {"attempt": 1, "reason": "busy"}),
    Record(30.0, "belief", "a", "wire", None, {"belief": {"red": 0.45, "blue": 0.55}}),
    Record(40.0, "belief", "a", "b", None, {"belief": {"red": 0.3, "blue": 0.7}}),
    Record(41.0, "call_attempt", "b", "a", "hot", {"attempt": 2}),
    Record(42.0, "call_connected", "b", "a", "hot", {"attempt": 2}),
    Record(50.0, "posture", "a", None, None, {"level": "alert", "rung": 1, "previous": "routine"}),
    Record(60.0, "posture", "a", None, None, {"level": "routine", "rung": 0, "previous": "alert"}),
    Record(70.0, "meeting_convened", "c", None, "council", {"members": ["a", "c"]}),
]


def test_every_metric_kind_on_a_hand_built_log(scenario: Scenario) -> None:
    assert MetricSet(scenario).compute(LOG) == {
        "first-public": 10.0,   # the 5m statement was on a private channel
        "first-private": 5.0,
        "first-true": 20.0,
        "first-to-a": 22.0,
        "first-inject": 1.0,    # the inject record and the first receipt both carry it
        "never": None,
        "ab": 42.0,             # either may call the other
        "ab-since": 30.0,       # 42m - the first attempt between them at 12m
        "ac": 70.0,             # a shared meeting is contact too
        "bc": None,
        "failed": 2,
        "failed-a": 1,
        "failed-hot": 1,
        "a-knows": 40.0,        # 0.55 at 30m is below 0.6; 0.7 at 40m is not
        "b-knows": 0.0,         # starts at 0.9 for the truth
        "c-knows": 0.0,         # starts at 0.5, which is the default threshold
        "peak": 2,              # b starts at crisis
        "peak-a": 1,
        "crisis": True,
        "crisis-a": False,
        "alert-a": True,
    }


def test_metrics_of_an_empty_log(scenario: Scenario) -> None:
    values = MetricSet(scenario).compute([])
    assert values["first-public"] is None
    assert values["ab"] is None
    assert values["ab-since"] is None
    assert values["failed"] == 0
    assert values["a-knows"] is None
    assert (values["peak"], values["peak-a"], values["crisis"], values["alert-a"]) == (2, 0, True, False)


def test_contact_since_first_attempt_is_never_negative(scenario: Scenario) -> None:
    """Rule: contact-since-first-attempt counts from min(first attempt, contact), so a meeting
    before the first call gives 0, not a negative time."""
    log = [Record(10.0, "meeting_convened", "c", None, "council", {"members": ["a", "b", "c"]}),
           Record(80.0, "call_attempt", "a", "b", "line", {"attempt": 1}),
           Record(85.0, "call_connected", "a", "b", "line", {"attempt": 1})]
    values = MetricSet(scenario).compute(log)
    assert values["ab"] == 10.0         # the meeting was the first contact
    assert values["ab-since"] == 0.0    # met before anyone tried to call: not -70


def test_contact_since_first_attempt_without_any_attempt_is_none(scenario: Scenario) -> None:
    """Rule: a contact metric counted from the first attempt has no value when no call was tried."""
    log = [Record(10.0, "meeting_convened", "c", None, "council", {"members": ["a", "b"]})]
    assert MetricSet(scenario).compute(log)["ab-since"] is None


def test_public_pattern_matches_only_statements_on_public_channels() -> None:
    public = {"news"}
    pattern = EventPattern(public=True)
    assert matches(pattern, Record(1.0, "statement", "w", None, "news", {"public": True}), public)
    assert not matches(pattern, Record(1.0, "statement", "w", None, "leaks", {"public": False}), public)
    assert not matches(pattern, Record(1.0, "received", "a", "w", "news", {}), public)
    assert matches(EventPattern(public=False), Record(1.0, "received", "a", "w", "news", {}), public)


def test_correct_pattern_needs_a_claim() -> None:
    assert not matches(EventPattern(correct=False), Record(1.0, "note", None, None, None, {}), set())
    assert matches(EventPattern(correct=False), Record(1.0, "received", "a", None, None,
                                                  {"hypothesis": "red", "correct": False}), set())


def objective(**fields: Any) -> Objective:
    return Objective.model_validate({"id": "o", "label": "o", "metric": "m", **fields})


@pytest.mark.parametrize(("fields", "value", "met"), [
    ({"within": "45m"}, 42.0, True),
    ({"within": "42m"}, 42.0, True),
    ({"within": "30m"}, 42.0, False),
    ({"within": "1h"}, None, False),  # never happened
    ({"at_most": 1}, 2, False),
    ({"at_most": 2}, 2, True),
    ({"at_least": 2}, 2, True),
    ({"at_least": 1, "at_most": 1}, 2, False),
    ({"at_least": 1}, None, False),
    ({"expect": True}, True, True),
    ({"expect": False}, True, False),
    ({"expect": False}, False, True),
])
def test_objective_met(fields: dict[str, Any], value: Any, met: bool) -> None:
    assert objective_met(objective(**fields), value) is met


def test_historical_values_in_the_units_of_the_metric() -> None:
    s = build(parameters={"when": {"type": "duration", "default": "2h"}}, metrics=[
        {"id": "t", "kind": "first", "label": "x", "event": {"kind": "statement"},
         "historical": {"at": "30m"}},
        {"id": "p", "kind": "first", "label": "x", "event": {"kind": "statement"},
         "historical": {"at": "$when"}},
        {"id": "n", "kind": "first", "label": "x", "event": {"kind": "statement"},
         "historical": {"never": True}},
        {"id": "c", "kind": "failed_calls", "label": "x", "historical": {"count": 3}},
        {"id": "r", "kind": "reached", "label": "x", "level": "alert", "historical": {"reached": True}},
        {"id": "none", "kind": "failed_calls", "label": "x"},
    ])
    by_id = {m.id: m for m in s.metrics}
    assert historical_value(by_id["t"]) == 30.0
    assert historical_value(by_id["p"], {"when": 120.0}) == 120.0
    assert historical_value(by_id["n"]) is None
    assert historical_value(by_id["c"]) == 3
    assert historical_value(by_id["r"]) is True
    assert historical_value(by_id["none"]) == "absent"


def test_inject_and_hypothesis_patterns_match_only_their_own_value() -> None:
    """Rule: a pattern's inject/hypothesis must equal the record's; a pattern without one ignores it."""
    boom = Record(1.0, "received", "a", None, None, {"inject": "boom", "hypothesis": "red"})
    assert matches(EventPattern(inject="boom"), boom, set())
    assert not matches(EventPattern(inject="other"), boom, set())
    assert matches(EventPattern(hypothesis="red"), boom, set())
    assert not matches(EventPattern(hypothesis="blue"), boom, set())
    assert matches(EventPattern(kind=["received"]), boom, set())  # no inject/hypothesis asked


def test_a_statement_is_public_unless_it_says_otherwise() -> None:
    """Rule: a statement on a public channel is public unless its record says `public: false`."""
    plain = Record(1.0, "statement", "w", None, "news", {})
    assert matches(EventPattern(public=True), plain, {"news"})
    assert not matches(EventPattern(public=False), plain, {"news"})
    off_record = Record(1.0, "statement", "w", None, "news", {"public": False})
    assert matches(EventPattern(public=False), off_record, {"news"})


def test_metric_filters_and_thresholds_at_their_boundaries(scenario: Scenario) -> None:
    """Rules: failed calls count only the asked actor/channel; the first attempt is between the
    pair; a belief exactly at the threshold counts; peak posture covers every actor's moves."""
    log = [
        Record(1.0, "call_attempt", "a", "c", "line", {"attempt": 1}),      # another pair first
        Record(2.0, "call_attempt", "b", "a", "hot", {"attempt": 1}),
        Record(3.0, "call_failed", "a", "b", "line", {"attempt": 1, "reason": "busy"}),
        Record(4.0, "call_failed", "a", "b", "line", {"attempt": 2, "reason": "busy"}),
        Record(5.0, "call_failed", "b", "a", "hot", {"attempt": 1, "reason": "busy"}),
        Record(6.0, "belief", "a", "wire", None, {"belief": {"red": 0.4, "blue": 0.6}}),
        Record(7.0, "posture", "c", None, None, {"level": "crisis", "rung": 2, "previous": "routine"}),
        Record(9.0, "call_connected", "b", "a", "hot", {"attempt": 2}),
    ]
    values = MetricSet(scenario).compute(log)
    assert (values["failed"], values["failed-a"], values["failed-hot"]) == (3, 2, 1)
    assert values["ab-since"] == 7.0   # from b's attempt at 2m, not a's call to c at 1m
    assert values["a-knows"] == 6.0    # 0.6 is the threshold itself
    assert values["peak"] == 2         # c's move counts for the peak over all actors
    assert values["peak-a"] == 0


def test_a_historical_bound_is_in_band_when_the_band_overlaps_it() -> None:
    from sim.engine.metrics import Bound
    from sim.engine.timeline import show_value

    s = build(metrics=[
        {"id": "m1", "kind": "first", "label": "By six", "event": {"kind": "posture"},
         "historical": {"at_most": "6h"}},
        {"id": "m2", "kind": "first", "label": "Between", "event": {"kind": "posture"},
         "historical": {"at_least": "2h", "at_most": "4h"}}])
    by_six, between = (historical_value(m, {}) for m in s.metrics)
    assert by_six == Bound(high=360.0)
    assert by_six.overlaps(400.0, 500.0) is False   # the whole band after six hours
    assert by_six.overlaps(300.0, 500.0) is True
    assert between.overlaps(0.0, 119.0) is False
    assert between.overlaps(230.0, 900.0) is True
    assert (show_value(s.metrics[0], by_six), show_value(s.metrics[1], between)) == ("≤ 6h00m", "2h00m–4h00m")
