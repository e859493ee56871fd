"""The way in: seat choice, the scenario picker, and taking a seat."""

from __future__ import annotations

from textual.widgets import OptionList

from tui.screens.picker import PickerScreen
from tui.screens.play import PlayScreen
from tui.screens.seat import SeatScreen

from .helpers import play_screen, press, settle


async def test_seat_choice_lists_the_facilitator_and_playable_actors(make_app):
    app = make_app(seat=None)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SeatScreen)
        seats = app.screen.query_one("#seats", OptionList)
        ids = [seats.get_option_at_index(i).id for i in range(seats.option_count)]
        assert ids == ["facilitator", "pm", "gen", "ally", "east"]  # not the automated wire
        await press(pilot, app, "down", "down", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert play_screen(app).game.seat.id == "gen"
        assert play_screen(app).game.session.seats == ("gen",)


async def test_enter_takes_the_facilitator_seat(make_app):
    app = make_app(seat=None)
    async with app.run_test() as pilot:
        await press(pilot, app, "enter")
        assert play_screen(app).game.seat.is_facilitator
        assert play_screen(app).game.session.seats == ()


async def test_p_on_the_seat_screen_picks_another_scenario(make_app):
    app = make_app(seat=None)
    async with app.run_test() as pilot:
        await press(pilot, app, "p")
        assert isinstance(app.screen, PickerScreen)
        await press(pilot, app, "escape")
        assert isinstance(app.screen, SeatScreen)
        await press(pilot, app, "p", "down", "enter")  # the second entry: tiny.yaml
        assert isinstance(app.screen, SeatScreen)
        assert app.screen.scenario.id == "tiny"
        await press(pilot, app, "enter")
        assert play_screen(app).game.scenario.id == "tiny"


async def test_pick_opens_the_picker_first(make_app):
    app = make_app(seat=None, pick=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert app.screen.check_action("back", ()) is False  # nothing below to go back to
        await press(pilot, app, "enter")
        assert isinstance(app.screen, SeatScreen)
        assert app.screen.scenario.id == "play"


async def test_seat_screen_has_help(make_app):
    app = make_app(seat=None)
    async with app.run_test() as pilot:
        await press(pilot, app, "question_mark")
        assert "Choose a seat" in app.screen.query_one("#intro").source


async def test_the_shipped_picker_offers_hainan_and_opens_its_seats(make_app):
    from sim.catalog import shipped

    entries = shipped()
    assert {e.id for e in entries} >= {"poland-2022", "hainan-2001"}
    app = make_app(seat=None, pick=True, catalog=shipped)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        index = [e.id for e in entries].index("hainan-2001")
        await press(pilot, app, *["down"] * index, "enter")
        assert isinstance(app.screen, SeatScreen)
        assert app.screen.scenario.id == "hainan-2001"
        seats = app.screen.query_one("#seats", OptionList)
        ids = [seats.get_option_at_index(i).id for i in range(seats.option_count)]
        assert ids == ["facilitator", "us-president", "us-secstate", "us-ambassador", "cn-president"]
