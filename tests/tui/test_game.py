"""The game behind the screen: channels per actor, journals, rewind and fork, without a terminal."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest

from sim.engine.journal import JournalError, read_journal
from sim.engine.session import FACILITATOR, SessionAction
from tui.game import Game, default_journal_path

from .helpers import PLAY


@pytest.fixture
def game(tmp_path, scenario):
    g = Game.start(PLAY, scenario, seat=FACILITATOR, seed=1, journal_path=tmp_path / "g.jsonl")
    yield g
    g.close()


def test_default_journal_path_is_under_the_data_folder():
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    path = default_journal_path("poland-2022", now, {"XDG_DATA_HOME": "/data"})
    assert str(path) == "/data/hotline/journals/poland-2022-20260102-030405.jsonl"
    home = default_journal_path("x", now, {})
    assert home.parts[-4:] == ("share", "hotline", "journals", "x-20260102-030405.jsonl")


def test_channels_each_actor_may_use(game):
    assert game.call_partners("ally") == {"east": ["hotline"]}
    assert game.call_partners("pm") == {"gen": ["phone"]}
    assert game.message_channels("pm") == {"cable": ["gen", "ally"]}
    assert game.message_channels("east") == {}
    assert game.broadcast_channels("pm") == ["news"]
    assert game.broadcast_channels("gen") == []
    assert game.meeting_channels("gen") == ["council"]
    assert [i.id for i in game.optional_injects()] == ["debris"]


def test_the_acting_actor_follows_the_view(game):
    assert game.actor is None
    game.role = "pm"
    assert game.actor == "pm"
    game.role = "wire"  # automated: the facilitator cannot act for it
    assert game.actor is None


def test_free_inject_title_and_text_are_found(game):
    game.act(SessionAction(note="first"))
    game.act(SessionAction(free_inject={"title": "Leak", "text": "A memo", "to": ["pm"]}))
    assert game.inject_info("free-2") == ("Leak", "A memo")
    assert game.inject_info("blast")[0] == "Explosion near the border village"
    assert game.inject_info("free-9") == ("free-9", "")


def test_words_of_a_received_statement(game):
    game.session.advance(60)
    received = next(r for r in game.session.log if r.kind == "received" and r.actor == "pm"
                    and r.channel == "news" and r.counterpart == "wire")
    assert game.words_for(received) == "Russian-made missile hits village"


def test_rewind_keeps_the_path_and_a_copy(game, tmp_path):
    game.session.advance(30)
    game.act(SessionAction(note="x"))
    game.session.advance(60)
    backup = game.rewind(2)
    assert game.journal.path == tmp_path / "g.jsonl"
    assert game.session.now == 30
    assert read_journal(tmp_path / "g.jsonl").ops == [
        {"op": "advance", "until": 30.0},
        {"op": "abandoned_note", "t": 30.0, "text": "x", "branch": "rewound from turn 3 to turn 2"}]
    assert len(read_journal(backup).ops) == 3
    game.act(SessionAction(note="after"))
    assert read_journal(tmp_path / "g.jsonl").ops[-1]["action"] == {"note": "after"}
    with pytest.raises(JournalError, match="not a turn played so far"):
        game.rewind(9)


def test_fork_refuses_an_existing_file(game, tmp_path):
    (tmp_path / "taken.jsonl").write_text("")
    with pytest.raises(JournalError, match="exists already"):
        game.fork(tmp_path / "taken.jsonl")


def test_last_turn(game):
    assert game.last_turn == 12


def test_rewind_past_a_mid_turn_pause_lands_at_the_turn_start(game):
    # turn 3 (60-90) pauses at 75 for the casualties inject; `n` twice finishes it
    for until in (30, 60, 90, 90, 120):
        game.session.advance(until)
    assert [op["until"] for op in game.session.ops] == [30, 60, 90, 90, 120]
    game.rewind(4)
    assert (game.session.now, game.session.turn, game.session.paused) == (90, 4, False)
    game.rewind(3)
    assert (game.session.now, game.session.paused) == (60, False)


def test_rewind_past_steps_to_the_next_event(game):
    while game.session.now < 45:
        game.session.run_to_next_event()
    game.rewind(2)
    assert (game.session.now, game.session.paused) == (30, False)


def test_rewind_keeps_later_notes_marked_as_abandoned(game, tmp_path):
    game.act(SessionAction(note="before the strike"))
    game.session.advance(30)
    game.act(SessionAction(note="the wire got it wrong"))
    game.session.advance(60)
    game.rewind(2)
    assert [(n.t, n.text, n.branch) for n in game.session.abandoned_notes] == [
        (30.0, "the wire got it wrong", "rewound from turn 3 to turn 2")]
    assert [r.data["text"] for r in game.session.log if r.kind == "note"] == ["before the strike"]
    game.session.advance(60)
    game.rewind(1)  # a second rewind keeps the first one's notes too
    assert [n.text for n in game.session.abandoned_notes] == ["the wire got it wrong",
                                                             "before the strike"]
    game.close()
    resumed, _ = Game.resume(tmp_path / "g.jsonl")
    assert [n.branch for n in resumed.session.abandoned_notes] == [
        "rewound from turn 3 to turn 2", "rewound from turn 3 to turn 1"]
    resumed.close()
    done = subprocess.run([sys.executable, "-m", "sim.cli", "report", str(tmp_path / "g.jsonl"),
                           "--md", str(tmp_path / "aar.md")], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    md = (tmp_path / "aar.md").read_text(encoding="utf-8")
    assert ("| note, abandoned branch | the wire got it wrong (on the abandoned branch, "
            "rewound from turn 3 to turn 2) |") in md


def test_a_branch_under_another_variant_replays_from_its_journal(game, tmp_path):
    game.session.advance(30)
    game.fork(tmp_path / "b.jsonl", variant="line-works")
    assert game.session.params["east_answer"] == 1.0
    game.session.advance(360)
    from sim.engine.journal import open_session

    again = open_session(read_journal(tmp_path / "b.jsonl"))
    assert (again.variant, again.changes) == ("line-works", [(30.0, "line-works", {})])
    assert [r.dumps() for r in again.log] == [r.dumps() for r in game.session.log]
    original = open_session(read_journal(tmp_path / "g.jsonl"))
    original.advance(360)
    assert [r.dumps() for r in original.log] != [r.dumps() for r in game.session.log]
