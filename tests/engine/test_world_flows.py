"""Messages, broadcasts and meetings with exact logs, and the beliefs they move."""

from __future__ import annotations

import pytest

from .helpers import actor, build, run, start_rule, trace

RED = {"hypothesis": "red", "confidence": 0.8}


def message(to: str, channel: str) -> dict:
    return {"message": {"to": [to], "channel": channel, "claim": RED}}


def test_message_latency_and_a_lost_message() -> None:
    s = build(actors=[actor("a"), actor("b", response={"message": "2m"})],
              channels=[{"id": "mail", "kind": "message", "members": ["a", "b"], "latency": "5m"},
                        {"id": "void", "kind": "message", "members": ["a", "b"], "latency": "5m",
                         "loss": 1.0}],
              rules=[start_rule("write", "a", message("b", "mail")),
                     start_rule("lose", "a", message("b", "void"))])
    log = run(s)
    assert trace(log) == [
        (0.0, "message_sent a>b @mail hypothesis=red"),
        (0.0, "message_sent a>b @void hypothesis=red"),
        (5.0, "message_delivered a>b @mail"),
        (5.0, "message_lost a>b @void"),  # a loss shows when the message would have arrived
        (7.0, "received b>a @mail hypothesis=red"),  # 2m for b to read it
        (7.0, "belief b>a"),
    ]
    # a's opinion L = (0.8, 0.2) through b's default trust r = 0.5:
    # P(report | h) = 0.5·L + 0.5·0.5 = (0.65, 0.35), on an even prior
    assert log[-1].data["belief"] == pytest.approx({"red": 0.65, "blue": 0.35})


def test_a_message_to_an_unreachable_actor_waits_until_the_spell_ends() -> None:
    """Rule: a message delivered while the recipient is unreachable is read only once its spell is
    over (then its message delay), so nothing is acted on from where it cannot be reached."""
    s = build(actors=[actor("a"), actor("b", response={"message": "2m"},
                                        unreachable=[{"start": "0m", "end": "1h"},
                                                     {"start": "50m", "end": "70m"}])],
              channels=[{"id": "mail", "kind": "message", "members": ["a", "b"], "latency": "5m"}],
              rules=[start_rule("write", "a", message("b", "mail")),
                     {"id": "late", "actor": "a", "when": {"at": "80m"}, "do": message("b", "mail")}])
    assert trace(run(s), skip=("belief",)) == [
        (0.0, "message_sent a>b @mail hypothesis=red"),
        (5.0, "message_delivered a>b @mail"),        # in the inbox, unread: b is away
        (72.0, "received b>a @mail hypothesis=red"),  # spells chain to 70m, then 2m to read
        (80.0, "message_sent a>b @mail hypothesis=red"),
        (85.0, "message_delivered a>b @mail"),
        (87.0, "received b>a @mail hypothesis=red"),  # reachable again: the usual delay
    ]


def test_news_reaches_an_unreachable_follower_when_the_spell_ends() -> None:
    """Rule: a broadcast arriving while a follower is unreachable is taken in when it is over."""
    s = build(actors=[actor("a", unreachable=[{"start": "2m", "end": "30m"}]), actor("b"),
                      actor("wire")],
              channels=[{"id": "news", "kind": "broadcast", "publishers": ["wire"], "latency": "3m"}],
              rules=[start_rule("report", "wire", {"statement": {"channel": "news", "claim": RED}})])
    assert trace(run(s), kinds=("received",)) == [(3.0, "received b>wire @news hypothesis=red"),
                                                  (30.0, "received a>wire @news hypothesis=red")]


def test_message_sent_while_the_channel_is_down_is_lost() -> None:
    s = build(channels=[{"id": "mail", "kind": "message", "members": ["a", "b"], "latency": "5m",
                         "down": [{"start": "0m", "end": "1h"}]}],
              rules=[start_rule("write", "a", message("b", "mail"))])
    assert trace(run(s)) == [(0.0, "message_sent a>b @mail hypothesis=red"),
                             (5.0, "message_lost a>b @mail")]


def test_message_without_claim_carries_the_senders_leading_belief() -> None:
    s = build(actors=[actor("a", belief={"red": 0.25, "blue": 0.75}), actor("b")],
              channels=[{"id": "mail", "kind": "message", "members": ["a", "b"]}],
              rules=[start_rule("write", "a", {"message": {"to": "b", "channel": "mail"}})])
    sent = run(s)[0]
    assert (sent.kind, sent.data["hypothesis"], sent.data["confidence"]) == ("message_sent", "blue", 0.75)


def test_broadcast_reaches_its_audience_after_latency() -> None:
    s = build(actors=[actor("a", response={"broadcast": "2m"}), actor("b"), actor("c"), actor("wire")],
              channels=[{"id": "news", "kind": "broadcast", "publishers": ["wire"],
                         "audience": ["a", "b"], "latency": "3m"}],
              rules=[start_rule("report", "wire", {"statement": {
                  "channel": "news", "claim": {"hypothesis": "red", "confidence": 0.9}}})])
    log = run(s)
    assert trace(log) == [
        (0.0, "statement wire @news hypothesis=red"),
        (3.0, "received b>wire @news hypothesis=red"),
        (3.0, "belief b>wire"),
        (5.0, "received a>wire @news hypothesis=red"),  # a takes 2m more to take it in
        (5.0, "belief a>wire"),
    ]                                                   # c does not follow the channel
    statement = log[0]
    assert statement.data["public"] is True
    assert statement.data["correct"] is False
    # L = (0.9, 0.1), r = 0.5: (0.45 + 0.25, 0.05 + 0.25) on an even prior
    assert log[2].data["belief"] == pytest.approx({"red": 0.7, "blue": 0.3})


def test_broadcast_to_all_skips_the_speaker() -> None:
    s = build(actors=[actor("a"), actor("b"), actor("wire")],
              channels=[{"id": "news", "kind": "broadcast", "publishers": ["wire"], "latency": "1m"}],
              rules=[start_rule("report", "wire", {"statement": {"channel": "news", "claim": RED}})])
    assert trace(run(s), kinds=("received",)) == [(1.0, "received a>wire @news hypothesis=red"),
                                                  (1.0, "received b>wire @news hypothesis=red")]


def meeting_actors(**c_fields: object) -> list[dict]:
    return [actor("a", belief={"red": 0.8, "blue": 0.2}), actor("b", belief={"red": 0.2, "blue": 0.8}),
            actor("c", **c_fields)]


COUNCIL = {"id": "council", "kind": "meeting", "members": ["a", "b", "c"], "convene": "30m",
           "duration": "1h"}


def test_meeting_convenes_after_its_delay_and_members_share_what_they_hold() -> None:
    # before the meeting `a` hears c's opinion; in it, a passes that basis on (c -> a), and
    # nobody passes a prior: b's 0.8 on blue is not evidence
    s = build(actors=meeting_actors(), channels=[COUNCIL],
              injects=[{"id": "tip", "title": "Tip", "at": "10m", "to": ["a"], "origin": "c",
                        "claim": RED}],
              rules=[start_rule("ask", "a", {"convene": "council"}),
                     {"id": "met", "actor": "b", "when": {"contact": "a"},
                      "do": {"posture": {"raise": 1}}}])
    log = run(s)
    assert trace(log) == [
        (0.0, "meeting_requested a @council"),
        (10.0, "inject c inject=tip hypothesis=red"),
        (10.0, "received a>c inject=tip hypothesis=red"),
        (10.0, "belief a>c"),
        (30.0, "meeting_convened a @council members=a,b,c"),
        (30.0, "received b>a @council hypothesis=red"),
        (30.0, "belief b>a"),
        (30.0, "received c>a @council hypothesis=red"),  # its own opinion, come back: no change
        (30.0, "posture b level=alert"),
        (90.0, "meeting_ended a @council members=a,b,c"),
    ]
    assert log[5].data["basis"] == {"op:c": ["c", "a"]}
    # b weighs c's opinion (0.8, 0.2) through c and a, r = 0.5 × 0.5: (0.2 + 0.375, 0.05 + 0.375)
    # on b's prior (0.2, 0.8): odds 0.115 : 0.34
    assert log[6].data["belief"] == pytest.approx({"red": 0.115 / 0.455, "blue": 0.34 / 0.455})


@pytest.mark.parametrize(("c_fields", "convened"), [
    ({"response": {"meeting": "10m"}}, 30.0),   # joins before the 30m convene delay is over
    ({"response": {"meeting": "50m"}}, 50.0),   # the meeting waits for its slowest member
    ({"response": {"meeting": "10m"}, "working_hours": {"start": "20:00", "end": "23:00"},
      "off_duty_delay": "1h"}, 70.0),           # off duty at 12:00 UTC: 10m + 1h to join
])
def test_meeting_waits_for_its_members_time_to_join(c_fields: dict, convened: float) -> None:
    """Rule: a meeting convenes after max(its convene delay, each member's response.meeting)."""
    s = build(actors=meeting_actors(**c_fields), channels=[COUNCIL],
              rules=[start_rule("ask", "a", {"convene": "council"})])
    assert trace(run(s), skip=("belief",)) == [
        (0.0, "meeting_requested a @council"),
        (convened, "meeting_convened a @council members=a,b,c"),
        (convened + 60.0, "meeting_ended a @council members=a,b,c"),
    ]


def test_meeting_leaves_out_unreachable_members_and_waits_for_its_channel() -> None:
    s = build(actors=meeting_actors(unreachable=[{"start": "0m", "end": "2h"}]),
              channels=[{**COUNCIL, "down": [{"start": "0m", "end": "45m"}]}],
              rules=[start_rule("ask", "a", {"convene": "council"})])
    assert trace(run(s), skip=("belief",)) == [
        (0.0, "meeting_requested a @council"),
        (45.0, "meeting_convened a @council members=a,b"),
        (105.0, "meeting_ended a @council members=a,b"),
    ]


def test_meeting_whose_channel_is_never_up_again_ends_unconvened() -> None:
    s = build(actors=meeting_actors(), channels=[{**COUNCIL, "up": [{"start": "0m", "end": "10m"}]}],
              rules=[start_rule("ask", "a", {"convene": "council"})])
    log = run(s)
    assert trace(log) == [(0.0, "meeting_requested a @council"),
                          (30.0, "meeting_ended a @council reason=channel never up")]


def test_a_meeting_member_cannot_take_a_call() -> None:
    s = build(actors=meeting_actors(),
              channels=[COUNCIL, {"id": "line", "kind": "call", "ends": ["a", "b"], "duration": "5m"}],
              rules=[start_rule("ask", "a", {"convene": "council"}),
                     {"id": "dial", "actor": "b", "when": {"at": "40m"},
                      "do": {"call": {"to": "a", "channel": "line"}}}])
    assert trace(run(s), kinds=("call_failed",)) == [(40.0, "call_failed b>a @line attempt=1 reason=busy")]


def test_a_member_on_a_call_misses_the_meeting() -> None:
    s = build(actors=meeting_actors(),
              channels=[COUNCIL, {"id": "line", "kind": "call", "ends": ["b", "c"], "duration": "45m"}],
              rules=[start_rule("ask", "a", {"convene": "council"}),
                     start_rule("dial", "b", {"call": {"to": "c", "channel": "line"}})])
    assert trace(run(s), skip=("belief",)) == [
        (0.0, "meeting_requested a @council"),
        (0.0, "call_attempt b>c @line attempt=1"),
        (0.0, "call_connected b>c @line attempt=1"),
        (30.0, "meeting_convened a @council members=a"),  # b and c are still on the line
        (45.0, "call_ended b>c @line"),
        (90.0, "meeting_ended a @council members=a"),
    ]
