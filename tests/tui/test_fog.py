"""A player's screen shows only what reached the seat: never the ground truth, never others' news."""

from __future__ import annotations

import pytest

from sim.engine.session import SessionAction
from tui.screens.actions import IncomingCallDialog
from tui.widgets.feed import Feed

from .helpers import play_screen, press, screen_text, settle

#: Never on a player's screen: the truth and its marks, facilitator-only records.
FORBIDDEN = ("truth", "A stray Westland interceptor", "✓", "✗ false", "PAUSE  ", "INJECT",
             "NOTE", "(false)")


@pytest.mark.parametrize("seat", ["ally", "pm"])
async def test_player_never_sees_what_did_not_reach_the_seat(make_app, seat):
    app = make_app(seat)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        game = screen.game
        while not game.session.finished:
            await press(pilot, app, "n")
            if isinstance(app.screen, IncomingCallDialog):  # a call rings for the seat
                await press(pilot, app, "enter")  # pick up
            text = screen_text(app)
            for word in FORBIDDEN:
                assert word not in text, f"{word!r} on {seat}'s screen at {game.session.now}"
            for r in screen.query_one(Feed)._records:  # the seat is in every record it sees
                assert r.kind not in ("inject", "pause", "message_lost"), r
                assert seat in (r.actor, r.counterpart, *r.data.get("members", ())), r
            for actor in game.view().actors:
                if actor.id != seat:
                    assert actor.posture is None
                    assert actor.belief is None
        # what the seat did receive is there, with its source
        lines = screen.query_one(Feed).lines()
        assert any("◀ The Wire via news «east 80%»" in line for line in lines)
        # the blast was told to gen and wire only
        assert not any("Explosion near the border village" in line for line in lines)


async def test_facilitator_drops_an_inject_to_gen_that_pm_never_sees(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        screen.perform(SessionAction(inject="debris"))
        await press(pilot, app, "n")
        assert any("Debris analysis" in line for line in screen.query_one(Feed).lines())
        screen.game.role = "pm"
        screen.show(reset=True)
        await pilot.pause()
        assert not any("Debris" in line for line in screen.query_one(Feed).lines())
        assert "Debris" not in screen_text(app)
        screen.game.role = "gen"
        screen.show(reset=True)
        assert any("◆ Debris analysis «stray 90%» from Gen. Piotr Wolny" in line
                   for line in screen.query_one(Feed).lines())


async def test_player_end_screen_has_no_metrics(make_app):
    app = make_app("gen")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "q", "enter")
        text = app.screen.text()
        assert "hotline report" in text
        assert "Metrics" not in text


async def test_a_pause_the_seat_cannot_see_does_not_stop_its_turn(make_app):
    app = make_app("ally")  # the casualties inject (pause: true) goes to pm only
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "n", "n", "n")
        screen = play_screen(app)
        assert screen.game.session.now == 90
        assert screen.phase == "planning"


async def test_a_pause_the_seat_sees_stops_its_turn(make_app):
    app = make_app("pm")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        rang = 0
        for _ in range(5):  # turns run on; the general's call to the minister rings and is taken
            await press(pilot, app, "n")
            if isinstance(app.screen, IncomingCallDialog):
                rang += 1
                await press(pilot, app, "enter")
            if screen.game.session.now == 75:
                break
        assert rang == 1
        assert screen.game.session.now == 75
        assert screen.phase == "paused"
        assert "◆ Casualties confirmed" in screen.query_one(Feed).lines()[-1]
