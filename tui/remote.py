"""A joined seat, shaped like a local game: the play screens render it unchanged.

`RemoteSession` answers what the screens ask of a `Session` (clock, turn, view, log, act,
next turn) from what the server sent this seat, and sends the rest to the server: an action
goes to the host and returns once it is on the host's disk; "next turn" is the facilitator's
advance, or a player's "ready". Nothing here sees more than the seat's own feed.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sim.engine.journal import Journal
from sim.engine.records import Record
from sim.engine.session import FACILITATOR, ActionError, ActorView, SessionAction, View
from sim.net.client import SeatLink
from sim.net.protocol import SeatState
from sim.scenario import Scenario
from sim.scenario.loader import _start
from tui.game import Game


def _scenario(data: dict[str, Any]) -> Scenario:
    """The scenario as the server sent it (a player's copy has no truth, rules or injects)."""
    return Scenario.model_validate(data, context={"start": _start(data)})


class RemoteSession:
    """What one seat knows of the hosted session, and its way to act on it."""

    def __init__(self, link: SeatLink) -> None:
        self.link = link
        client = link.client
        self.seat = client.seat or FACILITATOR
        """The seat the token opened."""
        self.scenario = _scenario(client.scenario or {})
        self.seats = (self.seat,) if self.seat != FACILITATOR else ()
        self.seed = 0
        self.variant = self.scenario.default_variant
        self.overrides: dict[str, Any] = {}
        self.actions: list[Any] = []
        self.halted: str | None = None
        self.log: list[Record] = []
        """The seat's feed, as records."""
        self.state: SeatState | None = None
        self.synced = time.monotonic()
        """When the state was last taken in (the turn timer counts down from there)."""
        self.sync()

    def sync(self) -> list[Record]:
        """Take in what the server sent since the last call; return the new records."""
        client = self.link.client
        records, state = list(client.records), client.state
        new = [Record.from_json(r) for r in records[len(self.log):]]
        self.log = self.log[:len(records)] + new
        self.state = state
        self.synced = time.monotonic()
        self.halted = state.halted if state else None
        return new

    @property
    def online(self) -> bool:
        """Whether the seat is connected to the host now."""
        return self.link.client.online

    def timer_left(self) -> float | None:
        """Seconds left on the turn timer, counted down since the host last said."""
        if self.state is None or self.state.timer_left is None:
            return None
        return max(0.0, self.state.timer_left - (time.monotonic() - self.synced))

    # -- the clock ---------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Minutes since the scenario's start, as the host last said."""
        return self.state.t if self.state else 0.0

    @property
    def turn(self) -> int:
        """The current turn."""
        return self.state.turn if self.state else 1

    @property
    def paused(self) -> bool:
        """Play stopped mid-turn (the facilitator's to resume)."""
        return bool(self.state and self.state.paused)

    @property
    def finished(self) -> bool:
        """The scenario's time has run out."""
        return bool(self.state and self.state.finished)

    def clock(self, t: float | None = None) -> datetime:
        """The UTC instant of minute `t` (default: now)."""
        return self.scenario.start + timedelta(minutes=self.now if t is None else t)

    # -- looking -----------------------------------------------------------------------------

    def view(self, role: str = FACILITATOR) -> View:
        """The seat's own view, or (facilitator) another seat's, asked of the host."""
        if role in (self.seat, FACILITATOR) or self.seat != FACILITATOR:
            return _view(self.seat, self.state, tuple(self.log))
        ack = self._call(self.link.client.view_of(role))
        if not ack.ok or ack.view is None:
            raise ActionError(ack.error or "no view")
        state = SeatState.model_validate(ack.view["state"])
        return _view(role, state, tuple(Record.from_json(r) for r in ack.view["records"]))

    def metrics(self) -> dict[str, Any]:
        """Metrics are the host's (and the report's): none here."""
        return {}

    # -- doing -------------------------------------------------------------------------------

    def act(self, action: SessionAction) -> list[Record]:
        """Send an action; returns once the host has it on disk.

        Raises:
            ActionError: the host refused it, or the connection was lost.
        """
        ack = self._call(self.link.client.act(
            action.model_dump(mode="json", exclude_none=True, by_alias=True)))
        if not ack.ok:
            raise ActionError(ack.error or "refused")
        return self.sync()

    def next_turn(self) -> list[Record]:
        """Facilitator: end the turn. Player: say ready (the turn ends when the host says)."""
        client = self.link.client
        request = client.advance("turn") if self.seat == FACILITATOR else client.ready(True)
        ack = self._call(request)
        if not ack.ok:
            raise ActionError(ack.error or "refused")
        return self.sync()

    def run_to_next_event(self, limit: float | None = None) -> list[Record]:
        """Facilitator: run to the next event."""
        ack = self._call(self.link.client.advance("event"))
        if not ack.ok:
            raise ActionError(ack.error or "refused")
        return self.sync()

    def _call(self, request: Any) -> Any:
        try:
            return self.link.call(request)
        except (ConnectionError, TimeoutError) as exc:
            raise ActionError(f"the exercise is out of reach ({exc}); reconnecting") from None


def _view(role: str, state: SeatState | None, feed: tuple[Record, ...]) -> View:
    if state is None:
        return View(role=role, t=0.0, clock_utc="", turn=1, actors=(), channels=(), feed=feed,
                    truth=None, paused=False)
    return View(role=role, t=state.t, clock_utc=state.clock_utc, turn=state.turn,
                actors=tuple(ActorView(**a) for a in state.actors),
                channels=tuple(tuple(c) for c in state.channels),  # type: ignore[misc]
                feed=feed, truth=state.truth, paused=state.paused)


class _NoJournal(Journal):
    """A joined seat writes no journal: the host keeps the one journal of the exercise."""

    def __init__(self) -> None:
        self.path = None  # type: ignore[assignment]

    def write(self, entry: Any) -> None:
        """Nothing to write."""

    def close(self) -> None:
        """Nothing to close."""


class RemoteGame(Game):
    """A seat of a hosted exercise, played through the same screens as a local game."""

    def __init__(self, link: SeatLink) -> None:
        session = RemoteSession(link)
        super().__init__(session, _NoJournal(), Path(), session.seat)  # type: ignore[arg-type]
        self.link = link
        """The connection to the host."""

    def view(self) -> View:
        """What the current role sees: the seat's own view, or one the host sends."""
        return self.session.view(self.role)

    def rewind(self, turn: int) -> Path:
        """Not for a joined seat: the host's journal is the exercise's."""
        raise ActionError("rewind is done on the host (hotline play --resume of its journal)")

    def fork(self, new_path: str | Path, turn: int | None = None, **_: Any) -> Path:
        """Not for a joined seat."""
        raise ActionError("what-if branches are made from the host's journal")

    def close(self) -> None:
        """Leave the exercise."""
        self.link.close()
