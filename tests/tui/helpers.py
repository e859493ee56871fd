"""Helpers of the UI tests: the test scenarios, waiting for the worker, reading the screen."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

from sim.catalog import CatalogEntry
from sim.scenario import load_scenario
from tui.app import HotlineApp
from tui.screens.play import PlayScreen

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
PLAY = DATA / "play.yaml"
TINY = DATA / "tiny.yaml"
SEED = 7


def catalog() -> list[CatalogEntry]:
    """A fixed picker list made of the test scenarios (the shipped ones change)."""
    out = []
    for path in (PLAY, TINY):
        s = load_scenario(path)
        out.append(CatalogEntry(path, s.id, s.title, s.summary))
    return out


async def settle(pilot, app: HotlineApp) -> None:
    """Wait until the play screen's worker is done and what it posted is shown."""
    for _ in range(2000):
        screen = app.screen
        busy = any(isinstance(s, PlayScreen) and s.busy for s in app.screen_stack)
        if not busy:
            break
        await asyncio.sleep(0.005)
    else:
        raise AssertionError(f"the session stayed busy on {screen}")
    await pilot.pause()


async def press(pilot, app: HotlineApp, *keys: str) -> None:
    """Press keys, letting any worker finish after each."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot, app)


def play_screen(app: HotlineApp) -> PlayScreen:
    """The play screen (under any dialog)."""
    for screen in reversed(app.screen_stack):
        if isinstance(screen, PlayScreen):
            return screen
    raise AssertionError("no play screen")


def screen_text(app: HotlineApp) -> str:
    """Everything on the terminal as plain text (from the SVG screenshot)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
