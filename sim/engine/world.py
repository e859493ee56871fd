"""The SimPy world: actors, channels, injects and rules playing a scenario out into an event log.

Time is minutes since the scenario's start. Everything that happens goes through `emit`, which
appends a `Record` to the log and then lets rules and listeners react, so the log is the one
source of truth and the order of reactions is the order of the log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Generator, Iterable
from typing import Any

import simpy

from sim.engine import conversations, policy
from sim.engine.actors import ActorState
from sim.engine.params import Values
from sim.engine.records import Record
from sim.engine.streams import Streams
from sim.scenario.channels import BroadcastChannel, CallChannel, MessageChannel
from sim.scenario.distributions import Distribution
from sim.scenario.events import Action, Claim, Inject, Rule
from sim.scenario.models import Scenario

Process = Generator[simpy.Event, Any, Any]


class World:
    """One run of a scenario: a SimPy environment, the actors' states and the event log."""

    def __init__(self, scenario: Scenario, seed: int | str, params: dict[str, float],
                 *, seats: Iterable[str] = ()) -> None:
        """Build the world and schedule the injects and timed rules.

        Args:
            scenario: the validated scenario.
            seed: decides every random draw, through one named stream per component.
            params: every parameter's value for this run (see `resolve_params`).
            seats: actors played by people; their rules are not run.
        """
        self.scenario = scenario
        self.env = simpy.Environment()
        self.streams = Streams(seed)
        self.value = Values(params)
        self.params = params
        self.log: list[Record] = []
        self._samplers: dict[int, Any] = {}
        self.listeners: list[Callable[[Record], None]] = []
        self.seats = set(seats)
        self.truth = scenario.question.truth
        self.index = {lv.id: i for i, lv in enumerate(scenario.ladder)}
        self.actors = {a.id: ActorState(a, scenario, self.value) for a in scenario.actors}
        self.channels = {c.id: c for c in scenario.channels}
        # a line is busy while its one call lasts (both ends are engaged, so it never holds two)
        self.lines = {c.id: simpy.Resource(self.env, capacity=1)
                      for c in scenario.channels if isinstance(c, CallChannel)}
        self.injects = {i.id: i for i in scenario.injects}
        self.fired_injects: set[str] = set()
        self.used_rules: set[str] = set()
        self._rules: dict[tuple[str, str], list[Rule]] = defaultdict(list)
        for rule in scenario.rules:
            if rule.actor not in self.seats:
                self._rules[(rule.actor, rule.when.kind)].append(rule)
        self._triggered_injects: dict[str, list[Inject]] = defaultdict(list)
        for inj in scenario.injects:
            if inj.when is not None and not inj.optional:
                self._triggered_injects[inj.when.kind].append(inj)
        self._audiences = {c.id: self._audience(c) for c in scenario.channels
                           if isinstance(c, BroadcastChannel)}
        for inj in scenario.injects:
            timed = inj.at is not None or (inj.when is not None and inj.when.kind in ("start", "at"))
            if timed and not inj.optional:  # `when: {at: ...}` and `when: {start: true}` are timed too
                self.env.process(self._timed_inject(inj))
        for rule in scenario.rules:
            if rule.actor in self.seats:
                continue
            if rule.when.start:
                self.env.process(self._at(0.0, rule))
            elif rule.when.at is not None:
                self.env.process(self._at(self.value(rule.when.at), rule))

    # -- the log ---------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Minutes since the scenario's start."""
        return float(self.env.now)

    def emit(self, kind: str, actor: str | None = None, counterpart: str | None = None,
             channel: str | None = None, **data: Any) -> Record:
        """Append a record to the log and tell the listeners."""
        record = Record(self.now, kind, actor, counterpart, channel, data)
        self.log.append(record)
        for listen in self.listeners:
            listen(record)
        return record

    def change(self, params: dict[str, float], seed: int | str | None = None) -> None:
        """Change parameters (and optionally reseed every stream) from now on: a what-if fork.

        What already happened stays; draws from now on use the new values. Actors keep the
        unreachable spells they were built with.
        """
        self.params.update(params)
        self._samplers.clear()  # they hold the old values
        if seed is not None:
            self.streams = Streams(seed)

    def draw(self, dist: Distribution, stream: str) -> float:
        """One duration from a distribution, on a component's own stream."""
        sampler = self._samplers.get(id(dist))
        if sampler is None:  # the scenario keeps every distribution alive, so ids stay unique
            sampler = self._samplers[id(dist)] = dist.sampler(self.value)
        return max(0.0, sampler(self.streams(stream)))

    def chance(self, p: Any, stream: str) -> bool:
        """A yes/no draw with probability `p`, on a component's own stream."""
        return self.streams(stream).random() < self.value(p)

    def run(self, until: float | None = None) -> None:
        """Run to `until` (default: the scenario's end); events at exactly `until` wait."""
        self.env.run(until=self.scenario.duration if until is None else until)

    # -- injects -----------------------------------------------------------------------------

    def _timed_inject(self, inj: Inject) -> Process:
        stream = f"inject:{inj.id}"
        if inj.at is not None:
            at = self.draw(inj.at, stream)
        elif inj.when is not None and inj.when.at is not None:
            at = max(0.0, self.value(inj.when.at))
        else:  # set off by a trigger just now, or at the start
            at = 0.0
        happens = self.chance(inj.probability, stream)
        yield self.env.timeout(at)
        if happens:
            self.fire_inject(inj)

    def fire_inject(self, inj: Inject, *, by: str | None = None) -> None:
        """Deliver an inject now: to its recipients at once, and through its broadcast."""
        self.fired_injects.add(inj.id)
        data: dict[str, Any] = {"inject": inj.id, "title": inj.title}
        if inj.claim:
            data.update(hypothesis=inj.claim.hypothesis, confidence=inj.claim.confidence,
                        correct=inj.claim.hypothesis == self.truth)
        if by:
            data["by"] = by
        self.emit("inject", inj.origin, None, inj.via, **data)
        if inj.pause:
            self.emit("pause", None, None, None, reason=f"inject {inj.id}")
        for actor in inj.to:
            self.receive(actor, inj.claim, inj.origin, None, inject=inj)
        if inj.via:
            channel = self.channels[inj.via]
            for actor in self._audiences[inj.via]:
                self._broadcast_to(actor, channel, inj.claim, inj.origin, inj)

    def _audience(self, channel: BroadcastChannel) -> list[str]:
        if channel.audience == "all":
            return [a.id for a in self.scenario.actors]
        return list(channel.audience)

    # -- receiving and believing -------------------------------------------------------------

    def trust(self, actor: str, source: str | None) -> float:
        """How much `actor` trusts `source`."""
        spec = self.actors[actor].actor
        return spec.trust.get(source, spec.trust_default) if source else spec.trust_default

    def receive(self, actor: str, claim: Claim | None, origin: str | None, channel: str | None,
                *, inject: Inject | None = None, confidence: float | None = None,
                shared: dict[str, float] | None = None) -> None:
        """An actor takes in an inject, a claim or another's shared assessment.

        Its belief moves and its rules may fire.
        """
        data: dict[str, Any] = {}
        if inject is not None:
            data["inject"] = inject.id
        if claim is not None:
            conf = claim.confidence if confidence is None else confidence
            data.update(hypothesis=claim.hypothesis, confidence=conf,
                        correct=claim.hypothesis == self.truth)
        if shared is not None:
            data["shared"] = True
        self.emit("received", actor, origin, channel, **data)
        if inject is not None:
            self.trigger(actor, "inject", inject=inject.id)
        if claim is not None:
            conf = data["confidence"]
            state = self.actors[actor]
            trust = self.trust(actor, origin)
            if shared is not None:
                belief = policy.pool(state.belief, shared, trust)
            else:
                belief = policy.apply_claim(state.belief, claim.hypothesis, trust * conf)
            self.set_belief(actor, belief, origin)
            self.trigger(actor, "received", hypothesis=claim.hypothesis, origin=origin,
                         confidence=conf)

    def set_belief(self, actor: str, belief: dict[str, float], cause: str | None) -> None:
        """Change an actor's belief, log it, and fire belief triggers that it crosses."""
        state = self.actors[actor]
        old = state.belief
        if all(abs(belief[h] - old[h]) < 1e-9 for h in old):
            return
        state.belief = belief
        self.emit("belief", actor, cause, None, belief=dict(belief))
        self.trigger(actor, "belief", old=old, new=belief)

    def set_level(self, actor: str, level: int, why: str) -> None:
        """Move an actor on the ladder (clamped), log it, and fire posture triggers."""
        state = self.actors[actor]
        level = min(max(level, 0), len(self.scenario.ladder) - 1)
        if level == state.level:
            return
        old, state.level = state.level, level
        self.emit("posture", actor, None, None, level=self.scenario.ladder[level].id,
                  rung=level, previous=self.scenario.ladder[old].id, why=why)
        self.trigger(actor, "posture", old=old, new=level, index=self.index)

    def claim_of(self, actor: str, says: Any) -> tuple[Claim | None, float]:
        """The claim a message or statement carries.

        The one given; none for a holding line; or else the speaker's leading hypothesis at
        its current probability.
        """
        if says.holding:
            return None, 0.0
        if says.claim is not None:
            return says.claim, says.claim.confidence
        hypothesis, p = policy.leading(self.actors[actor].belief)
        return Claim(hypothesis=hypothesis, confidence=round(p, 6)), p

    def respond_delay(self, actor: str, kind: str, at: float | None = None) -> float:
        """How long `actor` takes to respond to a `kind` of contact now, off-duty time included.

        Messages and broadcasts that reach an unreachable actor also wait, unread, until it can
        be reached again; calls do not get here then (they fail at once).

        Each kind draws on its own stream of the actor, so how often its phone rings (which the
        lines' parameters decide) does not shift how fast it reads its messages or the news.
        """
        state = self.actors[actor]
        stream = f"actor:{actor}:{kind}"
        t = self.now if at is None else at
        # what is written waits for an unreachable actor to be reachable again (calls fail instead)
        held = state.reachable_from(t) - t if kind in ("message", "broadcast") else 0.0
        dist = state.actor.response.get(kind)
        delay = self.draw(dist, stream) if dist else 0.0
        if state.off_duty(t + held):
            delay += self.draw(state.actor.off_duty_delay, stream)
        return held + delay

    # -- rules ---------------------------------------------------------------------------

    def trigger(self, actor: str, kind: str, **info: Any) -> None:
        """Tell the actor's rules (and triggered injects) that `kind` happened to it."""
        for rule in self._rules.get((actor, kind), ()):
            if (rule.repeat or rule.id not in self.used_rules) and policy.trigger_matches(
                    rule.when, kind, info) and self.conditions_hold(rule):
                self.used_rules.add(rule.id)
                self.env.process(self._act_later(rule))
        for inj in self._triggered_injects.get(kind, ()):
            if (inj.id not in self.fired_injects and (not inj.to or actor in inj.to)
                    and policy.trigger_matches(inj.when, kind, info)):
                self.fired_injects.add(inj.id)
                self.env.process(self._timed_inject(inj))

    def conditions_hold(self, rule: Rule) -> bool:
        """Whether every condition of a rule holds for its actor now."""
        state = self.actors[rule.actor]
        return all(policy.condition_holds(c, now=self.now, belief=state.belief, level=state.level,
                                          index=self.index, contacts=state.contacts,
                                          value=self.value) for c in rule.if_)

    def _at(self, at: float, rule: Rule) -> Process:
        yield self.env.timeout(max(0.0, at))
        if self.conditions_hold(rule):  # a timed rule fires once, at its own moment
            self.used_rules.add(rule.id)
            self.env.process(self._act_later(rule))

    def _act_later(self, rule: Rule) -> Process:
        stream = f"rule:{rule.id}"
        acts = self.chance(rule.probability, stream)
        delay = self.draw(rule.delay, stream)
        if not acts:
            return
        yield self.env.timeout(delay)
        state = self.actors[rule.actor]
        if state.off_duty(self.now):
            yield self.env.timeout(self.draw(state.actor.off_duty_delay, stream))
        if self.conditions_hold(rule):
            self.perform(rule.actor, rule.do, why=f"rule {rule.id}")

    # -- actions ---------------------------------------------------------------------------

    def perform(self, actor: str, action: Action, *, why: str) -> None:
        """Carry out an action of `actor` now (a rule's or a player's)."""
        if action.call is not None:
            channel = self.channels[action.call.channel]
            self.env.process(conversations.call(self, actor, action.call.to, channel))
        elif action.message is not None:
            m = action.message
            claim, conf = self.claim_of(actor, m)
            # without a claim a message shares the sender's whole assessment, not only its lead
            shared = dict(self.actors[actor].belief) if m.claim is None and not m.holding else None
            channel = self.channels[m.channel]
            for to in m.to:
                self.env.process(self._message(actor, to, channel, claim, conf, m.text, shared))
        elif action.statement is not None:
            s = action.statement
            claim, conf = self.claim_of(actor, s)
            channel = self.channels[s.channel]
            said = {} if claim is None else {"hypothesis": claim.hypothesis, "confidence": conf,
                                             "correct": claim.hypothesis == self.truth}
            if not self.channel_up(channel):
                self.emit("statement_failed", actor, None, channel.id, reason="line down", **said)
                return
            self.emit("statement", actor, None, channel.id, public=channel.public, text=s.text,
                      **said)
            for to in self._audiences[channel.id]:
                if to != actor:
                    self._broadcast_to(to, channel, claim, actor, None, conf)
        elif action.posture is not None:
            p = action.posture
            level = self.actors[actor].level
            if p.set is not None:
                level = self.index[p.set]
            elif p.raise_ is not None:
                level += int(self.value(p.raise_))
            else:
                level -= int(self.value(p.lower))
            self.set_level(actor, level, why)
        elif action.convene is not None:
            self.env.process(conversations.meeting(self, actor, self.channels[action.convene]))

    def _broadcast_to(self, actor: str, channel: BroadcastChannel, claim: Claim | None,
                      origin: str | None, inject: Inject | None,
                      confidence: float | None = None) -> None:
        """Schedule one follower's taking in a broadcast: channel latency, then its own delay.

        Broadcasts fan out to every follower, so this is the engine's hottest path: both
        delays are drawn now and the follower is reached by one timeout's callback rather
        than a process of its own (windows and duty hours are known ahead, so nothing is lost).
        """
        latency = self.draw(channel.latency, f"channel:{channel.id}")
        arrives = self.now + latency
        if not self.channel_up(channel, arrives):
            return
        delay = latency + self.respond_delay(actor, "broadcast", at=arrives)

        def reached(_event: simpy.Event) -> None:
            self.receive(actor, claim, origin, channel.id, inject=inject, confidence=confidence)

        self.env.timeout(delay).callbacks.append(reached)

    def _message(self, sender: str, to: str, channel: MessageChannel, claim: Claim | None,
                 confidence: float, text: str, shared: dict[str, float] | None) -> Process:
        stream = f"channel:{channel.id}"
        said = {} if claim is None else {"hypothesis": claim.hypothesis, "confidence": confidence}
        self.emit("message_sent", sender, to, channel.id, text=text, **said)
        lost = self.chance(channel.loss, stream) or not self.channel_up(channel)
        yield self.env.timeout(self.draw(channel.latency, stream))
        if lost or not self.channel_up(channel):
            self.emit("message_lost", sender, to, channel.id)
            return
        self.emit("message_delivered", sender, to, channel.id)
        yield self.env.timeout(self.respond_delay(to, "message"))
        self.receive(to, claim, sender, channel.id, confidence=confidence, shared=shared)

    def channel_up(self, channel: Any, at: float | None = None) -> bool:
        """Whether the channel works at minute `at` (default: now), by its up and down windows."""
        t = self.now if at is None else at
        if channel.up is not None and not any(
                self.value(w.start) <= t < self.value(w.end) for w in channel.up):
            return False
        return not any(self.value(w.start) <= t < self.value(w.end) for w in channel.down)

    def next_up(self, channel: Any) -> float | None:
        """The first moment from now at which the channel works, or None if never again."""
        candidates = [self.now] + [self.value(w.end) for w in channel.down]
        if channel.up is not None:
            candidates += [self.value(w.start) for w in channel.up]
        return next((t for t in sorted(c for c in candidates if c >= self.now)
                     if self.channel_up(channel, t)), None)

    def contact(self, a: str, b: str, channel: str) -> None:
        """Record that `a` and `b` are in contact, and tell both sides' rules."""
        self.actors[a].contacts.add(b)
        self.actors[b].contacts.add(a)
        self.trigger(a, "contact", counterpart=b, channel=channel)
        self.trigger(b, "contact", counterpart=a, channel=channel)

__all__ = ["World"]
