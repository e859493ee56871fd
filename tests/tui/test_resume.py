"""Journals in the UI: resume rebuilds the same state; damage is a warning or a clear error."""

from __future__ import annotations

import json

from sim.engine.journal import open_session, read_journal
from sim.engine.session import FACILITATOR, Session, SessionAction
from sim.scenario import load_scenario
from tui.app import HotlineApp, PlayOptions
from tui.game import Game
from tui.widgets.clock_bar import ClockBar
from tui.widgets.feed import Feed

from .helpers import PLAY, SEED, play_screen, press, settle


async def _play_some(app):
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "i", "ctrl+s", "t")
        await pilot.press(*"after the debris")
        await press(pilot, app, "enter", "n", "e")
        game = play_screen(app).game
        return [r.dumps() for r in game.session.log], game.session.now, \
            play_screen(app).query_one(Feed).lines()


async def test_resume_rebuilds_the_same_log_and_screen(make_app, tmp_path):
    log, now, lines = await _play_some(make_app())
    journal = tmp_path / "journal.jsonl"
    game, warnings = Game.resume(journal)
    assert warnings == []
    assert [r.dumps() for r in game.session.log] == log
    app = HotlineApp(PlayOptions(game=game))
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        assert screen.game.session.now == now
        assert screen.query_one(Feed).lines() == lines
        assert screen.query_one(ClockBar).clock.turn == game.session.turn
        await press(pilot, app, "n")  # and it carries on writing to the same journal
    assert read_journal(journal).ops[-1]["op"] == "advance"


async def test_resume_matches_a_direct_session(make_app, tmp_path, scenario):
    """The journal holds exactly what was done: replaying it by hand gives the same log."""
    log, _, _ = await _play_some(make_app())
    session = Session(scenario, seed=SEED)
    session.advance(30)
    session.act(SessionAction(inject="debris"))
    session.act(SessionAction(note="after the debris"))
    session.advance(60)
    session.run_to_next_event()
    assert [r.dumps() for r in session.log] == log


async def test_cut_short_last_line_resumes_with_a_warning(make_app, tmp_path):
    log, _, _ = await _play_some(make_app())
    journal = tmp_path / "journal.jsonl"
    with journal.open("a", encoding="utf-8") as f:
        f.write('{"op": "act", "t": 6')  # killed while writing
    game, warnings = Game.resume(journal)
    assert len(warnings) == 1
    assert "cut short" in warnings[0]
    assert [r.dumps() for r in game.session.log] == log
    app = HotlineApp(PlayOptions(game=game, warnings=warnings))
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot, app)
        assert any("cut short" in n.message for n in app._notifications)
        await press(pilot, app, "n")
    contents = read_journal(journal)
    assert contents.warnings == []  # the torn line was dropped before appending
    assert contents.ops[-1]["op"] == "advance"


async def test_player_seat_is_resumed(make_app, tmp_path):
    app = make_app("ally")  # nobody calls the ally in the first turn
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "x")
    game, _ = Game.resume(tmp_path / "journal.jsonl")
    assert game.seat.id == "ally"
    assert game.role == "ally"
    assert game.session.turn == 2


def test_open_session_agrees_with_game_resume(make_app, tmp_path):
    scenario = load_scenario(PLAY)
    game = Game.start(PLAY, scenario, seat=FACILITATOR, seed=3, journal_path=tmp_path / "j.jsonl")
    game.session.next_turn()
    game.act(SessionAction(note="n"))
    game.close()
    contents = read_journal(tmp_path / "j.jsonl")
    again = open_session(contents)
    assert [r.dumps() for r in again.log] == [r.dumps() for r in game.session.log]
    header = json.loads((tmp_path / "j.jsonl").read_text().splitlines()[0])
    assert header["seed"] == 3
