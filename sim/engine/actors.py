"""The state of one actor in a run: availability by its clock, belief, posture, contacts."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sim.scenario.actors import Actor
from sim.scenario.models import Scenario


class ActorState:
    """What an actor is and knows at the current moment of a run."""

    def __init__(self, actor: Actor, scenario: Scenario, value: object) -> None:
        self.actor = actor
        self.id = actor.id
        hypotheses = [h.id for h in scenario.question.hypotheses]
        start_belief = actor.belief or {h: 1 / len(hypotheses) for h in hypotheses}
        self.belief: dict[str, float] = {h: float(start_belief.get(h, 0.0)) for h in hypotheses}
        self.level = scenario.level_index(actor.posture) if actor.posture else 0
        self.contacts: set[str] = set()
        self.engaged = 0  # calls and meetings the actor is in right now
        self.on_call_with: str | None = None
        self.in_meeting: str | None = None
        self._start = scenario.start
        self._zone = ZoneInfo(actor.timezone)
        hours = actor.working_hours.minutes() if actor.working_hours else None
        self._hours = hours
        self._unreachable = [(value(w.start), value(w.end)) for w in actor.unreachable]

    def local_time(self, now: float) -> datetime:
        """The actor's wall-clock time at scenario minute `now`."""
        return (self._start + timedelta(minutes=now)).astimezone(self._zone)

    def off_duty(self, now: float) -> bool:
        """Whether `now` falls outside the actor's local working hours."""
        if self._hours is None:
            return False
        local = self.local_time(now)
        minute = local.hour * 60 + local.minute
        start, end = self._hours
        if start <= end:
            return not start <= minute < end
        return end <= minute < start  # hours wrap past midnight

    def unreachable(self, now: float) -> bool:
        """Whether the actor cannot be reached at all at `now`."""
        return any(a <= now < b for a, b in self._unreachable)

    def reachable_from(self, t: float) -> float:
        """The first moment from `t` on when the actor can be reached: `t`, or the end of its spell.

        Spells may overlap or follow each other, so the end of one may fall inside the next.
        """
        moved = True
        while moved:
            moved = False
            for start, end in self._unreachable:
                if start <= t < end:
                    t, moved = end, True
        return t

    def status(self, now: float) -> str:
        """One word for the UI: unreachable, on a call, in a meeting, off duty, available."""
        if self.unreachable(now):
            return "unreachable"
        if self.on_call_with:
            return "on a call"
        if self.in_meeting:
            return "in a meeting"
        if self.off_duty(now):
            return "off duty"
        return "available"
