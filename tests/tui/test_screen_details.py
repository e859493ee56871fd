"""What a facilitator notices on screen: the turn at the end, the truth line, the footer at 80
columns, lists that stay in their dialog, the what-if form, toasts, and a feed line opened whole."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select
from textual.widgets._select import SelectOverlay

from sim.catalog import default_scenario
from sim.engine.session import SessionAction
from sim.scenario import load_scenario
from tui.app import HotlineApp, PlayOptions
from tui.screens import control
from tui.screens.feed_detail import FeedDetail
from tui.screens.whatif_dialog import WhatIfDialog
from tui.widgets.clock_bar import ClockBar
from tui.widgets.feed import Feed

from .helpers import play_screen, press, screen_text, settle

POLAND = default_scenario()


def _rows(app) -> list[str]:
    return [row for row in screen_text(app).splitlines() if row.strip()]


async def test_the_end_of_the_last_turn_is_still_the_last_turn(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        session = play_screen(app).game.session
        while not session.finished:
            await press(pilot, app, "n")
        assert session.turn == 12
        assert app.screen.query_one(ClockBar).clock.turn == 12
        assert "Turn 12/12" in screen_text(app)
        assert "Turn 13" not in screen_text(app)


@pytest.mark.parametrize(("size", "truth"), [
    ((120, 36), "truth: A Ukrainian air-defence interceptor (S-300) fired at the barrage fell in "
                "Poland.  ·  variant historical"),
    ((80, 24), "truth: ukraine-air-defence  ·  variant historical"),
])
async def test_the_truth_line_is_never_cut(tmp_path, size, truth):
    app = HotlineApp(PlayOptions(scenario_path=POLAND, scenario=load_scenario(POLAND),
                                 seat="facilitator", seed=1, journal_path=tmp_path / "p.jsonl"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        assert truth in screen_text(app)
        assert "…" not in _rows(app)[1]


async def test_the_footer_at_80_columns_shows_whole_keys(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "n", "n")  # paused: `p Resume` joins the footer
        footer = _rows(app)[-1]
        for key in ("n Turn", "p Resume", "i Inject", "t Note", "? Help", "q End", "f Filter",
                    "b Rewind", "w What-if"):
            assert key in footer, footer
        assert len(footer.rstrip()) <= 80
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, app)
        footer = _rows(app)[-1]
        assert "n Next turn" in footer
        assert "a What-if runs" in footer


async def test_the_filter_lists_open_inside_their_dialog(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "f")
        dialog = app.screen
        assert isinstance(dialog, control.FilterDialog)
        frame = dialog.query_one("#dialog").region
        for select in ("#actor", "#channel"):
            dialog.query_one(select, Select).focus()
            await press(pilot, app, "space")
            overlay = dialog.query_one(select, Select).query_one(SelectOverlay).region
            assert frame.contains_region(overlay), (frame, overlay)
            await press(pilot, app, "escape")


async def test_the_whatif_form_shows_a_variant_whole_and_no_value_for_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "a")
        dialog = app.screen
        assert isinstance(dialog, WhatIfDialog)
        assert dialog.query_one("#value", Input).display
        dialog.query_one("#what", Select).value = "variant:line-works"
        await pilot.pause()
        assert not dialog.query_one("#value", Input).display
        assert "New value" not in screen_text(app)
        assert "the hotline is answered (sets east_answer = 1)" in screen_text(app)


async def test_the_paused_toast_goes_when_play_resumes(make_app):
    app = make_app()
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "n", "n")
        assert [n.title for n in app._notifications] == ["Paused"]
        await press(pilot, app, "p")
        assert "Paused" not in [n.title for n in app._notifications]


async def test_a_cut_feed_line_opens_whole_with_ids(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n")
        note = "The wire's report came before any official word; " * 3
        assert play_screen(app).perform(SessionAction(note=note.strip())) is None
        await press(pilot, app, "n")
        feed = play_screen(app).query_one(Feed)
        feed.focus()
        lines = feed.lines()
        row = next(i for i, line in enumerate(lines) if "NOTE" in line)
        assert note.strip() not in screen_text(app)  # cut at 80 columns
        for _ in range(len(lines) - row):
            await press(pilot, app, "up")  # the cursor starts on the last line
        await press(pilot, app, "enter")
        detail = app.screen
        assert isinstance(detail, FeedDetail)
        assert detail.line == lines[row]
        assert note.strip() in detail.line
        text = screen_text(app)
        assert text.count("official word;") >= 3  # wrapped in the detail, not cut
        assert "+30m from the scenario's start" in text
        await press(pilot, app, "escape")
        assert not isinstance(app.screen, FeedDetail)


async def test_actors_go_by_name_and_priors_show_as_priors_until_news_arrives(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        rows = _rows(app)
        assert any("Anna Nowak" in row and "prior only" in row for row in rows)
        assert not any("%" in row for row in rows[:12])  # nothing has happened: no beliefs yet
        assert not any(row.startswith("│ pm ") for row in rows)
        await press(pilot, app, "n")
        rows = _rows(app)
        assert any("Gen. Piotr Wolny" in row and "% " in row for row in rows)  # told of the blast


async def test_the_end_screen_asks_only_about_what_happened(tmp_path):
    from tests.scenario.test_discussion import _scenario
    from tui.screens.end import EndScreen

    path = _scenario(tmp_path)
    app = HotlineApp(PlayOptions(scenario_path=path, scenario=load_scenario(path),
                                 seat="facilitator", seed=7, journal_path=tmp_path / "j.jsonl"))
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "q", "enter")
        assert isinstance(app.screen, EndScreen)
        text = app.screen.text()
        assert "What if Carter had got through?" in text
        assert "What did Carter learn from Sokol?" not in text
        assert "Why did the wire go first?" in text  # the wire reported at 14:22


async def test_the_end_screen_never_cuts_the_journal_path(make_app, tmp_path):
    from tui.screens.end import EndScreen

    app = make_app(journal_path=tmp_path / ("a-long-folder-name-for-the-exercise" * 2) / "j.jsonl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "q", "enter")
        assert isinstance(app.screen, EndScreen)
        rows = _rows(app)
        journal = next(i for i, row in enumerate(rows) if "Journal" in row)
        assert "…" not in rows[journal]
        folded = "".join(r.strip() for r in rows[journal:journal + 3]).replace("Journal", "")
        assert str(tmp_path / ("a-long-folder-name-for-the-exercise" * 2) / "j.jsonl") in folded


async def test_the_call_list_opens_inside_its_dialog(tmp_path):
    from tui.screens.actions import CallDialog

    app = HotlineApp(PlayOptions(scenario_path=POLAND, scenario=load_scenario(POLAND),
                                 seat="us-cjcs", seed=1, journal_path=tmp_path / "p.jsonl"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "c")
        dialog = app.screen
        assert isinstance(dialog, CallDialog)
        frame = dialog.query_one("#dialog").region
        dialog.query_one("#whom", Select).focus()
        await press(pilot, app, "space")
        overlay = dialog.query_one("#whom", Select).query_one(SelectOverlay).region
        assert frame.contains_region(overlay), (frame, overlay)
        await press(pilot, app, "down", "enter")  # the first partner: one line links them
        assert dialog.query_one("#over", Select).value == "cjcs-cgs"
