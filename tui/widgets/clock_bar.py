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
    """The ground truth, for the facilitator only."""
    variant: str | None = None
    """The variant and parameters in force, for the facilitator only."""


class ClockBar(Static):
    """Two lines: the clock, turn and phase; then scenario, seat and (facilitator) the truth."""

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
        bottom = Text(no_wrap=True, overflow="ellipsis")
        bottom.append(clock.seat, "bold")
        if clock.variant:
            bottom.append("  ·  ", "dim")
            bottom.append("variant ", "dim")
            bottom.append(clock.variant, "bold")
        if clock.truth:
            bottom.append("  ·  ", "dim")
            bottom.append("truth: ", "dim")
            bottom.append(clock.truth, "bold green")
        bottom.append("  ·  ", "dim")
        bottom.append(clock.title, "italic")
        self.update(Group(top, bottom))
