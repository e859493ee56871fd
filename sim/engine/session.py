"""The Session API: the one way the UI, the CLI and later features drive a run of a scenario.

A session is event-sourced: (scenario content, seed, variant, overrides, seats) plus the ordered
list of its operations (`ops`: advances and actions) decide everything, so replaying the same
operations rebuilds the same log. The actions alone are not enough: where play paused mid-turn
decides whether an action comes before or after that minute's other events.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.engine.metrics import MetricSet, MetricValue, matches
from sim.engine.params import resolve_params
from sim.engine.records import Record
from sim.engine.runaway import RunawayError
from sim.engine.world import World
from sim.scenario.events import Action
from sim.scenario.models import Scenario

FACILITATOR = "facilitator"


class ActionError(ValueError):
    """An action that this seat cannot take now; the message says why."""


class SessionAction(BaseModel):
    """One thing a player or the facilitator does, entering the world at the current time."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    actor: str | None = None
    """Who acts: a seat's actor; None for the facilitator."""
    do: Action | None = None
    """An actor's action: call, message, statement, posture, convene."""
    inject: str | None = None
    """Facilitator: drop this inject of the scenario now."""
    free_inject: dict[str, Any] | None = None
    """Facilitator: a free-form inject (title, text, to, claim)."""
    note: str | None = None
    """Facilitator: a time-stamped note for the report."""
    pass_: bool | None = Field(default=None, alias="pass")
    """A player passes this turn (recorded, changes nothing)."""
    answer: bool | None = None
    """A player answers the call ringing for its actor: true picks up, false declines."""

    @model_validator(mode="after")
    def _one(self) -> SessionAction:
        given = [f for f in ("do", "inject", "free_inject", "note", "pass_") if getattr(self, f)]
        if self.answer is not None:  # `answer: false` declines: given, though false
            given.append("answer")
        if len(given) != 1:
            raise ValueError("an action is exactly one of: do, inject, free_inject, note, pass, "
                             "answer")
        if (self.do is not None or self.answer is not None) and self.actor is None:
            raise ValueError("an actor's action needs 'actor'")
        return self


@dataclass(frozen=True)
class TimedAction:
    """An action and the minute it entered the world."""

    t: float
    action: SessionAction


@dataclass(frozen=True)
class AbandonedNote:
    """A facilitator's note written on a branch that a rewind abandoned: kept for the report."""

    t: float
    """The minute it was written at, on the abandoned branch."""
    text: str
    branch: str
    """Which branch, e.g. "rewound from turn 6 to turn 3"."""


@dataclass(frozen=True)
class ActorView:
    """What a seat sees of one actor."""

    id: str
    name: str
    title: str
    side: str
    status: str
    """available, on a call, in a meeting, off duty, unreachable; `?` where the seat cannot know."""
    local_time: str
    """HH:MM in the actor's own zone."""
    posture: str | None
    """Ladder level id, or None where the seat cannot know."""
    belief: Mapping[str, float] | None
    """Probability of each hypothesis, or None where the seat cannot know."""


@dataclass(frozen=True)
class View:
    """An immutable snapshot of what one seat (or the facilitator) can see."""

    role: str
    t: float
    clock_utc: str
    turn: int
    actors: tuple[ActorView, ...]
    channels: tuple[tuple[str, str, str], ...]
    """(id, kind, state) with state up, busy or down."""
    feed: tuple[Record, ...]
    truth: str | None
    """The ground truth: only in the facilitator's view."""
    paused: bool
    metrics: Mapping[str, MetricValue] = field(default_factory=dict)


def content_hash(text: str) -> str:
    """The hash a journal keeps to recognise a scenario's content."""
    return hashlib.sha256(text.encode()).hexdigest()


class Session:
    """A run that people drive: advance time, act, look, in any order, deterministically."""

    def __init__(self, scenario: Scenario, seed: int = 0, variant: str | None = None,
                 overrides: Mapping[str, Any] | None = None, seats: Sequence[str] = (),
                 *, answering: bool = False) -> None:
        """Start a session at minute 0.

        With `answering`, a call to a seat's actor rings for the player, who picks it up or not
        (`SessionAction.answer`); without it, as in journals written before, the channel's
        answer model decides for every actor.

        Raises:
            ParameterError: an unknown variant or parameter, or a value out of range.
            ActionError: a seat that is not a playable actor.
        """
        for seat in seats:
            if seat not in {a.id for a in scenario.actors if a.playable}:
                raise ActionError(f"{seat!r} is not a playable actor")
        self.scenario = scenario
        self.seed = seed
        self.variant = variant if variant is not None else scenario.default_variant
        self.overrides = dict(overrides or {})
        self.seats = tuple(seats)
        self.params = resolve_params(scenario, self.variant, self.overrides)
        self.world = World(scenario, seed, self.params, seats=seats)
        self.answering = answering
        if answering:
            self.world.switchboard.live = set(seats)
        self.actions: list[TimedAction] = []
        self.metric_set = MetricSet(scenario)
        self.paused = False
        self.halted: str | None = None
        """Why the run stopped for good (rules that set each other off with no delay), or None."""
        self._pause_patterns = list(scenario.pause_on)
        self.world.listeners.append(self._watch)
        self.ops: list[dict[str, Any]] = []
        """Every operation so far, in order: replaying them rebuilds this session exactly."""
        self.on_op: list[Callable[[dict[str, Any]], None]] = []
        """Called with each operation as it is done (the journal writes it to disk)."""
        self.changes: list[tuple[float, str | None, dict[str, Any]]] = []
        """Every switch of variant or parameters mid-play: (minute, variant, overrides)."""
        self.abandoned_notes: list[AbandonedNote] = []
        """Notes written on branches a rewind abandoned; they never enter the world."""

    def _record(self, op: dict[str, Any]) -> None:
        self.ops.append(op)
        for write in self.on_op:
            write(op)

    def replay(self, ops: Sequence[Mapping[str, Any]]) -> None:
        """Apply recorded operations in order (from `ops` or a journal).

        Raises:
            ActionError: an operation that does not apply to this scenario.
        """
        for op in ops:
            kind = op.get("op")
            if kind == "advance":
                self.advance(float(op["until"]))
            elif kind == "next_event":
                self.run_to_next_event(op.get("limit"))
            elif kind == "change":
                self.change(op.get("variant"), op.get("overrides") or {})
            elif kind == "abandoned_note":
                self.keep_abandoned_note(float(op["t"]), str(op["text"]), str(op["branch"]))
            elif kind == "act":
                try:
                    action = SessionAction.model_validate(op["action"])
                except (ValueError, KeyError) as exc:
                    raise ActionError(f"not an action: {exc}") from None
                self.act_again(action)
            else:
                raise ActionError(f"unknown operation {kind!r}")

    def act_again(self, action: SessionAction) -> None:
        """Take a journaled action again; an answer is skipped where no call rings for a player.

        A session without `answering` (a journal written before calls rang, a future with no
        players) leaves every call to the answer model, so a player's answer has nothing to do.
        """
        if action.answer is not None and not self.answering:
            return
        self.act(action)

    def change(self, variant: str | None, overrides: Mapping[str, Any]) -> None:
        """Play on under another variant and parameter values, from now: a what-if branch.

        The past stays as played; draws from now on use the new values (`World.change`), on the
        same random streams, so the branch differs from the original only by the change.

        Raises:
            ParameterError: an unknown variant or parameter, or a value out of range.
        """
        name = variant if variant is not None else self.scenario.default_variant
        params = resolve_params(self.scenario, name, overrides)
        self._record({"op": "change", "t": self.now, "variant": name,
                      "overrides": dict(overrides)})
        self.variant, self.overrides = name, dict(overrides)
        self.world.change(params)
        self.params = self.world.params
        self.changes.append((self.now, name, dict(overrides)))

    def keep_abandoned_note(self, t: float, text: str, branch: str) -> None:
        """Keep a note written at minute `t` on an abandoned branch (the world does not see it)."""
        self._record({"op": "abandoned_note", "t": t, "text": text, "branch": branch})
        self.abandoned_notes.append(AbandonedNote(t, text, branch))

    # -- time --------------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Minutes since the scenario's start."""
        return self.world.now

    @property
    def log(self) -> list[Record]:
        """The event log so far (read it, never change it)."""
        return self.world.log

    @property
    def turn(self) -> int:
        """The current turn, from 1; the scenario's very end still counts as its last turn."""
        s = self.scenario
        last = max(1, int(-(-s.duration // s.turn)))
        return min(int(self.now // s.turn) + 1, last)

    @property
    def finished(self) -> bool:
        """Whether the scenario's time has run out, or the run was halted."""
        return self.now >= self.scenario.duration or self.halted is not None

    def _step_while(self, go_on: Callable[[], bool]) -> None:
        """Step the world while `go_on()` holds; a runaway halts the session for good.

        A halted session keeps its log and replays to the same halt, so a journal that led to
        a runaway still opens; time no longer moves and actions are refused.
        """
        if self.halted is not None:
            return
        env = self.world.env
        try:
            while go_on():
                env.step()
        except RunawayError as exc:
            self.halted = str(exc)

    def advance(self, until: float) -> list[Record]:
        """Run up to minute `until` (or the end), stopping early if play pauses.

        Events scheduled at exactly `until` belong to the next turn: they run on the next call.
        Returns the records added.
        """
        until = min(until, self.scenario.duration)
        self._record({"op": "advance", "until": until})
        env = self.world.env
        first = len(self.log)
        self.paused = False
        self._step_while(lambda: not self.paused and env.peek() < until)
        if not self.paused and self.halted is None and until > env.now:
            env.run(until=until)  # nothing left before `until`: move the clock there
        return self.log[first:]

    def next_turn(self) -> list[Record]:
        """Advance to the end of the current turn."""
        return self.advance((self.turn) * self.scenario.turn)

    def run_to_next_event(self, limit: float | None = None) -> list[Record]:
        """Advance until at least one record is added (or the end, or minute `limit`).

        A `limit` lets a rewind replay a step without passing the turn it goes back to.
        """
        self._record({"op": "next_event"} if limit is None else {"op": "next_event",
                                                                 "limit": limit})
        env = self.world.env
        first = len(self.log)
        end = self.scenario.duration if limit is None else min(limit, self.scenario.duration)
        self._step_while(lambda: len(self.log) == first and env.peek() < end)
        return self.log[first:]

    def _watch(self, record: Record) -> None:
        if record.kind == "pause" or (record.kind == "call_ringing"
                                      and record.actor in self.world.switchboard.live):
            self.paused = True  # a call rings for a player: they decide before time runs on
            return
        for pattern in self._pause_patterns:
            if matches(pattern, record, self.metric_set.public_channels):
                self.paused = True

    # -- acting ------------------------------------------------------------------------------

    def act(self, action: SessionAction) -> list[Record]:
        """Put an action into the world at the current time and return the records it adds.

        Raises:
            ActionError: the action is not possible for this actor or scenario.
        """
        self.check(action)
        first = len(self.log)
        self.actions.append(TimedAction(self.now, action))
        self._record({"op": "act", "t": self.now,
                      "action": action.model_dump(mode="json", exclude_none=True, by_alias=True)})
        world = self.world
        if action.do is not None:
            world.perform(action.actor, action.do, why="player", key=("player", len(self.actions)))
            world.emit("note", action.actor, None, None, text=_describe(action), by="player")
        elif action.inject is not None:
            world.fire_inject(world.injects[action.inject], by=FACILITATOR)
        elif action.free_inject is not None:
            world.fire_inject(_free_inject(self.scenario, action.free_inject, len(self.actions)),
                              by=FACILITATOR)
        elif action.note is not None:
            world.emit("note", None, None, None, text=action.note, by=FACILITATOR)
        elif action.answer is not None:
            world.emit("note", action.actor, None, None, by="player",
                       text="picks up the call" if action.answer else "declines the call")
            world.switchboard.answer(action.actor, action.answer)
        else:
            world.emit("note", action.actor, None, None, text="passes", by="player")
        # let what the action started at this minute happen now, in the same ordered queue
        env = world.env
        self._step_while(lambda: env.peek() <= env.now)
        return self.log[first:]

    def check(self, action: SessionAction) -> None:
        """Raise ActionError if the action cannot be taken; the references are checked."""
        from sim.scenario.references import Parts, check_references

        if self.halted is not None and action.note is None and not action.pass_:
            raise ActionError(self.halted)
        if action.actor is not None and action.actor not in self.world.actors:
            raise ActionError(f"unknown actor {action.actor!r}")
        if action.inject is not None and action.inject not in self.world.injects:
            raise ActionError(f"unknown inject {action.inject!r}")
        if action.answer is not None and not self.world.switchboard.ringing(action.actor):
            raise ActionError(f"no call is ringing for {action.actor}")
        s = self.scenario
        parts = Parts(question=s.question, ladder=s.ladder, actors=s.actors, channels=s.channels,
                      parameters=s.parameters, sources=s.sources,  # the actors cite sources
                      evidence=s.evidence, injects=s.injects, rules=s.rules)  # and moves cite these
        if action.do is not None:
            from sim.scenario.events import Rule, Trigger

            parts.rules = [Rule(id="player-action", actor=action.actor, when=Trigger(start=True),
                                do=action.do)]
        elif action.free_inject is not None:  # its recipients, channel and claim must exist too
            parts.injects = [*s.injects, _free_inject(s, action.free_inject, len(self.actions) + 1)]
        else:
            return
        problems = check_references(parts)
        if problems:
            raise ActionError("; ".join(problem[1] for problem in problems))  # (path, message, ...)

    # -- looking -----------------------------------------------------------------------------

    def clock(self, t: float | None = None) -> datetime:
        """The UTC instant of scenario minute `t` (default: now)."""
        return self.scenario.start + timedelta(minutes=self.now if t is None else t)

    def view(self, role: str = FACILITATOR, *, feed: bool = True) -> View:
        """What `role` (an actor id, or `facilitator`) can see now.

        With `feed=False` the feed and metrics are left empty: a caller that keeps each seat's
        feed itself (the exercise server) does not pay for filtering the whole log each time.

        Raises:
            ActionError: an unknown role.
        """
        world = self.world
        everything = role == FACILITATOR
        if not everything and role not in world.actors:
            raise ActionError(f"unknown role {role!r}")
        now = self.now
        actors = []
        for a in self.scenario.actors:
            state = world.actors[a.id]
            mine = everything or a.id == role
            actors.append(ActorView(
                id=a.id, name=a.name, title=a.title, side=a.side,
                status=state.status(now) if mine or a.id in world.actors[role].contacts
                else "?",
                local_time=state.local_time(now).strftime("%H:%M"),
                posture=self.scenario.ladder[state.level].id if mine else None,
                belief=dict(state.belief) if mine else None,
            ))
        channels = []
        for c in self.scenario.channels:
            members = _members(c)
            if not everything and role not in members and "*all*" not in members:
                continue  # a broadcast followed by all is every seat's channel
            state = "up" if world.channel_up(c) else "down"
            if c.kind == "call" and world.lines[c.id].count:
                state = "busy"
            channels.append((c.id, c.kind, state))
        seen = tuple(r for r in self.log if everything or visible(r, role)) if feed else ()
        return View(role=role, t=now, clock_utc=self.clock().strftime("%Y-%m-%d %H:%M UTC"),
                    turn=self.turn, actors=tuple(actors), channels=tuple(channels), feed=seen,
                    truth=world.truth if everything else None,
                    paused=self.paused,
                    metrics=self.metric_set.compute(self.log, world.truths)
                    if everything and feed else {})

    def metrics(self) -> dict[str, MetricValue]:
        """Every metric of the scenario over the log so far."""
        return self.metric_set.compute(self.log, self.world.truths)


def _members(channel: Any) -> list[str]:
    if channel.kind == "call":
        return list(channel.ends)
    if channel.kind == "broadcast":
        audience = [] if channel.audience == "all" else list(channel.audience)
        return [*channel.publishers, *audience] if channel.audience != "all" else ["*all*"]
    return list(channel.members)


def visible(record: Record, role: str) -> bool:
    """Whether a seat sees a record: only what reached it or what it did (fog of war)."""
    kind = record.kind
    if kind in ("inject", "pause", "message_lost"):
        return False
    if kind in ("received", "belief", "posture", "call_attempt", "call_failed", "call_gave_up",
                "message_sent", "statement", "statement_failed", "call_missed", "call_requested",
                "posture_observed", "evidence", "trust", "question_belief", "call_ringing"):
        return record.actor == role
    if kind in ("call_connected", "call_ended", "call_move", "agreed", "call_arranged",
                "call_declined"):
        return role in (record.actor, record.counterpart)
    if kind == "decision":
        return role == record.actor or role in record.data.get("votes", {})
    if kind == "message_delivered":
        return record.counterpart == role
    if kind.startswith("meeting_"):
        return role == record.actor or role in record.data.get("members", ())
    if kind == "note":
        return record.actor == role
    return False


def _describe(action: SessionAction) -> str:
    act = action.do
    if act is None:
        return ""
    if act.call:
        return f"calls {act.call.to} over {act.call.channel}"
    if act.message:
        return f"messages {', '.join(act.message.to)} over {act.message.channel}"
    if act.statement:
        return f"makes a statement on {act.statement.channel}"
    if act.posture:
        return "changes posture"
    return f"requests a meeting of {act.convene}"


def _free_inject(scenario: Scenario, spec: Mapping[str, Any], n: int) -> Any:
    from sim.scenario.events import Inject

    data = {"id": f"free-{n}", "title": spec.get("title", "Facilitator inject"), **spec,
            "optional": True}
    data["id"] = f"free-{n}"
    try:
        return Inject.model_validate(data, context={"start": scenario.start})
    except ValueError as exc:
        raise ActionError(f"free inject: {exc}") from None

