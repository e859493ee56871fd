"""What-if runs from the play screen: the form, the run in a worker, cancelling, the seat."""

from __future__ import annotations

import asyncio

from textual.widgets import Input, Select

from sim.engine.journal import read_journal
from tui.screens.help import HelpScreen
from tui.screens.whatif import WhatIfScreen
from tui.screens.whatif_dialog import PARAM, WhatIfDialog
from tui.widgets.whatif_results import WhatIfResults, histograms

from .helpers import play_screen, press, screen_text, settle


async def finished(pilot, screen: WhatIfScreen) -> None:
    """Wait until the what-if run has ended and its results are shown."""
    for _ in range(2000):
        if not screen.running:
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError("the what-if run did not end")
    await pilot.pause()


async def open_dialog(pilot, app, value: str, reps: int) -> WhatIfDialog:
    """Advance a turn, open the what-if form and fill it in."""
    await settle(pilot, app)
    await press(pilot, app, "n", "a")
    dialog = app.screen
    assert isinstance(dialog, WhatIfDialog)
    dialog.query_one("#what", Select).value = PARAM + "east_answer"
    dialog.query_one("#value", Input).value = value
    dialog.query_one("#reps", Input).value = str(reps)
    return dialog


async def test_run_from_the_current_turn(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, app, "0.9", 20)
        game = play_screen(app).game
        log, ops = list(game.session.log), list(game.session.ops)
        journal = (tmp_path / "journal.jsonl").read_bytes()
        assert "chance the east picks up (probability: now 0, range 0–1)" in str(
            dialog.query_one("#change-about").render())
        await pilot.press("ctrl+s")
        screen = app.screen
        assert isinstance(screen, WhatIfScreen)
        await finished(pilot, screen)
        summary = screen.summary
        assert summary is not None
        assert not summary.partial
        assert summary.done == 40
        results = screen.query_one(WhatIfResults)
        assert results.metric_names() == [m.id for m in game.scenario.metrics]
        text = screen_text(app)
        assert "Done: 40 futures" in text
        assert "east_answer = 0.9" in text
        assert "as played" in text
        assert "with change" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is play_screen(app)
        assert game.session.log == log
        assert game.session.ops == ops
    assert (tmp_path / "journal.jsonl").read_bytes() == journal
    assert read_journal(tmp_path / "journal.jsonl").ops == ops


async def test_cancel_keeps_what_finished(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, app, "0.9", 50_000)
        await pilot.press("ctrl+s")
        screen = app.screen
        assert isinstance(screen, WhatIfScreen)
        await pilot.press("c")
        await finished(pilot, screen)
        summary = screen.summary
        assert summary is not None
        assert summary.partial
        assert summary.done < 100_000
        assert "CANCELLED — partial" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is play_screen(app)


async def test_bad_value_shows_the_error(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, app, "1.5", 20)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "out of range" in str(dialog.query_one("#error").render())
        dialog.query_one("#value", Input).value = "0.5"
        dialog.query_one("#reps", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "runs: expected 1 to" in str(dialog.query_one("#error").render())
        assert not any(isinstance(s, WhatIfScreen) for s in app.screen_stack)


async def test_variant_as_the_change(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, app, "", 5)
        dialog.query_one("#what", Select).value = "variant:line-works"
        await pilot.pause()
        assert dialog.query_one("#value", Input).disabled
        await pilot.press("ctrl+s")
        screen = app.screen
        assert isinstance(screen, WhatIfScreen)
        assert screen.request.change == {"east_answer": 1}
        await finished(pilot, screen)
        assert screen.summary is not None
        assert screen.summary.done == 10


async def test_players_have_no_whatif_runs(make_app):
    app = make_app(seat="pm")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        assert screen.check_action("whatif_runs", ()) is False
        await press(pilot, app, "a")
        assert app.screen is screen
        await press(pilot, app, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "What-if runs" not in app.screen.text().split("## How play works")[0]


async def test_facilitator_help_lists_whatif_runs(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "question_mark")
        assert "Many futures from here, with and without a change" in app.screen.text()


def test_histograms_share_their_bins():
    a, b = histograms([[0, 0, 0, 3], [9, 10, 10, float("inf")]], bins=4)
    assert a == "█▃  "
    assert b == "   █"
    assert histograms([[0, 2, 2], [1]], bins=16) == ["▄ █", " █ "]
