"""A call to a seated player's actor rings for the player, who picks up, declines or lets it ring."""

from __future__ import annotations

import pytest

from sim.engine.journal import Journal, read_journal
from sim.engine.session import ActionError, Session, SessionAction

from .helpers import build, trace

#: `a` calls `b` at 10 minutes; the line sets up in 1 minute and rings for 30.
LINE = {"id": "line", "kind": "call", "ends": ["a", "b"], "setup": "1m", "ring_timeout": "30m",
        "duration": "10m", "answer": 0.0, "retry": {"attempts": 0, "interval": "5m"}}
DIAL = {"id": "dial", "actor": "a", "when": {"at": "10m"}, "do": {"call": {"to": "b", "channel": "line"}}}
KINDS = ("call_ringing", "call_connected", "call_failed", "call_missed", "call_ended")


def scenario():
    return build(channels=[LINE], rules=[DIAL])


def rung(answering: bool = True) -> Session:
    session = Session(scenario(), seed=1, seats=["b"], answering=answering)
    session.advance(60)
    return session


def test_the_call_rings_for_the_player_and_play_pauses() -> None:
    session = rung()
    assert session.paused
    assert session.now == 11
    assert trace(session.log, kinds=KINDS) == [(11.0, "call_ringing b>a @line attempt=1")]
    assert session.log[-1].data["until"] == 41
    assert session.view("b").feed[-1].kind == "call_ringing"  # the callee sees it ring
    assert all(r.kind != "call_ringing" for r in session.view("a").feed)  # the caller does not


def test_picking_up_connects_at_that_minute_though_the_answer_model_never_would() -> None:
    session = rung()
    session.advance(20)
    session.act(SessionAction(actor="b", answer=True))
    session.advance(60)
    assert trace(session.log, kinds=KINDS) == [
        (11.0, "call_ringing b>a @line attempt=1"),
        (20.0, "call_connected a>b @line attempt=1"),
        (30.0, "call_ended a>b @line")]


def test_declining_is_a_refusal_the_caller_hears_at_once() -> None:
    session = rung()
    session.act(SessionAction(actor="b", answer=False))
    assert trace(session.log, kinds=KINDS)[1:] == [
        (11.0, "call_missed b>a @line attempt=1 reason=refused"),
        (11.0, "call_failed a>b @line attempt=1 reason=refused")]


def test_letting_it_ring_leaves_it_unanswered_when_the_ring_times_out() -> None:
    session = rung()
    session.advance(60)
    assert trace(session.log, kinds=KINDS)[1:] == [
        (41.0, "call_missed b>a @line attempt=1 reason=unanswered"),
        (41.0, "call_failed a>b @line attempt=1 reason=unanswered")]
    with pytest.raises(ActionError, match="no call is ringing for b"):
        session.check(SessionAction(actor="b", answer=True))


def test_without_answering_the_answer_model_decides_as_before() -> None:
    session = rung(answering=False)
    assert not session.paused
    assert [r.kind for r in session.log if r.kind in KINDS] == ["call_missed", "call_failed"]


def test_an_answer_needs_an_actor_and_is_one_action() -> None:
    with pytest.raises(ValueError, match="an actor's action needs 'actor'"):
        SessionAction(answer=True)
    with pytest.raises(ValueError, match="exactly one of"):
        SessionAction(actor="b", answer=True, note="x")


def test_a_journal_keeps_the_answer_and_resumes_to_the_same_log(tmp_path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("", encoding="utf-8")  # the journal names a file; the test replays the model
    s = scenario()
    session = Session(s, seed=1, seats=["b"], answering=True)
    journal = Journal.create(tmp_path / "j.jsonl", session, path, "")
    session.advance(60)
    session.act(SessionAction(actor="b", answer=True))
    session.advance(120)
    journal.close()
    contents = read_journal(tmp_path / "j.jsonl")
    assert contents.header["answering"] is True
    again = Session(s, seed=1, seats=["b"], answering=contents.header["answering"])
    again.replay(contents.ops)
    assert [r.dumps() for r in again.log] == [r.dumps() for r in session.log]



@pytest.mark.parametrize("history", ["kept", "replayed"])
def test_futures_forked_after_a_picked_up_call_leave_later_calls_to_the_answer_model(history: str) -> None:
    from sim.whatif.fork import run_from_session

    session = rung()
    session.act(SessionAction(actor="b", answer=True))
    session.advance(60)
    summary = run_from_session(session, session.scenario, change={}, reps=2, history=history,
                               baseline=False)
    assert summary.outcome.done == 2


def test_an_answer_taken_again_where_nothing_rings_for_a_player_is_skipped() -> None:
    future = Session(scenario(), seed=1, seats=["b"])  # a future: no player, no ringing
    future.act_again(SessionAction(actor="b", answer=True))
    future.advance(60)
    assert [r.kind for r in future.log if r.kind in KINDS] == ["call_missed", "call_failed"]
