"""A world that notes, for every record, what it followed from and the waits in between.

The event log says what happened, not why a record came when it did: a statement does not name
the rule that made it, nor a rule the claim that set it off. `TracingWorld` plays the same run
(same scenario, seed and parameters give the same log: it only watches) and keeps beside the
log one `Cause` per record: the record it followed from (its parent) and the waits between the
two, each labelled with its kind (rule delay, latency, response, off duty, set-up, ringing...)
and the link it belongs to (`rule ID`, `channel ID`, `actor ID`, `inject ID`, `evidence ID`).

How it knows:
- A *context* (parent record, waits since it) is current while code runs. Emitting a record
  gives it the current context as its cause, then makes it the parent of what follows at once.
  `receive` and `trigger` restore the context they were called in, so siblings (an inject's
  recipients and its broadcast's followers) keep the inject as their parent.
- Every timeout captures the context it was created in; when it fires, the context is that one
  plus one wait. Processes (calls, meetings, rules' delays) keep their own context across the
  events they wait on; a wait on anything but a timeout (a busy line) is `line busy`.
- A wait is labelled from the random draws made for it (their keys name what they are: a rule's
  `delay`, a channel's `latency`, `setup`, `retry`, `convene`; an actor's response, split into
  unreachable / response / off-duty parts). A wait with no draw, or whose draws do not add up
  to it, is labelled by the code that waited (`call` → ringing, `_act_later` → off duty until
  duty hours, `meeting` → channel down, `arrange` → the arranged slot).
- A rule that fires on its own clock (re-checked `every` so often, or timed) follows no record:
  it is taken to follow its actor's latest record before it fired, the time since being that
  rule's `re-check interval`. This is the one guess the tracer makes.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import simpy

from sim.engine.records import Record
from sim.engine.world import World


@dataclass(frozen=True)
class Wait:
    """An interval on the way to a record."""

    kind: str
    """What was waited for: `rule delay`, `latency`, `response`, `off duty`, `ringing`..."""
    link: str
    """Whose wait it is: `rule ID`, `channel ID`, `actor ID`, `inject ID`, `evidence ID`."""
    minutes: float
    """How long."""


@dataclass(frozen=True)
class Cause:
    """What a record followed from."""

    parent: int | None
    """Index in the log of the record it followed from; None: from the run's start."""
    waits: tuple[Wait, ...]
    """The waits between the parent (or minute 0) and the record, in order."""


#: The wait a piece of code makes when no draw explains it, by the function that waited.
_UNDRAWN = {"call": "ringing", "_act_later": "off duty", "meeting": "channel down",
            "arrange": "arranged slot", "_at": "rule time", "_timed_inject": "inject time",
            "_reconsider": "re-check interval", "_evidence": "evidence time"}

#: A draw's kind by the last part of its key.
_DRAWN = {"latency": "latency", "setup": "set-up", "retry": "retry interval",
          "convene": "convening", "duration": "call or meeting", "delay": "rule delay",
          "off_duty": "off duty", "at": "scheduled"}


@dataclass(frozen=True)
class _Context:
    """What the code running now follows from."""

    parent: int | None
    """The record it follows from (None: the run's start)."""
    waits: tuple[Wait, ...]
    """The waits since that record."""


class _TracingEnvironment(simpy.Environment):
    """An environment whose timeouts and processes carry the world's context along."""

    def __init__(self, world: TracingWorld) -> None:
        super().__init__()
        self.world = world

    def timeout(self, delay: float = 0, value: Any = None) -> simpy.Timeout:  # type: ignore[override]
        event = simpy.Timeout(self, delay, value)
        world = self.world
        waits = world.label(float(delay), sys._getframe(1).f_code.co_name)
        after = _Context(world.ctx.parent, (*world.ctx.waits, *waits))

        def restore(_event: simpy.Event) -> None:
            world.ctx = after
        event.callbacks.append(restore)  # first in line: before the process or callback it wakes
        return event

    def process(self, generator: Generator[Any, Any, Any]) -> simpy.Process:  # type: ignore[override]
        return simpy.Process(self, self.world.carry(generator, self.world.ctx))


class TracingWorld(World):
    """A `World` that keeps `causes`, one per record of its log."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.causes: list[Cause] = []
        self.ctx = _Context(None, ())
        self._draws: list[tuple[Any, ...]] = []
        self._hint: str | None = None
        super().__init__(*args, **kwargs)
        self._rule_actor = {r.id: r.actor for r in self.scenario.rules}

    @property  # type: ignore[override]
    def env(self) -> simpy.Environment:
        """The world's environment, a tracing one."""
        return self._env

    @env.setter
    def env(self, _plain: simpy.Environment) -> None:
        # World builds a plain environment first thing; trace with one of ours instead
        self._env = _TracingEnvironment(self)

    def carry(self, generator: Generator[Any, Any, Any], ctx: _Context) -> Generator[Any, Any, Any]:
        """Run a process's generator with its own context, restored each time it resumes."""
        self.ctx = ctx
        sent: Any = None
        while True:
            try:
                event = generator.send(sent)
            except StopIteration as stop:
                return stop.value
            mine, since = self.ctx, self.now
            sent = yield event
            if not isinstance(event, simpy.Timeout):  # a timeout set the context itself
                waited = self.now - since
                link = self._channel_link()
                self.ctx = _Context(mine.parent, (*mine.waits, Wait("line busy", link, waited))) \
                    if waited > 0 else mine

    def emit(self, kind: str, actor: str | None = None, counterpart: str | None = None,
             channel: str | None = None, **data: Any) -> Record:
        """Log a record with the current context as its cause; it becomes the parent."""
        self.causes.append(Cause(self.ctx.parent, self.ctx.waits))
        self.ctx = _Context(len(self.log), ())
        self._draws = []
        return super().emit(kind, actor, counterpart, channel, **data)

    def receive(self, *args: Any, **kwargs: Any) -> None:
        """As `World.receive`, in a scope: the caller's context comes back afterwards."""
        saved = self.ctx
        try:
            super().receive(*args, **kwargs)
        finally:
            self.ctx = saved

    def trigger(self, *args: Any, **kwargs: Any) -> None:
        """As `World.trigger`, in a scope."""
        saved = self.ctx
        try:
            super().trigger(*args, **kwargs)
        finally:
            self.ctx = saved

    def _fire(self, rule: Any, cause: Any) -> None:
        """As `World._fire`; a rule that fires on its own clock continues from its actor's news.

        A rule re-checked on an interval (`every`), or timed, fires when its conditions hold,
        not on a record: its parent is taken to be the actor's latest record (usually the change
        that made the conditions true), and the time since, the re-check lag.
        """
        if sys._getframe(1).f_code.co_name not in ("_reconsider", "_at"):
            super()._fire(rule, cause)
            return
        saved = self.ctx
        latest = next((i for i in range(len(self.log) - 1, -1, -1)
                       if rule.actor in (self.log[i].actor, self.log[i].counterpart)), None)
        if latest is not None:
            lag = self.now - self.log[latest].t
            waits = (Wait("re-check interval", f"rule {rule.id}", lag),) if lag > 0 else ()
            self.ctx = _Context(latest, waits)
        try:
            super()._fire(rule, cause)
        finally:
            self.ctx = saved

    def draw(self, dist: Any, key: Any) -> float:
        """As `World.draw`, noting the draw for the wait it is for."""
        value = super().draw(dist, key)
        self._draws.append(("draw", key, value))
        return value

    def respond_delay(self, actor: str, kind: str, key: Any, at: float | None = None) -> float:
        """As `World.respond_delay`, noted as one entry with its parts."""
        saved, self._draws = self._draws, []
        total = super().respond_delay(actor, kind, key, at)
        inner, self._draws = self._draws, saved
        self._draws.append(("respond", actor, kind, total, inner))
        return total

    def _broadcast_to(self, actor: str, channel: Any, *args: Any) -> None:
        self._hint = channel.id
        try:
            super()._broadcast_to(actor, channel, *args)
        finally:
            self._hint = None

    # -- labelling -------------------------------------------------------------------------

    def label(self, delay: float, waiter: str) -> tuple[Wait, ...]:
        """The waits a timeout of `delay` minutes stands for, from the draws made for it."""
        entries, self._draws = self._draws, []
        if delay <= 0:
            return ()
        totals = [e[2] if e[0] == "draw" else e[3] for e in entries]
        if entries and abs(sum(totals) - delay) < 1e-9:
            chosen = entries
        else:  # a longest-of (a meeting's convening against its members' joining) or none
            chosen = [e for e, t in zip(entries, totals, strict=True) if abs(t - delay) < 1e-9][:1]
        if not chosen:
            return (Wait(_UNDRAWN.get(waiter, "wait"), self._waiter_link(waiter), delay),)
        waits: list[Wait] = []
        for entry in chosen:
            waits += self._entry_waits(entry)
        return tuple(w for w in waits if w.minutes > 0)

    def _entry_waits(self, entry: tuple[Any, ...]) -> list[Wait]:
        if entry[0] == "respond":
            _tag, actor, kind, total, inner = entry
            link = f"actor {actor}"
            parts = [Wait("off duty" if d[1][-2] == "off_duty" else
                          ("answering" if kind == "call" else "response"), link, d[2])
                     for d in inner]
            held = total - sum(d[2] for d in inner)
            return [Wait("unreachable", link, held), *parts] if held > 1e-9 else parts
        _tag, key, value = entry
        last = key[-1]
        kind = _DRAWN.get(last, str(last))
        if key[0] == "rule" and last in ("delay", "off_duty"):
            link = f"rule {key[1]}" if last == "delay" else f"actor {self._rule_actor[key[1]]}"
        elif key[0] in ("inject", "evidence") and last == "at":
            link = f"{key[0]} {key[1]}"
            kind = f"{key[0]} time"
        elif key[0] == "observe":
            link, kind = f"actor {key[1]}", "observation"
        else:
            link = self._channel_link()
        return [Wait(kind, link, value)]

    def _channel_link(self) -> str:
        """The channel the current wait is on: a broadcast being sent, or the parent record's."""
        if self._hint is not None:
            return f"channel {self._hint}"
        parent = self.log[self.ctx.parent] if self.ctx.parent is not None else None
        if parent is None:
            return "(start)"
        via = parent.data.get("via") if parent.kind == "call_requested" else None
        channel = via or parent.channel
        return f"channel {channel}" if channel else f"actor {parent.actor}"

    def _waiter_link(self, waiter: str) -> str:
        if waiter in ("_act_later", "_at", "_reconsider") and self.ctx.parent is not None:
            return f"actor {self.log[self.ctx.parent].actor}"
        return self._channel_link()
