"""A hosted exercise: one Session, its journal and seats, and what each seat may ask of it.

The server's authority lives here, with no network in sight: every request is checked
against the seat that sent it, a seat's feed holds only what reaches it (fog of war, applied
before anything leaves the host), and an action is on disk (the journal syncs each line)
before `handle` returns its acknowledgement.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.engine.journal import Journal
from sim.engine.params import ParameterError
from sim.engine.session import (
    FACILITATOR,
    ActionError,
    ActorView,
    Session,
    SessionAction,
    visible,
)
from sim.net.protocol import Ack, Act, Advance, Ready, SeatState, Update, ViewOf, Welcome
from sim.net.seats import SeatTokens

log = logging.getLogger("hotline.host")

#: Parts of a scenario a player's client is not sent: what the automated actors will do, what
#: evidence will show, what the facilitator holds back, and the ground truth itself.
SECRET_SECTIONS = ("rules", "evidence", "injects", "discussion", "pause_on")

#: How turns end: by the facilitator alone, or once every connected player says ready.
TURN_MODES = ("facilitator", "ready")


class Exercise:
    """The one session of a hosted exercise, served to its seats."""

    def __init__(self, session: Session, journal: Journal, tokens: SeatTokens, scenario_path: Path,
                 *, turns: str = "facilitator", timer: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """Serve `session`.

        Args:
            session: the session, its journal attached.
            journal: the journal it writes.
            tokens: which token opens which seat.
            scenario_path: the scenario file (its raw data is what clients are sent).
            turns: `facilitator` or `ready`.
            timer: seconds of wall-clock time after which a turn ends by itself (None: never).
            clock: wall-clock seconds, for the turn timer.
        """
        self.session = session
        self.journal = journal
        self.tokens = tokens
        self.turns = turns
        """How turns end: `facilitator` or `ready`."""
        self.timer = timer
        """Seconds a turn lasts before it ends by itself, or None."""
        self._clock = clock
        self.players = list(session.seats)
        """The actors played by people."""
        self._seats: dict[str, list[int]] = {seat: [] for seat in self.players}
        """Each player's feed so far, as places in the log: only what reaches that seat (the
        facilitator's is the whole log). Places, not copies: the log is kept once."""
        self._seen = 0
        self.ready: set[str] = set()
        """Players that said ready this turn."""
        self.connected: set[str] = set()
        """Seats with a live connection (kept by the server)."""
        self.turn_started = clock()
        """When the current turn began, in wall-clock seconds."""
        self._scenario_data = _raw_scenario(scenario_path)
        self.catch_up()

    # -- feeds and state -----------------------------------------------------------------------

    def catch_up(self) -> None:
        """Deal the log's new records to the seats that may see them."""
        log = self.session.log
        for place in range(self._seen, len(log)):
            for seat in self.players:
                if visible(log[place], seat):
                    self._seats[seat].append(place)
        self._seen = len(log)

    def feed(self, role: str, since: int = 0) -> list[dict[str, Any]]:
        """The records of `role`'s feed from index `since` on, as JSON."""
        log = self.session.log
        if role == FACILITATOR:
            return [r.to_json() for r in log[since:self._seen]]
        return [log[place].to_json() for place in self._seats[role][since:]]

    def feed_length(self, role: str) -> int:
        """How many records `role`'s feed holds."""
        return self._seen if role == FACILITATOR else len(self._seats[role])

    def state(self, role: str) -> SeatState:
        """Where the exercise stands, as `role` may see it."""
        session = self.session
        view = session.view(role, feed=False)
        return SeatState(
            t=view.t, turn=view.turn, clock_utc=view.clock_utc, paused=view.paused,
            finished=session.finished, halted=session.halted,
            actors=[_actor_json(a) for a in view.actors],
            channels=[tuple(c) for c in view.channels],
            deciding=[p for p in self.players if p not in self.ready],
            connected=sorted(self.connected), turns=self.turns, timer_left=self.timer_left(),
            truth=view.truth)

    def timer_left(self) -> float | None:
        """Seconds until the turn timer runs out, or None without a timer."""
        if self.timer is None or self.session.finished:
            return None
        return max(0.0, self.timer - (self._clock() - self.turn_started))

    def scenario_for(self, role: str) -> dict[str, Any]:
        """The scenario as `role` may know it: a player's copy lacks the secrets."""
        data = json.loads(json.dumps(self._scenario_data, default=str))
        if role == FACILITATOR:
            return data
        for key in SECRET_SECTIONS:
            data.pop(key, None)
        for question in [data.get("question", {}), *data.get("questions", [])]:
            if isinstance(question, dict) and "truth" in question:
                question["truth"] = "hidden"
        return data

    def welcome(self, role: str, since: int) -> Welcome:
        """What a seat gets on (re)connecting: the records from `since` on, and the state."""
        first = min(since, self.feed_length(role))
        return Welcome(seat=role, scenario=self.scenario_for(role), first=first,
                       records=self.feed(role, first), state=self.state(role))

    def update(self, role: str, since: int) -> Update:
        """The records of `role`'s feed from index `since`, and the state."""
        return Update(first=since, records=self.feed(role, since), state=self.state(role))

    # -- requests ------------------------------------------------------------------------------

    def handle(self, role: str, request: Act | Advance | Ready | ViewOf) -> Ack:
        """Carry out one request of `role`, if that seat may; the answer says whether and why."""
        try:
            if isinstance(request, Act):
                return self._act(role, request)
            if isinstance(request, Advance):
                return self._advance(role, request)
            if isinstance(request, Ready):
                return self._ready(role, request)
            return self._view_of(role, request)
        except (ActionError, ParameterError) as exc:
            return Ack(id=request.id, ok=False, error=str(exc))
        finally:
            self.catch_up()

    def _act(self, role: str, request: Act) -> Ack:
        try:
            action = SessionAction.model_validate(request.action)
        except ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]
            where = ".".join(str(p) for p in first["loc"]) or "action"
            return Ack(id=request.id, ok=False, error=f"not an action: {where}: {first['msg']}")
        if role != FACILITATOR:
            if action.do is None and not action.pass_ and action.answer is None:
                return Ack(id=request.id, ok=False,
                           error="injects and notes are the facilitator's; a player calls, "
                                 "messages, makes statements, changes posture, meets, answers "
                                 "a call or passes")
            if action.actor != role:
                return Ack(id=request.id, ok=False,
                           error=f"the seat {role} acts only as {role}, not as {action.actor}")
        if self.session.finished and action.note is None:
            return Ack(id=request.id, ok=False, error="the scenario's time has run out")
        self.session.act(action)  # the journal line is synced before this returns
        return Ack(id=request.id, ok=True)

    def _advance(self, role: str, request: Advance) -> Ack:
        if role != FACILITATOR:
            return Ack(id=request.id, ok=False, error="only the facilitator moves the clock; "
                       "say ready to let the turn end")
        if self.session.finished:
            return Ack(id=request.id, ok=False, error="the scenario's time has run out")
        if request.how == "event":
            self.session.run_to_next_event()
        else:
            self.end_turn()
        return Ack(id=request.id, ok=True)

    def end_turn(self, *, through_pauses: bool = False) -> None:
        """Run to the end of the turn; everyone decides afresh and the timer starts again.

        Args:
            through_pauses: play on where the scenario pauses mid-turn (nobody is there to
                react to it: the facilitator is not connected).
        """
        session = self.session
        turn = session.turn
        session.next_turn()
        while through_pauses and session.paused and not session.finished:
            session.next_turn()
        if session.turn != turn or session.finished:  # a pause mid-turn keeps who is ready
            self.ready.clear()
            self.turn_started = self._clock()
        log.info("clock at minute %.0f, turn %s%s", session.now, session.turn,
                 " (paused mid-turn)" if session.paused else "")

    def _ready(self, role: str, request: Ready) -> Ack:
        if role == FACILITATOR:
            return Ack(id=request.id, ok=False, error="the facilitator ends turns with advance")
        if request.ready:
            self.ready.add(role)
        else:
            self.ready.discard(role)
        if self.turns == "ready" and self.everyone_ready() and not self.session.finished:
            self.end_turn(through_pauses=FACILITATOR not in self.connected)
        return Ack(id=request.id, ok=True)

    def everyone_ready(self) -> bool:
        """Whether every connected player said ready (and at least one is connected)."""
        present = [p for p in self.players if p in self.connected]
        return bool(present) and all(p in self.ready for p in present)

    def _view_of(self, role: str, request: ViewOf) -> Ack:
        if role != FACILITATOR:
            log.warning("seat %s asked for the view of %r: refused", role, request.role)
            return Ack(id=request.id, ok=False, error="a seat sees only its own view")
        target = request.role
        if target == FACILITATOR or target in self._seats:
            feed = self.feed(target)
        else:
            self.session.view(target, feed=False)  # raises ActionError for an unknown role
            feed = [r.to_json() for r in self.session.log if visible(r, target)]
        return Ack(id=request.id, ok=True,
                   view={"role": target, "records": feed,
                         "state": self.state(target).model_dump(mode="json")})

    def tick(self) -> bool:
        """End the turn if its timer ran out; whether it did."""
        left = self.timer_left()
        if left is None or left > 0:
            return False
        self.end_turn(through_pauses=FACILITATOR not in self.connected)
        self.catch_up()
        return True


def _actor_json(actor: ActorView) -> dict[str, Any]:
    """An actor as a seat sees it, as JSON (`dataclasses.asdict` deep-copies: too slow here)."""
    return {"id": actor.id, "name": actor.name, "title": actor.title, "side": actor.side,
            "status": actor.status, "local_time": actor.local_time, "posture": actor.posture,
            "belief": dict(actor.belief) if actor.belief is not None else None}


def _raw_scenario(path: Path) -> dict[str, Any]:
    """The scenario file's data as written (durations as `20m`, not minutes)."""
    from sim.scenario.loader import read_scenario_text

    data = yaml.load(read_scenario_text(path), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    return data if isinstance(data, dict) else {}
