"""The state of one actor in a run: availability by its clock, belief, posture, contacts."""

from __future__ import annotations

from datetime import datetime

from sim.engine import trust
from sim.engine.clock import LocalClock
from sim.engine.ledger import Basis, Ledger
from sim.scenario.actors import Actor
from sim.scenario.models import Scenario


class ActorState:
    """What an actor is and knows at the current moment of a run."""

    def __init__(self, actor: Actor, scenario: Scenario, value: object) -> None:
        self.actor = actor
        self.id = actor.id
        #: The actor's belief on each question, the key question first (`belief` is that one).
        self.beliefs: list[dict[str, float]] = []
        #: One ledger per question, in the same order.
        self.ledgers: list[Ledger] = []
        for question in (scenario.question, *scenario.questions):
            hypotheses = [h.id for h in question.hypotheses]
            written = actor.belief if question is scenario.question else actor.beliefs.get(question.id)
            start = written or {h: 1 / len(hypotheses) for h in hypotheses}
            belief = {h: float(start.get(h, 0.0)) for h in hypotheses}
            self.beliefs.append(belief)
            self.ledgers.append(Ledger(hypotheses, list(belief.values()), 1.0 - actor.conservatism))
        self.belief: dict[str, float] = self.beliefs[0]
        #: Beta (α, β) of the actor's trust in each source it has weighed.
        self.trust = {src: trust.beta_prior(v) for src, v in actor.trust.items()}
        self.trust_default = trust.beta_prior(actor.trust_default)
        self._trust_mean: dict[str, float] = {}
        #: Opinion roots, by question, whose newest claim the other bases have not yet settled.
        self.unjudged: dict[tuple[int, str], None] = {}  # a dict, not a set: the same order anywhere
        self.level = scenario.level_index(actor.posture) if actor.posture else 0
        self.contacts: set[str] = set()
        #: The rung at which the actor last saw each actor it watches (`observation`).
        self.perceived: dict[str, int] = {}
        self.engaged = 0  # calls and meetings the actor is in right now
        self.engagements: list[float] = []  # when each of its calls and meetings began
        self.on_call_with: str | None = None
        self.in_meeting: str | None = None
        self.clock = LocalClock(actor.timezone, scenario.start, scenario.duration)
        hours = actor.working_hours.minutes() if actor.working_hours else None
        self._hours = hours
        self._unreachable = [(value(w.start), value(w.end)) for w in actor.unreachable]

    @property
    def ledger(self) -> Ledger:
        """The ledger of the key question."""
        return self.ledgers[0]

    def all_beliefs(self) -> dict[str, float]:
        """Every hypothesis of every question with its probability (hypothesis ids are unique)."""
        if len(self.beliefs) == 1:
            return self.belief
        merged: dict[str, float] = {}
        for belief in self.beliefs:
            merged.update(belief)
        return merged

    def local_time(self, now: float) -> datetime:
        """The actor's wall-clock time at scenario minute `now`."""
        return self.clock.local_time(now)

    def off_duty(self, now: float) -> bool:
        """Whether `now` falls outside the actor's local working hours."""
        if self._hours is None:
            return False
        minute = self.clock.minute_of_day(now)
        start, end = self._hours
        if start <= end:
            return not start <= minute < end
        return end <= minute < start  # hours wrap past midnight

    def next_on_duty(self, now: float) -> float:
        """The first minute at or after `now` at which the actor is on duty."""
        if not self.off_duty(now):
            return now
        local = self.local_time(now)
        minute = local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 6e7
        return now + (self._hours[0] - minute) % (24 * 60)  # off duty: hours are set

    def trust_in(self, source: str) -> float:
        """How much the actor trusts `source` now (the mean of its Beta)."""
        known = self._trust_mean.get(source)
        if known is None:
            known = self._trust_mean[source] = trust.mean(self.trust.get(source, self.trust_default))
        return known

    def learn(self, source: str, confidence: float, p: float) -> None:
        """Move the trust in `source` after one of its claims was judged right with probability p."""
        self.trust[source] = trust.learn(self.trust.get(source, self.trust_default), confidence, p)
        self._trust_mean[source] = trust.mean(self.trust[source])

    def busy(self, now: float, span: float = 60.0) -> int:
        """Calls and meetings the actor began within the last `span` minutes."""
        return sum(1 for t in self.engagements if now - span <= t <= now)

    def reliability(self, basis: Basis) -> float:
        """How far the actor can rely on a basis: its instrument times trust in every relay."""
        r = basis.reliability
        known = self._trust_mean
        for link in basis.chain:
            if link != self.id:
                t = known.get(link)
                r *= self.trust_in(link) if t is None else t
        return r

    def unreachable(self, now: float) -> bool:
        """Whether the actor cannot be reached at all at `now`."""
        return bool(self._unreachable) and any(a <= now < b for a, b in self._unreachable)

    def reachable_from(self, t: float) -> float:
        """The first moment from `t` on when the actor can be reached: `t`, or the end of its spell.

        Spells may overlap or follow each other, so the end of one may fall inside the next.
        """
        moved = bool(self._unreachable)
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
