"""The Hotline terminal app: from the scenario and seat choice to the play screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App

from sim.catalog import CatalogEntry, shipped
from sim.scenario import Scenario
from tui.commands import ScreenActions
from tui.game import Game


@dataclass
class PlayOptions:
    """What `hotline play` was asked for."""

    scenario_path: Path | None = None
    """The scenario file; None: the picker opens first."""
    scenario: Scenario | None = None
    """The scenario, already loaded and validated."""
    seat: str | None = None
    """The seat; None: ask."""
    seed: int = 0
    """The random seed."""
    variant: str | None = None
    """The scenario's variant (None: its default)."""
    overrides: dict[str, Any] = field(default_factory=dict)
    """Parameter overrides."""
    journal_path: Path | None = None
    """Where the journal goes; None: the user's data folder."""
    pick: bool = False
    """Open the scenario picker first."""
    game: Game | None = None
    """A game resumed from a journal: go straight to play."""
    warnings: list[str] = field(default_factory=list)
    """To tell the person when play starts (e.g. a cut-short journal line)."""
    notices: list[str] = field(default_factory=list)
    """To tell the facilitator on the first screen (e.g. which seed a rehearsal chose, why)."""
    catalog: Callable[[], list[CatalogEntry]] = shipped
    """The scenarios the picker offers."""


class HotlineApp(App[None]):
    """Scenario picker, seat choice, then the exercise."""

    TITLE = "Hotline"
    CSS_PATH = "hotline.tcss"
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {ScreenActions}

    def __init__(self, options: PlayOptions) -> None:
        super().__init__()
        self.options = options
        """What the command line asked for."""
        self.game: Game | None = options.game
        """The game in play, once a seat is taken."""

    def on_mount(self) -> None:
        """Open the first screen the options call for."""
        opts = self.options
        for notice in opts.notices:
            self.notify(notice, title="Rehearsal", timeout=20)
        if self.game is not None:
            self._play(push=True)
            for warning in opts.warnings:
                self.notify(warning, title="Journal", severity="warning", timeout=10)
        elif opts.pick or opts.scenario is None:
            self.pick(can_go_back=False)
        elif opts.seat:
            self.begin(opts.seat, push=True)
        else:
            self._seat_screen()

    def _seat_screen(self) -> None:
        from tui.screens.seat import SeatScreen

        if self.options.scenario is not None:
            self.push_screen(SeatScreen(self.options.scenario,
                                        can_pick=bool(self.options.catalog())))

    def pick(self, can_go_back: bool = True) -> None:
        """Open the scenario picker."""
        from tui.screens.picker import PickerScreen

        self.push_screen(PickerScreen(self.options.catalog(), can_go_back=can_go_back))

    def choose(self, entry: CatalogEntry) -> None:
        """Play `entry`'s scenario: on to the seat choice."""
        from sim.scenario import ScenarioError, load_scenario

        try:
            scenario = load_scenario(entry.path)
        except ScenarioError as exc:
            self.notify(exc.report(), title="Invalid scenario", severity="error")
            return
        self.options.scenario_path, self.options.scenario = entry.path, scenario
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._seat_screen()

    def begin(self, seat: str, push: bool = False) -> None:
        """Take a seat: start the session and its journal, and play."""
        from sim.engine.params import ParameterError
        from sim.engine.session import ActionError

        opts = self.options
        if opts.scenario_path is None or opts.scenario is None:
            return
        try:
            self.game = Game.start(opts.scenario_path, opts.scenario, seat=seat, seed=opts.seed,
                                   variant=opts.variant, overrides=opts.overrides,
                                   journal_path=opts.journal_path)
        except (ActionError, ParameterError, OSError) as exc:
            self.notify(str(exc), title="Cannot start", severity="error", timeout=10)
            if push:  # no seat screen below to fall back on
                self._seat_screen()
            return
        self._play(push=push)

    def _play(self, push: bool) -> None:
        from tui.screens.play import PlayScreen

        if self.game is None:
            return
        self.sub_title = self.game.scenario.title
        screen = PlayScreen(self.game)
        if push:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    @property
    def journal_path(self) -> Path | None:
        """The journal being written (after a fork: the branch's)."""
        return self.game.journal.path if self.game is not None else None
