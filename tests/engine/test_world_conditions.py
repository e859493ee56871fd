"""Conditions on the state of the world, filtered triggers, and holding lines that set off rules."""

from __future__ import annotations

import pytest

from sim.scenario import ScenarioError

from .helpers import actor, build, run, trace

RAISE = {"posture": {"raise": 1}}
NEWS = {"id": "news", "kind": "broadcast", "publishers": ["a", "b", "c"], "latency": "1m"}


def _say(rule_id: str, who: str, at: str, **says: object) -> dict:
    return {"id": rule_id, "actor": who, "when": {"at": at},
            "do": {"statement": {"channel": "news", **says}}}


def test_a_holding_line_sets_off_a_received_rule() -> None:
    s = build(actors=[actor("a"), actor("b"), actor("c")], channels=[NEWS],
              rules=[_say("verify", "a", "10m", holding=True, text="we are verifying"),
                     {"id": "report", "actor": "b", "when": {"received": {"origin": "a"}},
                      "do": RAISE}])
    assert trace(run(s), kinds=("received", "posture")) == [
        (11.0, "received b>a @news"),
        (11.0, "received c>a @news"),
        (11.0, "posture b level=alert"),
    ]


def test_received_triggers_filter_by_channel_rule_and_tag() -> None:
    quiet = {**NEWS, "id": "quiet", "public": False}
    s = build(actors=[actor("a"), actor("b"), actor("c")], channels=[NEWS, quiet],
              rules=[_say("plain", "a", "10m", holding=True),
                     _say("tagged", "a", "20m", holding=True, tag="urgent"),
                     {**_say("other", "a", "30m", holding=True), "do": {"statement": {
                         "channel": "quiet", "holding": True, "tag": "urgent"}}},
                     {"id": "by-tag", "actor": "b", "repeat": True,
                      "when": {"received": {"tag": "urgent", "channel": "news"}}, "do": RAISE},
                     {"id": "by-rule", "actor": "c", "when": {"received": {"rule": "other"}},
                      "do": RAISE}])
    assert trace(run(s), kinds=("posture",)) == [
        (21.0, "posture b level=alert"),   # the tagged line on news; not the untagged one
        (31.0, "posture c level=alert"),   # the line said by rule `other`
    ]


def test_conditions_on_what_happened_on_contact_between_others_and_on_the_clock() -> None:
    # the scenario starts at 12:00 UTC; c works 09:00-17:00 UTC
    s = build(actors=[actor("a"), actor("b"), actor("c", working_hours={"start": "09:00",
                                                                        "end": "17:00"})],
              channels=[NEWS, {"id": "line", "kind": "call", "ends": ["a", "b"]}],
              rules=[_say("speak", "a", "1h", holding=True),
                     {"id": "dial", "actor": "a", "when": {"at": "2h"},
                      "do": {"call": {"to": "b", "channel": "line"}}},
                     {"id": "c-after-both", "actor": "c", "when": {"start": True}, "every": "1h",
                      "if": [{"happened": {"kind": "statement", "actor": "a"}},
                             {"in_contact": ["a", "b"]}, {"on_duty": True},
                             {"local_time": {"after": "15:00", "before": "16:30"}}],
                      "do": RAISE}])
    # statement at 1h, contact at 2h, on duty throughout: the first check at or after 15:00 is 3h
    assert trace(run(s), kinds=("posture",)) == [(180.0, "posture c level=alert")]


def test_a_local_time_range_may_wrap_past_midnight_and_must_be_a_clock() -> None:
    night = {"id": "night", "actor": "a", "when": {"start": True}, "every": "1h",
             "if": [{"local_time": {"after": "22:00", "before": "02:00"}}], "do": RAISE}
    assert trace(run(build(rules=[night], duration="1d")), kinds=("posture",)) == [
        (600.0, "posture a level=alert")]  # 22:00 UTC
    with pytest.raises(ScenarioError, match="'25:00' is not a time of day"):
        build(rules=[{**night, "if": [{"local_time": {"after": "25:00"}}]}])
