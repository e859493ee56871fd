"""Smoke test: the shipped scenarios play for a few turns, from both kinds of seat."""

from __future__ import annotations

import pytest

from sim.catalog import default_scenario, scenarios_dir
from sim.engine.session import SessionAction
from sim.scenario import load_scenario
from sim.scenario.events import Action
from tui.app import HotlineApp, PlayOptions
from tui.widgets.feed import Feed

from .helpers import play_screen, press, settle

POLAND = default_scenario()
HAINAN = scenarios_dir() / "hainan-2001.yaml"



def _seats():
    scenario = load_scenario(POLAND)
    return ["facilitator", "us-cjcs" if any(a.id == "us-cjcs" for a in scenario.actors)
            else next(a.id for a in scenario.actors if a.playable)]


@pytest.mark.parametrize(("path", "seat"), [*((POLAND, seat) for seat in _seats()),
                                            (HAINAN, "facilitator"), (HAINAN, "us-ambassador")])
async def test_a_shipped_scenario_plays_a_few_turns(tmp_path, path, seat):
    scenario = load_scenario(path)
    app = HotlineApp(PlayOptions(scenario_path=path, scenario=scenario, seat=seat, seed=1,
                                 journal_path=tmp_path / "play.jsonl"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        for _ in range(4):
            await press(pilot, app, "n")
            if play_screen(app).game.session.paused:
                await press(pilot, app, "p")
        screen = play_screen(app)
        session = screen.game.session
        assert session.now == 4 * scenario.turn  # four whole turns, pauses resumed
        assert screen.query_one(Feed).record_count == len(screen.game.view().feed)
        await press(pilot, app, "question_mark", "escape")
        actions = list(_actions(screen.game, seat))
        before = len(session.actions)
        for action in actions:
            assert screen.perform(action) is None
        assert [(t.t, t.action) for t in session.actions[before:]] == [(session.now, a) for a in actions]


def _actions(game, seat):
    """One of each action the seat can take on this scenario."""
    if seat == "facilitator":
        yield SessionAction(note="smoke")
        for inject in game.optional_injects()[:1]:
            yield SessionAction(inject=inject.id)
        return
    for whom, lines in list(game.call_partners(seat).items())[:1]:
        yield SessionAction(actor=seat, do=Action(call={"to": whom, "channel": lines[0]}))
    for channel, members in list(game.message_channels(seat).items())[:1]:
        yield SessionAction(actor=seat, do=Action(message={"to": members[:1], "channel": channel}))
    for channel in game.broadcast_channels(seat)[:1]:
        yield SessionAction(actor=seat, do=Action(statement={"channel": channel}))
    for channel in game.meeting_channels(seat)[:1]:
        yield SessionAction(actor=seat, do=Action(convene=channel))
    yield SessionAction(actor=seat, do=Action(posture={"raise": 1}))
    yield SessionAction(actor=seat, pass_=True)
