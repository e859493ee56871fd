"""The play screen of a joined seat: the same screen, fed by the host, showing who still decides.

The host pushes every change; the screen redraws when it is not waiting on the host itself.
A call that rang at this seat, answered or not, is announced. Time is the facilitator's: a
player's "next turn" says ready, and the host ends the turn.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.message import Message

from sim.engine.records import Record
from sim.engine.session import View
from tui.remote import RemoteGame
from tui.screens.play import PlayScreen
from tui.widgets.clock_bar import ClockBar

#: Keys of local play that a joined seat does not have: the host's journal is the exercise's.
HOST_ONLY = frozenset({"rewind", "fork", "whatif_runs", "run_on"})

#: What a ringing call looks like on the callee's screen, by record kind.
RINGS = {"call_connected": "Call connected with {other} on {channel}",
         "call_missed": "Missed call from {other} on {channel} ({reason})"}


@dataclass
class HostChanged(Message):
    """The host sent this seat something new."""


class JoinedScreen(PlayScreen):
    """One seat of a hosted exercise."""

    def __init__(self, game: RemoteGame) -> None:
        super().__init__(game)
        self.remote = game
        """The joined game."""

    def on_mount(self) -> None:
        """As in local play, and a second's tick for the turn timer on the bar."""
        super().on_mount()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        session = self.remote.session
        if not self.busy and (session.timer_left() is not None or not session.online):
            self._show_deciding()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """As in local play, without what only the host's journal can do."""
        if action in HOST_ONLY:
            return False
        return super().check_action(action, parameters)

    def on_host_changed(self, _: HostChanged) -> None:
        """Take in what the host sent, announce calls that rang here, and redraw."""
        if self.busy:
            return  # the worker shows the result when it is done
        self._announce_rings(self.remote.session.sync())
        self.show()
        if not self.remote.session.online:
            self.notify("Lost the connection to the host; reconnecting…", title="Connection",
                        severity="warning", timeout=5)

    def _announce_rings(self, new: list[Record]) -> None:
        seat = self.remote.seat.id
        for r in new:
            if r.kind in RINGS and seat in (r.actor, r.counterpart):
                other = r.counterpart if r.actor == seat else r.actor
                name = self.game.scenario.actor(other).name if other else "?"
                self.notify(RINGS[r.kind].format(other=name, channel=r.channel,
                                                 reason=r.data.get("reason", "")),
                            title="☎ Call", timeout=15)

    def show(self, view: View | None = None, *, reset: bool = False) -> None:
        """Redraw, and say on the clock bar who is still deciding and who is connected."""
        super().show(view, reset=reset)
        self._show_deciding()

    def _show_deciding(self) -> None:
        session = self.remote.session
        state, bar = session.state, self.query_one(ClockBar)
        if state is None or bar.clock is None:
            return
        deciding = ", ".join(state.deciding) if state.deciding else "nobody"
        deciding += f" (online {len(state.connected)})"
        left = session.timer_left()
        if left is not None:
            deciding += f", timer {int(left // 60)}:{int(left % 60):02d}"
        if not session.online:
            deciding += " · RECONNECTING to the host"
        bar.show(replace(bar.clock, deciding=deciding))

    def _turn(self) -> None:
        """One step on the host: the facilitator's advance, or this player's ready."""
        self.game.session.next_turn()
        if not self.game.seat.is_facilitator:
            self.notify("Ready: the turn ends when everyone is ready or the facilitator says.",
                        timeout=5)

    def action_end(self) -> None:
        """Leave the exercise (it goes on at the host; the same token rejoins)."""
        self.app.exit()
