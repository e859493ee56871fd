"""The play screen's keys for acting: an actor's actions, and the facilitator's controls.

Mixins of `PlayScreen`, kept apart so the screen's own module is about time and showing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from sim.engine.session import SessionAction
from tui.game import Game
from tui.screens import actions, control
from tui.widgets.actors_table import ActorsTable


class PlayKeys:
    """What the mixins use of the play screen (annotations only: the screen provides them)."""

    game: Game
    busy: bool
    filter_actor: str | None
    filter_channel: str | None
    app: Any
    perform: Callable[[Any], str | None]
    start: Callable[[str], None]
    show: Callable[..., None]
    show_phase: Callable[[], None]
    background: Callable[[Callable[[], str]], Any]
    notify: Callable[..., None]
    _apply_filter: Callable[[], None]


class ActorActions(PlayKeys):
    """Call, message, statement, posture, meeting, pass: for the seat's actor or the one viewed."""

    def _actor_dialog(self, dialog: type[actions.ActorDialog]) -> None:
        actor = self.game.actor
        if actor is not None:
            self.app.push_screen(dialog(self.game, actor, self.perform))

    def action_call(self) -> None:
        """Place a call."""
        self._actor_dialog(actions.CallDialog)

    def action_message(self) -> None:
        """Send a message."""
        self._actor_dialog(actions.MessageDialog)

    def action_statement(self) -> None:
        """Make a public statement."""
        self._actor_dialog(actions.StatementDialog)

    def action_meeting(self) -> None:
        """Request a meeting."""
        self._actor_dialog(actions.MeetingDialog)

    def action_posture(self) -> None:
        """Change posture."""
        actor = self.game.actor
        if actor is None:
            return
        current = next(a.posture for a in self.game.session.view(actor).actors if a.id == actor)
        self.app.push_screen(actions.PostureDialog(self.game, actor, current, self.perform))

    def action_pass_turn(self) -> None:
        """Pass: on a player's seat this also ends the turn."""
        actor = self.game.actor
        if actor is None:
            return
        problem = self.perform(SessionAction(actor=actor, pass_=True))
        if problem:
            self.notify(problem, severity="error")
        elif not self.game.seat.is_facilitator:
            self.start("turn")


class FacilitatorControls(PlayKeys):
    """Injects, notes, whose view, feed filter, rewind, what-if branches and what-if runs."""

    def action_inject(self) -> None:
        """Drop an optional inject, or write one."""
        def perform(value: Any) -> str | None:
            return None if value == control.FREE_FORM else self.perform(value)

        def then(value: Any) -> None:
            if value == control.FREE_FORM:
                self.app.push_screen(control.FreeInjectDialog(self.game, self.perform))

        self.app.push_screen(control.InjectDialog(self.game, perform), then)

    def action_note(self) -> None:
        """Add a note."""
        self.app.push_screen(control.NoteDialog(self.perform))

    def action_view_as(self) -> None:
        """Switch the view to another seat."""
        def then(role: str | None) -> None:
            if role:
                self.game.role = role
                self.show(reset=True)

        self.app.push_screen(control.ViewAsDialog(self.game), then)

    def action_filter(self) -> None:
        """Filter the feed by actor and channel."""
        def then(value: tuple[str | None, str | None] | None) -> None:
            if value is not None:
                self.filter_actor, self.filter_channel = value
                self._apply_filter()

        self.app.push_screen(control.FilterDialog(self.game, self.filter_actor,
                                                  self.filter_channel), then)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an actor or channel filters the feed to it (again: shows all)."""
        if not self.game.seat.is_facilitator:
            return
        key = event.row_key.value
        if isinstance(event.data_table, ActorsTable):
            self.filter_actor = None if self.filter_actor == key else key
        else:
            self.filter_channel = None if self.filter_channel == key else key
        self._apply_filter()

    def action_rewind(self) -> None:
        """Go back to the start of a turn."""
        def then(turn: int | None) -> None:
            if turn is None:
                return
            self.busy = True
            self.show_phase()

            def job() -> str:
                kept = len(self.game.session.abandoned_notes)
                backup = self.game.rewind(turn)
                kept = len(self.game.session.abandoned_notes) - kept
                notes = (f" {kept} note(s) written after it are kept for the report, marked as "
                         "on the abandoned branch." if kept else "")
                return (f"Back at the start of turn {turn}.{notes} "
                        f"The journal before the rewind: {backup}")
            self.background(job)

        self.app.push_screen(control.RewindDialog(self.game.session.turn), then)

    def action_fork(self) -> None:
        """Branch a what-if into a new journal and continue in it."""
        old = self.game.journal.path

        def then(request: control.BranchRequest | None) -> None:
            if request is None:
                return
            self.busy = True
            self.show_phase()

            def job() -> str:
                self.game.fork(request.path, request.turn, variant=request.variant,
                               overrides=request.overrides)
                start = "here" if request.turn is None else f"the start of turn {request.turn}"
                setting = " ".join(f"{k}={v}" for k, v in request.overrides.items())
                under = (f", under variant {self.game.session.variant}"
                         f"{' with ' + setting if setting else ''}"
                         if request.variant or setting else "")
                return (f"Now playing a what-if from {start}{under}, in {request.path}. "
                        f"The original: {old}")
            self.background(job)

        self.app.push_screen(control.ForkDialog(self.game.session.turn, _branch_name(old),
                                                game=self.game), then)

    def action_whatif_runs(self) -> None:
        """Ask for a change, then run the rest many times from here, as played and with it."""
        from tui.screens.whatif import WhatIfScreen
        from tui.screens.whatif_dialog import WhatIfDialog, WhatIfRequest

        session = self.game.session

        def then(request: WhatIfRequest | None) -> None:
            if request is not None:
                self.app.push_screen(WhatIfScreen(self.game, request))

        self.app.push_screen(WhatIfDialog(self.game.scenario, session.variant,
                                          session.overrides), then)


def _branch_name(journal: Path) -> Path:
    """A free file name for a what-if branch beside `journal`."""
    n = 1
    while True:
        candidate = journal.with_name(f"{journal.stem}-whatif-{n}{journal.suffix}")
        if not candidate.exists():
            return candidate
        n += 1
