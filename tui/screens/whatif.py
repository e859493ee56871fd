"""The what-if run screen: many futures from the current turn, as played and with a change.

The futures run in a thread worker on a copy of the session's operations, taken on the UI
thread before the worker starts, so the live exercise is never touched: each replication
replays the copy in its own session. The worker only posts messages back.
"""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import get_current_worker

from sim.durations import format_hm
from sim.engine.params import ParameterError
from sim.engine.session import ActionError
from sim.whatif.fork import run_from_session
from sim.whatif.summary import Summary
from tui.game import Game
from tui.messages import RunFailed, RunFinished, RunProgress
from tui.screens.whatif_dialog import WhatIfRequest
from tui.widgets.whatif_results import WhatIfResults

#: The arms' names in the results.
AS_PLAYED, WITH_CHANGE = "as played", "with change"


class WhatIfScreen(Screen[None]):
    """Runs a what-if from the current minute and shows the two arms' distributions."""

    DEFAULT_CSS = """
    WhatIfScreen #whatif-head { padding: 0 1; height: auto; color: $text; }
    WhatIfScreen #whatif-bar { padding: 0 1; height: 1; }
    WhatIfScreen #whatif-status { padding: 0 1; height: auto; color: $text-muted; }
    WhatIfScreen #whatif-status.-partial { color: $warning; }
    WhatIfScreen #whatif-status.-failed { color: $error; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "cancel_run", "Cancel run", id="whatif-cancel",
                tooltip="Stop the run; what finished is shown, marked partial"),
        Binding("escape", "back", "Cancel / back", id="whatif-back",
                tooltip="Stop the run if one is going, else back to the exercise"),
        Binding("b", "back", "Back", id="whatif-back-b", show=False),
    ]
    """c stops the run; Escape stops it, or, once stopped, goes back to play."""

    def __init__(self, game: Game, request: WhatIfRequest) -> None:
        super().__init__()
        session = game.session
        self.request = request
        """The change and the number of runs."""
        self.scenario = game.scenario
        """The scenario played."""
        self.ops = [dict(op) for op in session.ops]
        """A copy of the session's operations: the worker never sees the live session."""
        self.settings: dict[str, Any] = {"seed": session.seed, "variant": session.variant,
                                         "overrides": dict(session.overrides),
                                         "seats": tuple(session.seats)}
        """The session's seed, variant, overrides and seats."""
        self.at = session.now
        """The fork minute."""
        self.turn = session.turn
        """The turn at the fork."""
        self.running = False
        """Whether the worker is running futures."""
        self.summary: Summary | None = None
        """The results, once the run has ended."""
        self._stop = threading.Event()
        """Set to stop the run after the chunk under way."""

    def compose(self) -> ComposeResult:
        """What is run; the progress bar and its status line; the results; the footer."""
        r = self.request
        yield Static(f"[b]What-if from turn {self.turn}[/b] (+{format_hm(self.at)}): "
                     f"{r.label} · {r.reps} runs as played and {r.reps} with the change, "
                     f"same seeds", id="whatif-head")
        yield ProgressBar(total=2 * r.reps, show_eta=False, id="whatif-bar")
        yield Static("Starting…", id="whatif-status")
        yield WhatIfResults(id="whatif-results")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Start the run; arrows and page keys scroll the results."""
        self.query_one(WhatIfResults).focus()
        self.running = True
        self.run_futures()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Cancel only while running."""
        if action == "cancel_run":
            return self.running or None
        return True

    # -- running -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="whatif")
    def run_futures(self) -> None:
        """Run the futures in a thread; post progress and the summary back."""
        worker = get_current_worker()
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            self.post_message(RunProgress(done, total, time.monotonic() - started))

        def cancelled() -> bool:
            return worker.is_cancelled or self._stop.is_set()

        try:
            summary = run_from_session(self.ops, self.scenario, change=self.request.change,
                                       reps=self.request.reps, progress=progress,
                                       cancelled=cancelled, workers=1, **self.settings)
        except (ParameterError, ActionError) as exc:
            self.post_message(RunFailed(str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(RunFinished(summary))

    def on_run_progress(self, message: RunProgress) -> None:
        """Move the bar; say how far and how fast."""
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)
        rate = message.done / message.seconds if message.seconds > 0 else 0.0
        self._status(f"{message.done} of {message.total} futures · {rate:.0f}/s · "
                     f"{message.seconds:.1f} s · c or Esc cancels")

    def on_run_finished(self, message: RunFinished) -> None:
        """Show the distributions (of what finished, if stopped)."""
        self.running = False
        summary = self.summary = message.summary
        seconds = summary.outcome.seconds if summary.outcome else 0.0
        if summary.partial:
            self._status(f"CANCELLED — partial: {summary.done} of {summary.plan.total} futures "
                         f"finished ({seconds:.1f} s) · Esc: back to the exercise", "-partial")
        else:
            self._status(f"Done: {summary.done} futures in {seconds:.1f} s · "
                         "Esc: back to the exercise")
        self.query_one(ProgressBar).update(total=summary.plan.total, progress=summary.done)
        if summary.done:
            self.query_one(WhatIfResults).show(summary, (AS_PLAYED, WITH_CHANGE))
        self.refresh_bindings()

    def on_run_failed(self, message: RunFailed) -> None:
        """Say why the run could not start."""
        self.running = False
        self._status(f"Not run: {message.error} · Esc: back", "-failed")
        self.refresh_bindings()

    def _status(self, text: str, cls: str = "") -> None:
        status = self.query_one("#whatif-status", Static)
        status.update(text)
        status.set_classes(cls)

    # -- keys ----------------------------------------------------------------------------------

    def action_cancel_run(self) -> None:
        """Stop the run after the chunk under way; what finished is kept."""
        if self.running:
            self._stop.set()
            self._status("Cancelling…", "-partial")

    def action_back(self) -> None:
        """Stop a run going on; once stopped, back to the exercise."""
        if self.running:
            self.action_cancel_run()
        else:
            self.dismiss(None)
