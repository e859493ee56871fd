"""How the screens look, at 80×24 and larger: a fixed seed, no wall-clock time, no file paths.

Update after a deliberate change of look with `pytest tests/tui --snapshot-update`, and look
at the new SVGs in `tests/tui/__snapshots__/` before committing them.
"""

from __future__ import annotations

from .helpers import press, settle


def test_seat_choice(snap_compare, make_app):
    assert snap_compare(make_app(seat=None))


def test_picker(snap_compare, make_app):
    assert snap_compare(make_app(seat=None, pick=True))


def test_play_facilitator(snap_compare, make_app):
    async def three_turns(pilot):
        await settle(pilot, pilot.app)
        await press(pilot, pilot.app, "n", "n")

    assert snap_compare(make_app(), run_before=three_turns)


def test_play_facilitator_wide(snap_compare, make_app):
    async def run_on(pilot):
        await settle(pilot, pilot.app)
        pilot.app.screen.RUN_ON_PAUSE = 0.0
        await press(pilot, pilot.app, "r", "p")

    assert snap_compare(make_app(), run_before=run_on, terminal_size=(150, 40))


def test_play_player(snap_compare, make_app):
    async def three_turns(pilot):  # the general's call rings in the first: the minister takes it
        await settle(pilot, pilot.app)
        await press(pilot, pilot.app, "n", "enter", "n", "n", "n")

    assert snap_compare(make_app("pm"), run_before=three_turns)


def test_help(snap_compare, make_app):
    async def help_(pilot):
        await settle(pilot, pilot.app)
        await press(pilot, pilot.app, "question_mark")

    assert snap_compare(make_app(), run_before=help_)


def test_call_dialog(snap_compare, make_app):
    async def call(pilot):
        await settle(pilot, pilot.app)
        await press(pilot, pilot.app, "c")

    assert snap_compare(make_app("ally"), run_before=call)
