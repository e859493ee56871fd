"""A scenario whose rules loop at one instant: the play screen says so and stops, never hangs."""

from __future__ import annotations

from sim.engine.journal import read_journal
from sim.scenario import load_scenario
from tui.widgets.clock_bar import ClockBar

from .helpers import DATA, play_screen, press, settle

LOOP = DATA / "hostile" / "zero_delay_loop.yaml"


async def test_the_play_screen_stops_at_a_runaway_and_says_why(make_app, tmp_path):
    app = make_app(scenario_path=LOOP, scenario=load_scenario(LOOP))
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n")  # the report comes in at 30m: the loop starts
        session = play_screen(app).game.session
        assert session.halted is not None  # the screen stuck at RUNNING before
        assert session.now == 30
        assert app.screen.query_one(ClockBar).clock.phase != "running"
        shown = [n.message for n in app._notifications]
        assert any(m.startswith("the run stopped at minute 30: rules fired") for m in shown), shown
        await press(pilot, app, "n")  # the clock keys are dimmed: time goes no further
        assert session.now == 30
    assert [op["op"] for op in read_journal(tmp_path / "journal.jsonl").ops] == ["advance"]
