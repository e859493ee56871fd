"""Calls with exact logs: set-up, ringing, answering, retries, busy ends, unreachable actors,
down lines and off-duty hours. Every distribution is fixed, so every time is exact."""

from __future__ import annotations

from typing import Any

import pytest

from sim.engine.actors import ActorState
from sim.engine.params import Values

from .helpers import actor, build, call, run, start_rule, trace


def line(**fields: Any) -> dict[str, Any]:
    """A call channel between a and b: 1m set-up, 2m ring timeout, 10m calls, no retries."""
    return {"id": "line", "kind": "call", "ends": ["a", "b"], "setup": "1m",
            "ring_timeout": "2m", "duration": "10m", **fields}


def a_calls_b(**line_fields: Any) -> dict[str, Any]:
    return {"channels": [line(**line_fields)],
            "rules": [start_rule("dial", "a", call("b", "line"))]}


def test_call_connects_after_setup_and_answer_delay() -> None:
    s = build(actors=[actor("a"), actor("b", response={"call": "3m"})],
              channels=[line(ring_timeout="5m")],
              rules=[start_rule("dial", "a", call("b", "line")),
                     {"id": "relief", "actor": "b", "when": {"contact": "a"},
                      "do": {"posture": {"raise": 1}}}])
    assert trace(run(s)) == [
        (0.0, "call_attempt a>b @line attempt=1"),
        (4.0, "call_connected a>b @line attempt=1"),  # 1m set-up + 3m to answer
        (4.0, "posture b level=alert"),                # b's contact rule, at once
        (14.0, "call_ended a>b @line"),
    ]


def test_unanswered_call_is_retried_then_given_up() -> None:
    s = build(channels=[line(answer=0, retry={"attempts": 2, "interval": "10m"})],
              rules=[start_rule("dial", "a", call("b", "line")),
                     {"id": "worry", "actor": "a", "when": {"call_failed": {"to": "b"}},
                      "do": {"posture": {"raise": 1}}}])
    # each attempt: set-up 1m, rings 2m, fails; the next starts 10m after the failure
    assert trace(run(s)) == [
        (0.0, "call_attempt a>b @line attempt=1"),
        (3.0, "call_missed b>a @line attempt=1 reason=unanswered"),  # b sees the missed call
        (3.0, "call_failed a>b @line attempt=1 reason=unanswered"),
        (13.0, "call_attempt a>b @line attempt=2"),
        (16.0, "call_missed b>a @line attempt=2 reason=unanswered"),
        (16.0, "call_failed a>b @line attempt=2 reason=unanswered"),
        (26.0, "call_attempt a>b @line attempt=3"),
        (29.0, "call_missed b>a @line attempt=3 reason=unanswered"),
        (29.0, "call_failed a>b @line attempt=3 reason=unanswered"),
        (29.0, "call_gave_up a>b @line attempts=3"),
        (29.0, "posture a level=alert"),  # call_failed triggers fire on giving up only
    ]


def test_callee_who_never_takes_a_call_refuses_it_and_sees_it_missed() -> None:
    s = build(actors=[actor("a"), actor("b", no_answer=1.0)], **a_calls_b())
    assert trace(run(s)) == [
        (0.0, "call_attempt a>b @line attempt=1"),
        (3.0, "call_missed b>a @line attempt=1 reason=refused"),
        (3.0, "call_failed a>b @line attempt=1 reason=refused"),
        (3.0, "call_gave_up a>b @line attempts=1"),
    ]


@pytest.mark.parametrize(("answer_after", "expected"), [
    ("2m", [(0.0, "call_attempt a>b @line attempt=1"),
            (3.0, "call_connected a>b @line attempt=1"),  # answering exactly at the timeout counts
            (13.0, "call_ended a>b @line")]),
    ("3m", [(0.0, "call_attempt a>b @line attempt=1"),
            (3.0, "call_missed b>a @line attempt=1 reason=unanswered"),
            (3.0, "call_failed a>b @line attempt=1 reason=unanswered"),
            (3.0, "call_gave_up a>b @line attempts=1")]),
])
def test_answer_slower_than_the_ring_timeout_is_unanswered(answer_after: str, expected: list) -> None:
    s = build(actors=[actor("a"), actor("b", response={"call": answer_after})], **a_calls_b())
    assert trace(run(s)) == expected


def test_callee_busy_in_another_call() -> None:
    s = build(actors=[actor("a"), actor("b"), actor("c")],
              channels=[line(), {"id": "cb", "kind": "call", "ends": ["c", "b"], "duration": "30m"}],
              rules=[start_rule("c-dials", "c", call("b", "cb")),
                     {"id": "a-dials", "actor": "a", "when": {"at": "5m"}, "do": call("b", "line")}])
    assert trace(run(s)) == [
        (0.0, "call_attempt c>b @cb attempt=1"),
        (0.0, "call_connected c>b @cb attempt=1"),
        (5.0, "call_attempt a>b @line attempt=1"),
        (6.0, "call_failed a>b @line attempt=1 reason=busy"),  # engaged: no ringing
        (6.0, "call_gave_up a>b @line attempts=1"),
        (30.0, "call_ended c>b @cb"),
    ]


def test_caller_busy_in_another_call_cannot_call() -> None:
    s = build(actors=[actor("a"), actor("b"), actor("c")],
              channels=[line(), {"id": "ac", "kind": "call", "ends": ["a", "c"], "duration": "30m"}],
              rules=[start_rule("a-c", "a", call("c", "ac")),
                     {"id": "a-b", "actor": "a", "when": {"at": "5m"}, "do": call("b", "line")}])
    assert trace(run(s), kinds=("call_failed",)) == [
        (6.0, "call_failed a>b @line attempt=1 reason=busy")]


def test_two_callers_answered_at_the_same_moment_do_not_both_connect() -> None:
    # a and c both ring b, who picks up 1m later: b can take only one of them
    s = build(actors=[actor("a"), actor("b", response={"call": "1m"}), actor("c")],
              channels=[line(), {"id": "cb", "kind": "call", "ends": ["c", "b"], "setup": "1m",
                                 "duration": "10m"}],
              rules=[start_rule("a-dials", "a", call("b", "line")),
                     start_rule("c-dials", "c", call("b", "cb"))])
    assert trace(run(s)) == [
        (0.0, "call_attempt a>b @line attempt=1"),
        (0.0, "call_attempt c>b @cb attempt=1"),
        (2.0, "call_missed b>c @cb attempt=1 reason=busy"),  # it rang, then b was taken
        (2.0, "call_failed c>b @cb attempt=1 reason=busy"),
        (2.0, "call_gave_up c>b @cb attempts=1"),
        (2.0, "call_connected a>b @line attempt=1"),
        (12.0, "call_ended a>b @line"),
    ]


def test_callee_unreachable_in_a_window() -> None:
    s = build(actors=[actor("a"), actor("b", unreachable=[{"start": "0m", "end": "30m"}])],
              **a_calls_b(retry={"attempts": 1, "interval": "40m"}))
    assert trace(run(s)) == [
        (0.0, "call_attempt a>b @line attempt=1"),
        (1.0, "call_failed a>b @line attempt=1 reason=unreachable"),
        (41.0, "call_attempt a>b @line attempt=2"),
        (42.0, "call_connected a>b @line attempt=2"),
        (52.0, "call_ended a>b @line"),
    ]


def test_channel_down_window() -> None:
    s = build(**a_calls_b(down=[{"start": "0m", "end": "20m"}],
                          retry={"attempts": 1, "interval": "30m"}))
    assert trace(run(s)) == [
        (0.0, "call_attempt a>b @line attempt=1"),
        (1.0, "call_failed a>b @line attempt=1 reason=line down"),
        (31.0, "call_attempt a>b @line attempt=2"),
        (32.0, "call_connected a>b @line attempt=2"),
        (42.0, "call_ended a>b @line"),
    ]


def test_channel_outside_its_up_windows_is_down() -> None:
    s = build(**a_calls_b(up=[{"start": "1h", "end": "2h"}],
                          retry={"attempts": 1, "interval": "59m"}))
    assert trace(run(s), kinds=("call_failed", "call_connected")) == [
        (1.0, "call_failed a>b @line attempt=1 reason=line down"),
        (61.0, "call_connected a>b @line attempt=2"),  # 1m + 59m + 1m set-up: inside the window
    ]


@pytest.mark.parametrize(("zone", "off_duty_delay", "expected"), [
    ("UTC", "1m", "1.0 call_connected"),         # 12:00 local: on duty, answers at once
    ("Asia/Tokyo", "1m", "2.0 call_connected"),  # 21:00 local: off duty, 1m to answer
    ("Asia/Tokyo", "5m", "3.0 call_failed"),     # woken too slowly: the call rings out
])
def test_off_duty_callee_answers_slower(zone: str, off_duty_delay: str, expected: str) -> None:
    b = actor("b", timezone=zone, working_hours={"start": "08:00", "end": "18:00"},
              off_duty_delay=off_duty_delay)
    log = run(build(actors=[actor("a"), b], **a_calls_b()))
    outcome = next(r for r in log if r.kind in ("call_connected", "call_failed"))
    assert f"{outcome.t} {outcome.kind}" == expected


def test_off_duty_rule_acts_after_the_off_duty_delay() -> None:
    b = actor("b", timezone="Asia/Tokyo", working_hours={"start": "08:00", "end": "18:00"},
              off_duty_delay="45m")
    s = build(actors=[actor("a"), b],
              rules=[start_rule("alarm", "b", {"posture": {"raise": 1}}, delay="10m")])
    assert trace(run(s)) == [(55.0, "posture b level=alert")]


def test_working_hours_by_local_clock_and_past_midnight() -> None:
    night_shift = actor("n", timezone="Europe/Warsaw", working_hours={"start": "22:00", "end": "06:00"})
    s = build(actors=[actor("a"), night_shift])
    state = ActorState(s.actor("n"), s, Values({}))
    # start is 12:00 UTC = 13:00 in Warsaw (CET, +1h)
    assert state.local_time(0).strftime("%H:%M") == "13:00"
    assert state.off_duty(0)
    assert not state.off_duty(9 * 60)        # 22:00 local
    assert not state.off_duty(16 * 60 + 59)  # 05:59 local
    assert state.off_duty(17 * 60)           # 06:00 local: the shift has ended
    assert state.status(0) == "off duty"


def test_unreachable_caller_cannot_get_through() -> None:
    s = build(actors=[actor("a", unreachable=[{"start": "0m", "end": "30m"}]), actor("b")],
              **a_calls_b())
    assert trace(run(s)) == [
        (0.0, "call_attempt a>b @line attempt=1"),
        (1.0, "call_failed a>b @line attempt=1 reason=unreachable"),
        (1.0, "call_gave_up a>b @line attempts=1"),
    ]


@pytest.mark.filterwarnings("ignore::sim.scenario.retired.ScenarioWarning")
@pytest.mark.parametrize("capacity", [0, 2])
def test_a_line_carries_one_call_whatever_its_retired_capacity(capacity: int) -> None:
    """Rule: `capacity` is ignored: 0 does not block a call, 2 does not let a second one through."""
    s = build(channels=[line(capacity=capacity)],
              rules=[start_rule("dial", "a", call("b", "line")),
                     start_rule("redial", "b", call("a", "line"))])
    assert trace(run(s)) == [
        (0.0, "call_attempt a>b @line attempt=1"),
        (0.0, "call_attempt b>a @line attempt=1"),
        (1.0, "call_missed a>b @line attempt=1 reason=busy"),  # it rang: a sees the missed call
        (1.0, "call_failed b>a @line attempt=1 reason=busy"),  # a>b has claimed both ends
        (1.0, "call_gave_up b>a @line attempts=1"),
        (1.0, "call_connected a>b @line attempt=1"),
        (11.0, "call_ended a>b @line"),
    ]


def test_a_players_call_makes_one_attempt_unless_they_ask_for_retries() -> None:
    """Rule: a seated caller decides itself whether to call again; `retry: true` hands it to staff."""
    from sim.engine.session import Session, SessionAction

    s = build(channels=[line(answer=0, retry={"attempts": 2, "interval": "10m"})])
    for retry, attempts in ((None, 1), (True, 3)):
        session = Session(s, seats=["a"])
        call = {"to": "b", "channel": "line", **({"retry": retry} if retry else {})}
        session.act(SessionAction.model_validate({"actor": "a", "do": {"call": call}}))
        session.advance(120)
        assert trace(session.log, kinds=("call_gave_up",)) == [
            (3.0 + 13.0 * (attempts - 1), f"call_gave_up a>b @line attempts={attempts}")]
        # the seat sees each attempt as it is placed, and how it ended
        seen = [(r.kind, r.data["attempt"]) for r in session.view("a").feed
                if r.kind in ("call_attempt", "call_failed")]
        assert seen == [(kind, n) for n in range(1, attempts + 1)
                        for kind in ("call_attempt", "call_failed")]
