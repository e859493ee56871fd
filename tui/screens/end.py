"""The end of an exercise: where it stopped, the metrics (facilitator), the journal, the report."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import ClassVar

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from sim.durations import format_hm
from sim.engine.metrics import historical_value
from sim.engine.timeline import show_value, stopped_short
from sim.scenario.discussion import questions_for
from tui.game import Game


class EndScreen(Screen[None]):
    """A summary for the debrief, and the command that writes the after-action report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "report", "Write the report", id="end-report",
                tooltip="Write the after-action report (HTML and Markdown) beside the journal"),
        Binding("q,enter,escape", "quit", "Quit", id="end-quit"),
    ]
    """r writes the after-action report (facilitator); q, Enter or Escape leaves the program."""

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        """The game that ended."""
        self.written: list[Path] = []
        """The report's files, once written."""

    def compose(self) -> ComposeResult:
        """The summary, scrollable."""
        with VerticalScroll():
            yield Static(self.summary(), id="summary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Scroll with the keyboard."""
        self.query_one(VerticalScroll).focus()

    def summary(self) -> RenderableType:
        """Where play stopped, the commands to go on, and (facilitator) the metrics."""
        game = self.game
        s, session = game.scenario, game.session
        path = game.journal.path
        parts: list[RenderableType] = [
            Text.assemble(("Exercise ended", "bold reverse"), "  ", (s.title, "bold italic")),
            Text(f"Stopped at {session.clock():%d %b %Y %H:%M} UTC, turn {session.turn} "
                 f"(+{format_hm(session.now)} of {format_hm(s.duration)}).\n"),
        ]
        commands = Table(box=box.SIMPLE, show_header=False, pad_edge=False)
        commands.add_column(style="bold")
        commands.add_column(overflow="fold")  # paths are copied from here: never cut them
        commands.add_row("Journal", str(path))
        commands.add_row("Report", f"hotline report {path}" + ("   (or press r here)"
                                                               if self.can_report() else ""))
        commands.add_row("Carry on", f"hotline play --resume {path}")
        for i, written in enumerate(self.written):
            commands.add_row("Written" if i == 0 else "", str(written))
        parts.append(commands)
        if game.seat.is_facilitator and s.metrics:
            values = session.metrics()
            stopped = stopped_short(session.now, s.duration)
            metrics = Table(box=box.SIMPLE_HEAD, title="Metrics", title_justify="left",
                            title_style="bold")
            metrics.add_column("Metric")
            metrics.add_column("This run", justify="right")
            metrics.add_column("2022", justify="right", style="dim")
            for m in s.metrics:
                metrics.add_row(m.label, show_value(m, values[m.id], stopped) or "-",
                                show_value(m, historical_value(m, session.params)))
            parts.append(metrics)
            why = ("" if stopped is None else f"; play stopped at +{format_hm(stopped)}, so "
                   "\"not by\" means it had not happened yet and still might")
            parts.append(Text(f"Times count from the scenario's start, {s.start:%d %b %H:%M} "
                              f"UTC{why}.\n", style="dim"))
        # a question about what did not happen in this run is left out (a player cannot
        # see the metrics, so is asked them all)
        questions = questions_for(s.discussion, {m.id: m.kind for m in s.metrics},
                                  session.metrics() if game.seat.is_facilitator else None)
        if questions:
            parts.append(Text("For the debrief", "bold"))
            parts += [Text(f"  • {q}") for q in questions]
        return Group(*parts)

    def text(self) -> str:
        """The summary as plain text (for tests)."""
        console = Console(file=io.StringIO(), width=200, record=True)
        console.print(self.summary())
        return console.export_text()

    def can_report(self) -> bool:
        """Whether the report can be written from here: the facilitator's, with `sim.report`."""
        return self.game.seat.is_facilitator and importlib.util.find_spec("sim.report.build") is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The report is the facilitator's: it shows the ground truth and every actor."""
        if action == "report":
            return self.can_report()
        return True

    def action_report(self) -> None:
        """Write the report in the background."""
        self.notify("Writing the after-action report…", timeout=3)
        self.write_report()

    @work(thread=True, exclusive=True, group="report")
    def write_report(self) -> None:
        """Build the report from the session and write HTML and Markdown beside the journal."""
        from sim.report.build import build_report, info_from_session, write_html, write_markdown

        game = self.game
        journal = game.journal.path
        folder = journal.with_name(f"{journal.stem}-report")
        try:
            report = build_report(game.session, info=info_from_session(
                game.session, source=str(journal), source_kind="journal"))
            written = [write_html(report, folder / "report.html"),
                       *write_markdown(report, folder / "report.md")[:1]]
        except (OSError, ValueError) as exc:
            self.app.call_from_thread(self.notify, f"The report was not written: {exc}",
                                      severity="error")
            return
        self.app.call_from_thread(self._written, written)

    def _written(self, written: list[Path]) -> None:
        self.written = written
        self.query_one("#summary", Static).update(self.summary())
        self.notify(f"Report written: {written[0]}", timeout=8)

    def action_quit(self) -> None:
        """Leave the program."""
        self.app.exit()
