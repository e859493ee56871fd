"""The facilitator's controls: injects, notes, views, filters, rewind, fork, end, help, palette."""

from __future__ import annotations

import re

from textual.widgets import Input, Select, SelectionList

from sim.engine.journal import read_journal
from sim.engine.session import FACILITATOR
from tui.screens import control
from tui.screens.dialog import Dialog
from tui.screens.end import EndScreen
from tui.screens.help import HelpScreen
from tui.widgets.feed import Feed

from .helpers import play_screen, press, screen_text, settle


async def test_optional_inject(make_app, tmp_path):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "i")
        dialog = app.screen
        assert isinstance(dialog, control.InjectDialog)
        assert dialog.query_one("#inject", Select).value == "debris"
        assert "Fragments match" in str(dialog.query_one("#about").render())
        await press(pilot, app, "ctrl+s")
        assert not isinstance(app.screen, Dialog)
        lines = app.screen.query_one(Feed).lines()
        assert any("INJECT Debris analysis (dropped) «stray 90%» ✓" in line for line in lines)
    ops = read_journal(tmp_path / "journal.jsonl").ops
    assert ops[-1]["action"] == {"inject": "debris"}


async def test_free_form_inject_reaches_a_player(make_app, tmp_path):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "i")
        app.screen.query_one("#inject", Select).value = control.FREE_FORM
        await press(pilot, app, "ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, control.FreeInjectDialog)
        dialog.query_one("#title", Input).value = "Satellite images"
        dialog.query_one("#text", Input).value = "No launch seen in Eastland"
        dialog.query_one("#to", SelectionList).select("pm")
        dialog.query_one("#claim", Select).value = "stray"
        await press(pilot, app, "ctrl+s")
        assert not isinstance(app.screen, Dialog)
        # the player pm sees it, with its title and text
        screen = play_screen(app)
        screen.game.role = "pm"
        screen.show(reset=True)
        lines = screen.query_one(Feed).lines()
        assert any("◆ Satellite images «stray 80%» ✓ — No launch seen in Eastland" in line
                   for line in lines)
    action = read_journal(tmp_path / "journal.jsonl").ops[-1]["action"]
    assert action["free_inject"]["title"] == "Satellite images"
    assert action["free_inject"]["to"] == ["pm"]


async def test_free_form_inject_needs_recipients(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await app.push_screen(control.FreeInjectDialog(play_screen(app).game,
                                                       play_screen(app).perform))
        await pilot.pause()
        app.screen.query_one("#title", Input).value = "Rumour"
        await press(pilot, app, "ctrl+s")
        assert "recipient" in str(app.screen.query_one("#error").render())


async def test_note(make_app, tmp_path):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "t")
        assert isinstance(app.screen, control.NoteDialog)
        await pilot.press(*"ask about the hotline")
        await press(pilot, app, "enter")
        assert not isinstance(app.screen, Dialog)
        assert app.screen.query_one(Feed).lines()[-1].endswith("NOTE ask about the hotline")
    assert read_journal(tmp_path / "journal.jsonl").ops[-1]["action"] == {
        "note": "ask about the hotline"}


async def test_view_as_an_actor_and_act_for_it(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n")
        screen = play_screen(app)
        assert screen.check_action("call", ()) is False  # the facilitator's own view: no actor
        await press(pilot, app, "v")
        app.screen.query_one("#role", Select).value = "ally"
        await press(pilot, app, "ctrl+s")
        assert screen.game.role == "ally"
        assert "viewing as ally" in screen_text(app)
        assert screen.check_action("call", ()) is True
        lines = screen.query_one(Feed).lines()
        assert lines
        assert not any("INJECT" in line for line in lines)  # ally was not told of the blast
        await press(pilot, app, "v")
        app.screen.query_one("#role", Select).value = FACILITATOR
        await press(pilot, app, "ctrl+s")
        assert screen.game.role == FACILITATOR


async def test_filter_by_actor_and_channel(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "n")
        feed = app.screen.query_one(Feed)
        everything = feed.line_count
        await press(pilot, app, "f")
        app.screen.query_one("#actor", Select).value = "ally"
        await press(pilot, app, "ctrl+s")
        assert 0 < feed.line_count < everything
        assert all("Gen. Sam Carter" in line for line in feed.lines())
        assert feed.border_subtitle == "filter: actor ally"
        await press(pilot, app, "f")
        app.screen.query_one("#actor", Select).value = control.ANY
        app.screen.query_one("#channel", Select).value = "news"
        await press(pilot, app, "ctrl+s")
        assert all("news" in line for line in feed.lines())
        await press(pilot, app, "f")
        app.screen.query_one("#channel", Select).value = control.ANY
        await press(pilot, app, "ctrl+s")
        assert feed.line_count == everything


async def test_enter_on_an_actor_row_filters(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "n")
        feed = app.screen.query_one(Feed)
        everything = feed.line_count
        app.screen.query_one("#actors").focus()
        await press(pilot, app, "down", "enter")  # the second actor: gen
        assert feed.border_subtitle == "filter: actor gen"
        assert feed.line_count < everything
        await press(pilot, app, "enter")
        assert feed.line_count == everything


async def test_rewind_drops_what_came_after(make_app, tmp_path):
    app = make_app()
    journal = tmp_path / "journal.jsonl"
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n")
        before = [r.dumps() for r in play_screen(app).game.session.log]
        await press(pilot, app, "t", *"x", "enter", "n", "n")
        await press(pilot, app, "b")
        dialog = app.screen
        assert isinstance(dialog, control.RewindDialog)
        dialog.query_one("#turn", Input).value = "2"
        await press(pilot, app, "ctrl+s")
        await settle(pilot, app)
        game = play_screen(app).game
        assert game.session.turn == 2
        assert game.session.now == 30
        assert [r.dumps() for r in game.session.log] == before
        assert play_screen(app).query_one(Feed).record_count == len(before)
        assert any("1 note(s) written after it are kept" in n.message
                   for n in app._notifications)
        await press(pilot, app, "n")  # play goes on in the same journal
    ops = read_journal(journal).ops
    assert ops == [{"op": "advance", "until": 30.0},
                   {"op": "abandoned_note", "t": 30.0, "text": "x",
                    "branch": "rewound from turn 3 to turn 2"},
                   {"op": "advance", "until": 60.0}]
    assert (tmp_path / "journal.before-rewind-to-2.jsonl").exists()


async def test_rewind_refuses_a_future_turn(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "b")
        app.screen.query_one("#turn", Input).value = "5"
        await press(pilot, app, "ctrl+s")
        assert isinstance(app.screen, control.RewindDialog)
        assert "1 to 1" in str(app.screen.query_one("#error").render())


async def test_fork_from_here_continues_in_a_new_journal(make_app, tmp_path):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "t", *"y", "enter")
        await press(pilot, app, "w")
        dialog = app.screen
        assert isinstance(dialog, control.ForkDialog)
        assert dialog.query_one("#path", Input).value == str(tmp_path / "journal-whatif-1.jsonl")
        await press(pilot, app, "ctrl+s")
        await settle(pilot, app)
        await press(pilot, app, "n")
        assert app.journal_path == tmp_path / "journal-whatif-1.jsonl"
    original = read_journal(tmp_path / "journal.jsonl").ops
    branch = read_journal(tmp_path / "journal-whatif-1.jsonl").ops
    assert len(original) == 2
    assert branch[:2] == original
    assert branch[2] == {"op": "advance", "until": 60.0}


async def test_fork_from_an_earlier_turn(make_app, tmp_path):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "n", "w")
        app.screen.query_one("#path", Input).value = str(tmp_path / "b.jsonl")
        app.screen.query_one("#turn", Input).value = "2"
        await press(pilot, app, "ctrl+s")
        await settle(pilot, app)
        assert play_screen(app).game.session.now == 30
    assert read_journal(tmp_path / "b.jsonl").ops == [{"op": "advance", "until": 30.0}]


async def test_end_shows_journal_and_report_command(make_app, tmp_path):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "q")
        assert isinstance(app.screen, control.ConfirmDialog)
        await press(pilot, app, "enter")
        assert isinstance(app.screen, EndScreen)
        text = app.screen.text()
        assert f"hotline report {tmp_path / 'journal.jsonl'}" in text
        assert "Failed calls on the hotline" in text  # the facilitator sees the metrics
        # stopped at +30m: what has not happened yet may still happen
        assert "Times count from the scenario's start, 15 Nov 14:00 UTC; play stopped" in text
        assert re.search(r"Carter reaches Sokol +not by \+30m", text), text
        assert "never" not in text
        await press(pilot, app, "q")
    assert app.return_code == 0


async def test_help_lists_the_keys(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text()
        assert "n  Advance the clock to the end of this turn  yes" in text
        assert "c  Place a call" not in text  # the facilitator's own view has no actor to act for
        await press(pilot, app, "escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_offers_every_action_that_applies(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        from tui.commands import ScreenActions

        provider = ScreenActions(screen)
        titles = [title for title, _, _ in provider._actions()]
        for expected in ("Next turn (n)", "Inject (i)", "Note (t)", "View as (v)", "Rewind (b)",
                         "What-if (w)", "End (q)", "Run on (r)", "Filter (f)", "Next event (e)"):
            assert expected in titles
        await press(pilot, app, "ctrl+p")
        await pilot.press(*"inject")
        await pilot.pause(0.3)
        await press(pilot, app, "enter")
        assert isinstance(app.screen, control.InjectDialog)


async def test_end_screen_writes_the_report(make_app, tmp_path):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "n", "q", "enter")
        end = app.screen
        assert isinstance(end, EndScreen)
        assert end.check_action("report", ()) is True
        await press(pilot, app, "r")
        for _ in range(400):
            if end.written:
                break
            await pilot.pause(0.05)
        assert end.written[0] == tmp_path / "journal-report" / "report.html"
        assert end.written[0].exists()
        assert "report.html" in end.text()


async def test_a_player_cannot_write_the_report(make_app):
    app = make_app("gen")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "q", "enter")
        assert app.screen.check_action("report", ()) is False


async def test_fork_under_another_variant_shows_it_and_journals_it(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert "variant base" in screen_text(app)
        await press(pilot, app, "n", "w")
        dialog = app.screen
        assert isinstance(dialog, control.ForkDialog)
        dialog.query_one("#variant", Select).value = "line-works"
        await pilot.pause()
        assert "the hotline is answered" in str(dialog.query_one("#branch-about").render())
        dialog.query_one("#set", Input).value = "east_answer=2"
        await press(pilot, app, "ctrl+s")
        assert "out of range" in str(app.screen.query_one("#error").render())
        dialog.query_one("#set", Input).value = "east_answer=0.8"
        await press(pilot, app, "ctrl+s")
        await settle(pilot, app)
        game = play_screen(app).game
        assert (game.session.variant, game.session.params["east_answer"]) == ("line-works", 0.8)
        assert "variant line-works east_answer=0.8" in screen_text(app)
    branch = read_journal(tmp_path / "journal-whatif-1.jsonl").ops
    assert branch == [{"op": "advance", "until": 30.0},
                      {"op": "change", "t": 30.0, "variant": "line-works",
                       "overrides": {"east_answer": "0.8"}}]
