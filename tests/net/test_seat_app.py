"""The seat app of `hotline join`: the play screen fed by the host, driven with Textual's pilot."""

from __future__ import annotations

from textual.widgets import Static

from sim.net.client import SeatLink
from tui.joinapp import JoinApp, TokenScreen
from tui.screens.actions import IncomingCallDialog
from tui.screens.joined import JoinedScreen
from tui.widgets.clock_bar import ClockBar
from tui.widgets.feed import Feed

CALL = {"actor": "us-cjcs", "do": {"call": {"to": "ru-cgs", "channel": "cjcs-cgs"}}}


async def ring(pilot, app: JoinApp, facilitator, host) -> None:
    """The facilitator moves the clock until the call rings on this seat's screen."""
    for _ in range(6):
        assert host.run(facilitator.advance()).ok
        for _ in range(40):
            await pilot.pause(0.05)
            if isinstance(app.screen, IncomingCallDialog):
                return
    raise AssertionError("the call never rang here")


def toasts(app: JoinApp) -> list[str]:
    """The titles and texts of the notifications on screen."""
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def test_a_call_rings_on_the_callees_screen(host) -> None:
    link = SeatLink(host.server.url, host.server.exercise.tokens.tokens["ru-cgs"])
    app = JoinApp(host.server.url, link)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, JoinedScreen)
        bar = app.screen.query_one(ClockBar).clock
        assert bar.seat == "seat: ru-cgs"
        assert bar.deciding.startswith("us-cjcs, ru-cgs, pl-president, us-president, nato-sg")
        cjcs, facilitator = host.client("us-cjcs"), host.client("facilitator")
        assert host.run(cjcs.act(CALL)).ok
        await ring(pilot, app, facilitator, host)
        dialog = app.screen
        assert isinstance(dialog, IncomingCallDialog)  # the phone rings here: pick up or not
        assert "Gen. Mark Milley" in str(dialog.query_one("#caller", Static).render())
        await pilot.press("enter")  # pick up
        for _ in range(50):
            await pilot.pause(0.05)
            if any(r.kind == "call_connected" for r in app.screen.query_one(Feed)._records):
                break
        feed = app.screen.query_one(Feed)
        assert [r.kind for r in feed._records if r.channel == "cjcs-cgs"][:2] == [
            "call_ringing", "call_connected"]
        assert all(r.kind != "call_attempt" for r in feed._records)  # the caller's own dialling
        host.run(cjcs.close())
        host.run(facilitator.close())
    link.close()


async def test_a_player_saying_ready_is_no_longer_deciding(host) -> None:
    link = SeatLink(host.server.url, host.server.exercise.tokens.tokens["us-cjcs"])
    app = JoinApp(host.server.url, link)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        for _ in range(50):
            await pilot.pause(0.05)
            if "us-cjcs" not in app.screen.query_one(ClockBar).clock.deciding:
                break
        assert app.screen.query_one(ClockBar).clock.deciding.startswith("ru-cgs, pl-president")
        assert app.screen.query_one(ClockBar).clock.turn == 1  # the facilitator ends turns
    link.close()


async def test_the_token_is_asked_for_and_a_wrong_one_refused(host) -> None:
    app = JoinApp(host.server.url)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, TokenScreen)
        await pilot.click("#token")
        await pilot.press(*"0123", "enter")
        for _ in range(60):
            await pilot.pause(0.05)
            if isinstance(app.screen, TokenScreen) and app.screen.why:
                break
        assert "wrong token" in app.screen.why
        token = host.server.exercise.tokens.tokens["pl-president"]
        await pilot.click("#token")
        await pilot.press(*token, "enter")
        for _ in range(60):
            await pilot.pause(0.05)
            if isinstance(app.screen, JoinedScreen):
                break
        assert isinstance(app.screen, JoinedScreen)
        assert app.game.seat.id == "pl-president"
    app.link.close()


def test_snapshot_of_a_seat_a_call_rang_at(snap_compare, host) -> None:
    link = SeatLink(host.server.url, host.server.exercise.tokens.tokens["ru-cgs"])
    cjcs, facilitator = host.client("us-cjcs"), host.client("facilitator")

    async def call_and_ring(pilot) -> None:
        await pilot.pause()
        assert host.run(cjcs.act(CALL)).ok
        await ring(pilot, pilot.app, facilitator, host)

    try:
        assert snap_compare(JoinApp(host.server.url, link), run_before=call_and_ring,
                            terminal_size=(120, 36))
    finally:
        host.run(cjcs.close())
        host.run(facilitator.close())
        link.close()


async def test_a_seat_says_when_the_host_is_out_of_reach(host) -> None:
    link = SeatLink(host.server.url, host.server.exercise.tokens.tokens["nato-sg"])
    app = JoinApp(host.server.url, link)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert "RECONNECTING" not in app.screen.query_one(ClockBar).clock.deciding
        host.run(host.server.stop())  # the host goes away, as if killed
        for _ in range(60):
            await pilot.pause(0.05)
            if "RECONNECTING" in app.screen.query_one(ClockBar).clock.deciding:
                break
        assert "RECONNECTING to the host" in app.screen.query_one(ClockBar).clock.deciding
        assert any("Lost the connection" in t for t in toasts(app))
    link.close()
