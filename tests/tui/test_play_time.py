"""Moving the clock: next turn, next event, run on and pause, pauses set by the scenario."""

from __future__ import annotations

from sim.engine.journal import read_journal
from tui.widgets.clock_bar import ClockBar
from tui.widgets.feed import Feed

from .helpers import play_screen, press, settle


async def test_next_turn_advances_and_journals(make_app, tmp_path):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        assert screen.game.session.turn == 1
        await press(pilot, app, "n")
        assert screen.game.session.turn == 2
        assert screen.game.session.now == 30
        bar = app.screen.query_one(ClockBar).clock
        assert bar.turn == 2
        assert bar.phase == "planning"
        assert any("INJECT Explosion" in line for line in app.screen.query_one(Feed).lines())
    ops = read_journal(tmp_path / "journal.jsonl").ops
    assert ops == [{"op": "advance", "until": 30.0}]


async def test_next_event_stops_at_the_first_record(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "e")
        session = play_screen(app).game.session
        assert session.now == 10  # the blast inject
        assert session.log[0].kind == "inject"


async def test_scenario_pause_stops_mid_turn_and_p_resumes(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "n", "n")
        screen = play_screen(app)
        session = screen.game.session
        assert session.paused
        assert session.now == 75  # the casualties inject has pause: true
        assert screen.phase == "paused"
        assert screen.query_one(ClockBar).clock.phase == "paused"
        assert screen.check_action("resume", ()) is True
        assert screen.check_action("pause", ()) is False
        await press(pilot, app, "p")
        assert not session.paused
        assert session.now == 90
        assert screen.phase == "planning"


async def test_run_on_stops_at_a_pause_and_pause_key_holds(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        screen.RUN_ON_PAUSE = 0.0
        await press(pilot, app, "r")
        assert screen.game.session.now == 75  # stopped by the scenario's pause
        assert screen.phase == "paused"
        await press(pilot, app, "p")  # finish that turn
        assert screen.game.session.now == 90
        screen.RUN_ON_PAUSE = 30  # p wakes the wait at once
        await pilot.press("r")
        await pilot.pause()
        assert screen.busy
        assert screen.check_action("pause", ()) is True
        assert screen.check_action("next_turn", ()) is None  # dimmed while running
        await pilot.press("p")
        await settle(pilot, app)
        assert screen.held
        assert screen.phase == "paused"
        stopped_at = screen.game.session.now
        assert stopped_at < screen.game.scenario.duration


async def test_the_end_of_time_dims_the_clock(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        session = screen.game.session
        screen.RUN_ON_PAUSE = 0.0
        while not session.finished:
            await press(pilot, app, "r")  # runs on until a pause or the end
        assert screen.phase == "ended"
        assert screen.check_action("next_turn", ()) is None
        assert screen.check_action("end", ()) is True


async def test_the_feed_follows_the_newest_line_unless_scrolled_back(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        feed = screen.query_one(Feed)
        screen.RUN_ON_PAUSE = 0.0
        await press(pilot, app, "r", "p", "r")  # to the meeting, past the feed's height
        await pilot.pause()
        assert feed.max_scroll_y > 0
        assert feed.scroll_y == feed.max_scroll_y
        feed.focus()
        await press(pilot, app, "home")
        assert feed.scroll_y == 0
        await press(pilot, app, "p", "n")
        assert feed.scroll_y == 0  # reading back: new lines do not pull the view away
