"""Save the facilitator guide's screenshots: the app itself draws them, driven by a pilot.

Run from the checkout: python docs/img/screenshots.py
Writes the SVG files beside this script. Uses the shipped Przewodów 2022 scenario, seed 1.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from sim.catalog import default_scenario, shipped  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402
from tui.app import HotlineApp, PlayOptions  # noqa: E402
from tui.screens.play import PlayScreen  # noqa: E402

JOURNALS = Path(tempfile.gettempdir()) / "hotline-guide"
SEED = 1


async def settle(pilot, app: HotlineApp) -> None:
    """Wait for the play screen's worker."""
    while any(isinstance(s, PlayScreen) and s.busy for s in app.screen_stack):
        await asyncio.sleep(0.01)
    await pilot.pause()


async def keys(pilot, app: HotlineApp, *pressed: str) -> None:
    """Press keys one by one, waiting for the worker after each."""
    for key in pressed:
        await pilot.press(key)
        await settle(pilot, app)


def app_for(seat: str | None, name: str, **options: object) -> HotlineApp:
    """An app on the Poland scenario with its journal in the guide's scratch folder."""
    path = default_scenario()
    opts = PlayOptions(scenario_path=path, scenario=load_scenario(path), seat=seat, seed=SEED,
                       journal_path=JOURNALS / f"{name}.jsonl", catalog=shipped)
    for key, value in options.items():
        setattr(opts, key, value)
    return HotlineApp(opts)


def save(app: HotlineApp, name: str) -> None:
    """Write one screenshot."""
    app.save_screenshot(f"{name}.svg", str(HERE))
    sys.stdout.write(f"docs/img/{name}.svg\n")


async def play_turns(pilot, app: HotlineApp, turns: int) -> None:
    """Advance `turns` turns, finishing any turn a scenario pause interrupts."""
    screen = app.screen
    for _ in range(turns):
        await keys(pilot, app, "n")
        while isinstance(screen, PlayScreen) and screen.game.session.paused:
            await keys(pilot, app, "p")
    app.clear_notifications()
    await pilot.pause()


async def main() -> None:
    """Every screenshot of the guide."""
    shutil.rmtree(JOURNALS, ignore_errors=True)
    JOURNALS.mkdir(parents=True)

    app = app_for(None, "seat")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        save(app, "seat-choice")

    app = app_for(None, "picker", pick=True)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        save(app, "picker")

    app = app_for("facilitator", "poland-2022-exercise")
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot, app)
        await keys(pilot, app, "n")
        save(app, "paused")
        await keys(pilot, app, "p")
        await play_turns(pilot, app, 7)
        save(app, "facilitator")
        await keys(pilot, app, "i")
        save(app, "inject")
        await keys(pilot, app, "escape", "v")
        app.screen.query_one("#role").value = "us-cjcs"
        await keys(pilot, app, "ctrl+s")
        save(app, "view-as")
        await keys(pilot, app, "question_mark")
        save(app, "help")
        await keys(pilot, app, "escape", "q", "enter")
        save(app, "end")

    app = app_for("facilitator", "wide")
    async with app.run_test(size=(160, 44)) as pilot:
        await settle(pilot, app)
        await play_turns(pilot, app, 10)
        save(app, "wide")

    app = app_for("us-cjcs", "player")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await play_turns(pilot, app, 6)
        await keys(pilot, app, "c")
        save(app, "player-call")
        await keys(pilot, app, "escape")
        await play_turns(pilot, app, 3)
        save(app, "player")

    shutil.rmtree(JOURNALS, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
