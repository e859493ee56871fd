"""A feed line in full: its words uncut, then what the record holds, ids included."""

from __future__ import annotations

from typing import Any, ClassVar

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from sim.durations import format_hm
from sim.engine.records import Record
from tui.game import Game

#: Record fields only the facilitator may see: they judge a claim against the ground truth.
TRUTH_FIELDS = frozenset({"correct"})


class FeedDetail(ModalScreen[None]):
    """One feed line opened with Enter: the whole line, the people by name and id, the data."""

    DEFAULT_CSS = """
    FeedDetail { align: center middle; background: $background 60%; }
    FeedDetail > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close", id="detail-close"),
    ]
    """Escape, Enter or q closes the details."""

    def __init__(self, game: Game, record: Record, line: str) -> None:
        super().__init__()
        self.game = game
        """The game, for names and clocks."""
        self.record = record
        """The record shown."""
        self.line = line
        """The feed's words for it, uncut."""

    def compose(self) -> ComposeResult:
        """The details, scrollable."""
        with VerticalScroll() as frame:
            frame.border_title = "Feed line — Escape to close"
            yield Static(self.details(), id="details")

    def on_mount(self) -> None:
        """Scroll with the keyboard."""
        self.query_one(VerticalScroll).focus()

    def details(self) -> RenderableType:
        """The line, then a table of the record's fields."""
        r, game = self.record, self.game
        table = Table(box=box.SIMPLE, show_header=False, pad_edge=False)
        table.add_column(style="bold")
        table.add_column()
        table.add_row("When", f"{game.session.clock(r.t):%d %b %H:%M} UTC (+{format_hm(r.t)} "
                              "from the scenario's start)")
        table.add_row("What", r.kind)
        for label, who in (("Who", r.actor), ("With", r.counterpart)):
            if who:
                table.add_row(label, self._person(who))
        if r.channel:
            table.add_row("Channel", r.channel)
        for key, value in sorted(r.data.items()):
            if key in TRUTH_FIELDS and not game.seat.is_facilitator:
                continue
            table.add_row(key, _show(value))
        return Group(Text(self.line, style="bold"), Text(""), table)

    def _person(self, actor_id: str) -> str:
        """`Name, title (id)`, or the id alone when the scenario has no such actor."""
        for a in self.game.scenario.actors:
            if a.id == actor_id:
                return f"{a.name}, {a.title} ({a.id})"
        return actor_id

    def action_close(self) -> None:
        """Back to play."""
        self.dismiss(None)


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
