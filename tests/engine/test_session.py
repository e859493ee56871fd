"""The Session API: turns, actions at the current time, replay, views per seat, pauses, errors."""

from __future__ import annotations

from typing import Any

import pytest

from sim.engine.session import ActionError, Session, SessionAction
from sim.scenario import Scenario
from sim.scenario.events import Action

from .helpers import actor, build, trace


def parts(**more: Any) -> dict[str, Any]:
    return {
        "actors": [actor("a", response={"message": "2m"}), actor("b", belief={"red": 0.9, "blue": 0.1}),
                   actor("wire", playable=False)],
        "channels": [
            {"id": "line", "kind": "call", "ends": ["a", "b"], "setup": "1m", "duration": "10m"},
            {"id": "mail", "kind": "message", "members": ["a", "b"], "latency": "3m"},
            {"id": "news", "kind": "broadcast", "publishers": ["wire", "b"], "latency": "1m"},
            {"id": "council", "kind": "meeting", "members": ["a", "b"], "convene": "30m"},
        ],
        "injects": [
            {"id": "on-the-hour", "title": "On the hour", "at": "1h", "to": ["b"],
             "claim": {"hypothesis": "red", "confidence": 0.9}},
            {"id": "spare", "title": "Spare", "optional": True, "to": ["a"]},
        ],
        "rules": [{"id": "wire-talks", "actor": "wire", "when": {"at": "20m"},
                   "do": {"statement": {"channel": "news", "claim": {"hypothesis": "red"}}}}],
        **more,
    }


@pytest.fixture
def scenario() -> Scenario:
    return build(**parts())


def do(who: str, action: dict[str, Any]) -> SessionAction:
    return SessionAction(actor=who, do=Action.model_validate(action))


def test_advance_leaves_events_at_exactly_until_to_the_next_turn(scenario: Scenario) -> None:
    session = Session(scenario)
    first = session.next_turn()
    assert session.now == 60.0
    assert session.turn == 2
    assert "inject" not in [r.kind for r in first]  # the inject at 60m belongs to turn 2
    second = session.next_turn()
    assert trace(second)[0] == (60.0, "inject inject=on-the-hour hypothesis=red")
    assert session.now == 120.0


def test_advance_moves_the_clock_even_when_nothing_happens(scenario: Scenario) -> None:
    session = Session(scenario)
    assert session.advance(5) == []
    assert session.now == 5.0
    session.advance(10_000)
    assert session.now == scenario.duration
    assert session.finished


@pytest.mark.parametrize(("who", "action", "expected"), [
    ("a", {"call": {"to": "b", "channel": "line"}},
     [(30.0, "call_attempt a>b @line attempt=1"), (30.0, "note a")]),
    ("b", {"statement": {"channel": "news", "claim": {"hypothesis": "blue", "confidence": 0.5}}},
     [(30.0, "statement b @news hypothesis=blue"), (30.0, "note b")]),
    ("a", {"posture": {"set": "crisis"}}, [(30.0, "posture a level=crisis"), (30.0, "note a")]),
    ("a", {"convene": "council"}, [(30.0, "meeting_requested a @council"), (30.0, "note a")]),
    ("a", {"message": {"to": "b", "channel": "mail"}},
     [(30.0, "message_sent a>b @mail hypothesis=red"), (30.0, "note a")]),  # a heard the wire
])
def test_actions_enter_at_the_current_time(scenario: Scenario, who: str, action: dict[str, Any],
                                           expected: list[tuple[float, str]]) -> None:
    session = Session(scenario, seats=["a", "b"])
    session.advance(30)
    added = session.act(do(who, action))
    assert sorted(trace(added)) == sorted(expected)
    assert added == session.log[-len(added):]
    assert session.actions[-1].t == 30.0


def test_player_posture_is_marked_as_the_players(scenario: Scenario) -> None:
    session = Session(scenario, seats=["a"])
    record = session.act(do("a", {"posture": {"raise": 1}}))[0]
    assert (record.kind, record.data["why"]) == ("posture", "player")


def test_facilitator_injects_and_notes(scenario: Scenario) -> None:
    session = Session(scenario)
    session.advance(45)
    dropped = session.act(SessionAction(inject="spare"))
    assert trace(dropped) == [(45.0, "inject inject=spare"), (45.0, "received a inject=spare")]
    assert dropped[0].data["by"] == "facilitator"
    free = session.act(SessionAction(free_inject={"title": "Rumour", "to": ["b"],
                                                  "claim": {"hypothesis": "blue", "confidence": 1.0}}))
    # b's own prior (0.9 red) and the wire's red opinion contradict the rumour: b judges it at
    # once, and trusts its anonymous source less
    assert [r.kind for r in free] == ["inject", "received", "belief", "trust", "belief"]
    assert free[3].data["confirmed"] is False
    assert free[0].data["title"] == "Rumour"
    note = session.act(SessionAction(note="B looks worried"))
    assert (note[0].t, note[0].kind, note[0].actor, note[0].data) == (
        45.0, "note", None, {"text": "B looks worried", "by": "facilitator"})


def play_script(session: Session) -> None:
    session.advance(30)
    session.act(do("a", {"call": {"to": "b", "channel": "line"}}))
    session.next_turn()
    session.act(do("b", {"statement": {"channel": "news"}}))
    session.act(SessionAction(inject="spare"))
    session.advance(150)
    session.act(do("a", {"convene": "council"}))
    session.act(SessionAction(note="end of act one"))
    session.advance(300)


def test_replaying_the_actions_at_their_times_gives_the_same_log(scenario: Scenario) -> None:
    original = Session(scenario, seed=7, seats=["a", "b"])
    play_script(original)
    replayed = Session(scenario, seed=7, seats=["a", "b"])
    for timed in original.actions:
        replayed.advance(timed.t)
        replayed.act(timed.action)
    replayed.advance(original.now)
    assert [r.dumps() for r in replayed.log] == [r.dumps() for r in original.log]
    again = Session(scenario, seed=7, seats=["a", "b"])
    play_script(again)
    assert [r.dumps() for r in again.log] == [r.dumps() for r in original.log]


def test_replaying_recorded_operations_repeats_pauses_too() -> None:
    s = build(**parts(injects=[{"id": "stop", "title": "Stop", "at": "25m", "to": ["a"],
                                "pause": True}]))
    original = Session(s, seats=["a"])
    original.advance(60)  # pauses at 25m, where the inject and its pause happen
    assert original.now == 25.0
    original.act(SessionAction(note="paused here"))
    original.advance(60)
    copy = Session(s, seats=["a"])
    copy.replay(original.ops)
    assert [r.dumps() for r in copy.log] == [r.dumps() for r in original.log]


def test_a_seat_sees_only_what_reached_it(scenario: Scenario) -> None:
    session = Session(scenario, seats=["a"])
    session.advance(90)
    session.act(do("a", {"call": {"to": "b", "channel": "line"}}))
    session.advance(120)
    view = session.view("a")
    assert view.truth is None
    assert view.role == "a"
    # exactly what reached a or what a did: not wire's statement itself, not b's inject, receipt
    # or beliefs (even b's belief moved by the call with a), not the facilitator's inject record
    assert trace(view.feed) == [
        (21.0, "received a>wire @news hypothesis=red"),
        (21.0, "belief a>wire"),
        (90.0, "note a"),
        (90.0, "call_attempt a>b @line attempt=1"),
        (91.0, "call_connected a>b @line attempt=1"),
        (91.0, "call_move a>b @line hypothesis=red"),  # both ends hear the moves made on the call
        (91.0, "call_move b>a @line hypothesis=red"),
        (91.0, "received a>b @line hypothesis=red"),
        (91.0, "belief a>b"),
        (101.0, "call_ended a>b @line"),
    ]
    assert len(session.log) == 20  # of everything that happened
    others = {v.id: v for v in view.actors}
    assert others["a"].belief is not None
    assert others["a"].posture == "routine"
    assert others["b"].belief is None
    assert others["b"].posture is None
    assert others["wire"].status == "?"  # never in contact with a
    assert {c[0] for c in view.channels} == {"line", "mail", "news", "council"}
    assert view.metrics == {}


def test_the_facilitator_sees_everything_and_the_truth(scenario: Scenario) -> None:
    session = Session(scenario, seats=["a"])
    session.advance(120)
    view = session.view("facilitator")
    assert view.truth == "blue"
    assert list(view.feed) == session.log
    assert "inject" in {r.kind for r in view.feed}
    assert all(v.belief is not None for v in view.actors)
    assert view.channels[0] == ("line", "call", "up")


def test_view_of_an_unknown_role_is_an_error(scenario: Scenario) -> None:
    with pytest.raises(ActionError, match="unknown role"):
        Session(scenario).view("nobody")


def test_pause_on_pattern_stops_advance_early() -> None:
    s = build(**parts(pause_on=[{"kind": "statement", "actor": "wire"}]))
    session = Session(s)
    added = session.advance(60)
    assert session.paused
    assert session.now == 20.0
    assert added[-1].kind == "statement"
    rest = session.advance(60)
    assert not session.paused
    assert session.now == 60.0
    assert rest[0].t == 21.0  # the statement reaching its audience, after the pause


def test_pause_inject_stops_advance_early() -> None:
    s = build(**parts(injects=[{"id": "stop", "title": "Stop", "at": "25m", "to": ["a"], "pause": True}]))
    session = Session(s)
    added = session.advance(60)
    assert (session.now, session.paused) == (25.0, True)
    assert [r.kind for r in added][-3:] == ["inject", "pause", "received"]
    session.advance(60)
    assert (session.now, session.paused) == (60.0, False)


@pytest.mark.parametrize(("action", "message"), [
    (lambda: do("nobody", {"posture": {"raise": 1}}), "unknown actor 'nobody'"),
    (lambda: do("wire", {"call": {"to": "b", "channel": "line"}}), "links a and b"),
    (lambda: do("a", {"statement": {"channel": "news"}}), "'a' does not publish on 'news'"),
    (lambda: do("a", {"call": {"to": "b", "channel": "mail"}}), "is a message channel"),
    (lambda: SessionAction(inject="nosuch"), "unknown inject 'nosuch'"),
    (lambda: SessionAction(free_inject={"title": "x", "to": ["nobody"]}), "unknown actor 'nobody'"),
    (lambda: SessionAction(free_inject={"title": "x", "to": ["a"], "claim": {"hypothesis": "green"}}),
     "unknown hypothesis 'green'"),
    (lambda: SessionAction(free_inject={"title": "x", "via": "mail"}), "is a message channel"),
    (lambda: SessionAction(free_inject={"title": "x", "to": ["a"], "claim": "red"}), "free inject:"),
])
def test_invalid_actions_raise_action_error(scenario: Scenario, action: Any, message: str) -> None:
    session = Session(scenario)
    with pytest.raises(ActionError, match=message):
        session.act(action())
    assert session.log == []
    assert session.actions == []


def test_a_player_may_not_send_on_a_message_channel_they_are_not_a_member_of(scenario: Scenario) -> None:
    """Rule: Session.act refuses a message from a non-member of the channel, and nothing happens."""
    session = Session(scenario)
    with pytest.raises(ActionError, match="'wire' is not a member of message channel 'mail'"):
        session.act(do("wire", {"message": {"to": ["a"], "channel": "mail"}}))
    assert (session.log, session.actions) == ([], [])


def test_seats_must_be_playable(scenario: Scenario) -> None:
    with pytest.raises(ActionError, match="not a playable actor"):
        Session(scenario, seats=["wire"])


def test_seated_actors_rules_do_not_run() -> None:
    s = build(**parts())
    assert any(r.kind == "statement" for r in _run_session(s, seats=()))
    assert not any(r.kind == "statement" for r in _run_session(s, seats=("wire",), playable=True))


def _run_session(s: Scenario, seats: tuple[str, ...], playable: bool = False) -> list:
    if playable:
        data = parts()
        data["actors"][2]["playable"] = True
        s = build(**data)
    session = Session(s, seats=seats)
    session.advance(60)
    return session.log
