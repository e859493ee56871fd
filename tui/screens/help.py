"""The help screen: every key of the screen it was opened from, and how play works."""

from __future__ import annotations

from typing import ClassVar

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

#: How play works, after the table of keys.
GUIDE = """
## How play works
- **Turns.** The clock stands still while you plan. `n` runs the world to the end of
  the turn; automated actors act by the scenario's rules meanwhile. The bar shows the
  phase: *planning*, *running*, *paused* (a scenario event stopped play mid-turn:
  `p` or `n` finishes the turn), *ended*.
- **Seats.** The facilitator sees everything, the ground truth included, and can view
  the game as any actor (`v`), acting for that actor if it is playable. A player sees
  only what reached their actor: the feed holds their calls, messages, what they were
  told and by whom (claims in «», with their source).
- **Actions** open a form: choose with the arrow keys and Enter, tick with space,
  Tab to the next field, Enter or ctrl+s to confirm, Escape to cancel. Only the
  channels your actor is on are offered.
- **Journal.** Every action and every advance is written to the journal and flushed
  to disk before the screen shows it. `hotline play --resume JOURNAL` rebuilds the
  game exactly; `hotline report JOURNAL` writes the after-action report.
- **What-if runs** (facilitator). `a` asks for a change (a parameter's new value, or a
  variant) and a number of runs, then plays the rest of the exercise that many times from
  this minute, as played and with the change, and draws each metric's distribution. `c` or
  Escape stops the run (what finished is shown, marked partial); Escape goes back. The
  exercise itself is not changed. (`w` is different: it branches a journal to play on.)
- **Palette.** ctrl+p lists every action that applies now. ctrl+q leaves at once
  (nothing is lost); `q` ends the exercise and shows where the journal is.
"""


class HelpScreen(ModalScreen[None]):
    """Keys of the screen below, available now or not, and a short guide."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; background: $background 60%; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 100%; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen #intro { margin: 1 0; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help-close"),
    ]
    """Any of Escape, ? or q closes the help."""

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under
        """The screen whose keys are listed."""

    def compose(self) -> ComposeResult:
        """The keys, then the guide, scrollable."""
        with VerticalScroll() as frame:
            frame.border_title = "Hotline help — Escape to close, arrows to scroll"
            intro = getattr(self.under, "HELP_INTRO", "")
            if intro:
                yield Markdown(intro, id="intro")
            yield Static(self.keys(), id="keys")
            yield Markdown(GUIDE)

    def on_mount(self) -> None:
        """Scroll with the keyboard."""
        self.query_one(VerticalScroll).focus()

    def rows(self) -> list[tuple[str, str, bool]]:
        """(key, what it does, whether it applies now) for each key the seat has."""
        out = []
        for binding in getattr(self.under, "BINDINGS", []):
            if not isinstance(binding, Binding):
                continue
            state = self.under.check_action(binding.action, ())
            if state is False:
                continue
            out.append((binding.key_display or binding.key, binding.tooltip or binding.description,
                        bool(state)))
        out.append(("ctrl+p", "Command palette: every action that applies now", True))
        out.append(("ctrl+q", "Quit at once (the journal is already on disk)", True))
        return out

    def keys(self) -> Table:
        """The keys as a table; those that must wait are dimmed."""
        table = Table(box=box.SIMPLE_HEAD, expand=True, title="Keys", title_justify="left",
                      title_style="bold")
        table.add_column("Key", style="bold")
        table.add_column("Does", ratio=1)
        table.add_column("Now")
        for key, what, now in self.rows():
            style = "" if now else "dim"
            table.add_row(Text(key, style or "bold"), Text(what, style),
                          Text("yes" if now else "not now", style))
        return table

    def text(self) -> str:
        """The help as plain text (for tests and copying)."""
        lines = [f"{key}  {what}  {'yes' if now else 'not now'}" for key, what, now in self.rows()]
        return "\n".join(lines) + "\n" + GUIDE

    def action_close(self) -> None:
        """Back to the screen below."""
        self.dismiss(None)
