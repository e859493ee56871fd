"""Calls whose answer depends on the situation, missed calls called back, and arranged calls."""

from __future__ import annotations

import math

import pytest

from sim.engine.answering import answer_probability, first_slot
from sim.scenario import ScenarioError
from sim.scenario.channels import AnswerModel

from .helpers import actor, build, run, start_rule, trace

STAFF = {"id": "staff", "kind": "message", "members": ["a", "b"], "latency": "10m"}


def line(**fields: object) -> dict:
    return {"id": "line", "kind": "call", "ends": ["a", "b"], "setup": "1m", "ring_timeout": "2m",
            "duration": "10m", **fields}


def test_a_plain_answer_probability_stays_valid() -> None:
    assert answer_probability(0.3, float, arranged=True, off_duty=True, trust=1, gap=3, busy=2) == 0.3


def test_the_answer_model_adds_log_odds_for_each_feature() -> None:
    model = AnswerModel(base=0.03, arranged=5.7, off_duty=-1.0, trust=2.0, posture_gap=0.5, busy=-0.5)

    def p(**kw: object) -> float:
        features = {"arranged": False, "off_duty": False, "trust": 0.5, "gap": 0, "busy": 0, **kw}
        return answer_probability(model, float, **features)  # type: ignore[arg-type]

    logit = math.log(0.03 / 0.97)
    assert p() == pytest.approx(0.03)
    assert p(arranged=True) == pytest.approx(1 / (1 + math.exp(-(logit + 5.7))))  # about 0.86
    assert p(off_duty=True, trust=1.0) == pytest.approx(1 / (1 + math.exp(-(logit - 1.0 + 1.0))))
    assert p(gap=2, busy=1) == pytest.approx(1 / (1 + math.exp(-(logit + 1.0 - 0.5))))
    assert p(gap=-2) == pytest.approx(0.03)  # a caller below the callee adds nothing


def test_an_arranged_call_is_answered_by_the_model_and_a_cold_one_is_not() -> None:
    answer = {"base": 0.0, "arranged": 100}
    s = build(channels=[line(answer=answer), STAFF],
              rules=[start_rule("cold", "a", {"call": {"to": "b", "channel": "line"}})])
    assert [w for _, w in trace(run(s), kinds=("call_failed",))] == [
        "call_failed a>b @line attempt=1 reason=unanswered"]
    s = build(channels=[line(answer=answer), STAFF],
              rules=[start_rule("ask", "a", {"arrange": {"to": "b", "channel": "line", "via": "staff"}})])
    # the request arrives at 10m; 30m to prepare: the 45m slot, 1m set-up
    assert trace(run(s), kinds=("call_connected",)) == [(46.0, "call_connected a>b @line attempt=1")]


def test_an_arranged_call_happens_at_its_agreed_slot() -> None:
    # the scenario starts at 12:00 UTC; b works 14:00-22:00 UTC, so the first slot at least
    # 30m after b reads the request (10m latency + 5m to read) and on b's duty is 14:00
    s = build(actors=[actor("a"), actor("b", working_hours={"start": "14:00", "end": "22:00"},
                                        response={"message": "5m"})],
              channels=[line(), STAFF],
              rules=[start_rule("ask", "a", {"arrange": {"to": "b", "channel": "line", "via": "staff"}})])
    log = run(s)
    assert trace(log) == [
        (0.0, "call_requested a>b @line"),
        (15.0, "call_arranged b>a @line"),
        (120.0, "call_attempt a>b @line attempt=1"),
        (121.0, "call_connected a>b @line attempt=1"),
        (131.0, "call_ended a>b @line"),
    ]
    assert log[1].data["slot"] == 120.0


def test_a_refused_request_is_a_record_and_a_failed_call() -> None:
    s = build(channels=[line(accept_request=0.0), STAFF],
              rules=[start_rule("ask", "a", {"arrange": {"to": "b", "channel": "line", "via": "staff"}}),
                     {"id": "worry", "actor": "a", "when": {"call_failed": {"to": "b"}},
                      "do": {"posture": {"raise": 1}}}])
    assert trace(run(s)) == [
        (0.0, "call_requested a>b @line"),
        (10.0, "call_declined b>a @line reason=refused"),
        (10.0, "posture a level=alert"),
    ]


def test_the_callee_calls_back_after_a_missed_call() -> None:
    # b is too slow to pick up: a's call rings out, b sees it missed and calls back
    s = build(actors=[actor("a"), actor("b", response={"call": "5m"})],
              channels=[line()],
              rules=[start_rule("dial", "a", {"call": {"to": "b", "channel": "line"}}),
                     {"id": "call-back", "actor": "b", "when": {"missed_call": {"from": "a"}},
                      "delay": "20m", "do": {"call": {"to": "a", "channel": "line"}}}])
    assert trace(run(s), kinds=("call_missed", "call_attempt", "call_connected")) == [
        (0.0, "call_attempt a>b @line attempt=1"),
        (3.0, "call_missed b>a @line attempt=1 reason=unanswered"),  # b takes 5m, it rings 2m
        (23.0, "call_attempt b>a @line attempt=1"),
        (24.0, "call_connected b>a @line attempt=1"),  # a answers at once
    ]


def test_slots_are_on_the_quarter_hour_within_the_window() -> None:
    assert first_slot(7.0, 100.0, lambda t: True) == 15.0
    assert first_slot(15.0, 100.0, lambda t: t >= 50) == 60.0
    assert first_slot(0.0, 40.0, lambda t: t >= 50) is None


def test_an_arrange_over_a_channel_that_does_not_link_them_is_refused() -> None:
    with pytest.raises(ScenarioError, match="does not link 'a' and 'c'"):
        build(actors=[actor("a"), actor("b"), actor("c")],
              channels=[line(), STAFF, {"id": "ac", "kind": "call", "ends": ["a", "c"]}],
              rules=[start_rule("ask", "a", {"arrange": {"to": "c", "channel": "ac", "via": "staff"}})])
