"""The play screen's top bar: scenario time, the seat's local time, the turn and the phase."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

#: How each phase of play looks.
PHASE_STYLES = {
    "planning": "bold black on green",
    "running": "bold black on yellow",
    "paused": "bold white on red",
    "ended": "bold white on grey30",
}


@dataclass(frozen=True)
class Clock:
    """What the bar shows."""

    utc: str
    """Scenario date and time in UTC."""
    local: str
    """`who HH:MM ZONE`: the seat's (or viewed actor's) local time."""
    turn: int
    """Current turn, from 1."""
    last_turn: int
    """Number of turns in the scenario."""
    phase: str
    """planning, running, paused or ended."""
    title: str
    """The scenario's title."""
    seat: str
    """Who plays, and whose view is shown."""
    truth: str | None = None
    """The ground truth's label, for the facilitator only."""
    truth_id: str | None = None
    """The ground truth's hypothesis id: shown before a label too long for the bar."""
    variant: str | None = None
    """The variant and parameters in force, for the facilitator only."""
    viewing: str | None = None
    """The actor whose view the facilitator is looking at (None: the facilitator's own)."""
    deciding: str | None = None
    """In a hosted exercise: the seats that have not said ready this turn (None: solo play)."""


class ClockBar(Static):
    """Two lines: clock, turn and phase; then truth, view, variant (facilitator) or seat, title."""

    DEFAULT_CSS = """
    ClockBar {
        height: 2;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    clock: Clock | None = None
    """What the bar shows now."""

    def set_phase(self, phase: str) -> None:
        """Show a new phase, the rest unchanged."""
        if self.clock is not None:
            self.show(replace(self.clock, phase=phase))

    def show(self, clock: Clock) -> None:
        """Redraw the bar."""
        self.clock = clock
        top = Text(no_wrap=True, overflow="ellipsis")
        top.append(clock.utc, "bold")
        top.append("  │  ", "dim")
        top.append(clock.local)
        top.append("  │  ", "dim")
        top.append(f"Turn {clock.turn}", "bold")
        top.append(f"/{clock.last_turn}", "dim")
        top.append("  ")
        top.append(f" {clock.phase.upper()} ", PHASE_STYLES.get(clock.phase, "bold"))
        self.update(Group(top, self._bottom(clock)))

    def _bottom(self, clock: Clock) -> Text:
        """The truth first, then whose view, the variant and the title while they fit.

        A part that does not fit is left out rather than cut mid-word; where the truth's
        label would crowd out the view or the variant, the truth is given by its hypothesis id.
        """
        width = max(20, (self.size.width or 120) - 2)
        parts: list[tuple[str, str, str]] = []  # (lead, text, style)
        variant = [("viewing as ", clock.viewing, "bold")] if clock.viewing else []
        variant += [("variant ", clock.variant, "bold")] if clock.variant else []
        if not clock.truth:  # a player's seat; the facilitator's is plain from the truth line
            variant.append(("", clock.seat, "bold"))
        if clock.deciding is not None:
            variant.append(("deciding: ", clock.deciding, "bold yellow"))
        if clock.truth:
            truth = clock.truth
            wanted = len("truth: " + truth) + sum(len("  ·  " + a + b) for a, b, _ in variant)
            if wanted > width and clock.truth_id:
                truth = clock.truth_id
            parts.append(("truth: ", truth, "bold green"))
        parts += variant
        parts.append(("", clock.title, "italic"))
        bottom = Text(no_wrap=True, overflow="ellipsis")
        for i, (lead, text, style) in enumerate(parts):
            sep = "  ·  " if i else ""
            if i and bottom.cell_len + len(sep + lead + text) > width:
                continue
            bottom.append(sep, "dim")
            bottom.append(lead, "dim")
            bottom.append(text, style)
        bottom.truncate(width, overflow="ellipsis")
        return bottom

    def on_resize(self) -> None:
        """Fit the bottom line to the new width."""
        if self.clock is not None:
            self.show(self.clock)
