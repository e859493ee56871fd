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

from sim.engine import conversations, policy, trust
from sim.engine.actors import ActorState
from sim.engine.happenings import Happenings
from sim.engine.hearing import Hearing
from sim.engine.injectindex import TriggeredInjects
from sim.engine.keyed import Key, uniform
from sim.engine.params import Values, truth_of
from sim.engine.provenance import Said, observation, pick_outcome
from sim.engine.recording import FULL, Recording
from sim.engine.records import Record
from sim.engine.records import record as make_record
from sim.engine.ringing import Switchboard
from sim.engine.runaway import BurstGuard
from sim.scenario.channels import BroadcastChannel, CallChannel, MessageChannel
from sim.scenario.distributions import Distribution
from sim.scenario.events import Action, Inject, Rule
from sim.scenario.evidence import EvidenceSource
from sim.scenario.models import Scenario

Process = Generator[simpy.Event, Any, Any]

#: Conditions the world answers (the log, others' contacts, the actor's clock), not `policy`.
_WORLD_CONDITIONS = frozenset({"happened", "in_contact", "on_duty", "local_time"})


#: Samplers of the last few (scenario, parameter values) seen: replications of a point share them.
_SAMPLERS: dict[tuple[int, tuple[tuple[str, float], ...]], tuple[Scenario, dict[int, Any]]] = {}


def samplers_for(scenario: Scenario, params: dict[str, float]) -> dict[int, Any]:
    """The sampler cache of runs of `scenario` at these parameter values (kept for a few points).

    A sampler is a pure function of its distribution and the values, so runs may share it; the
    entry holds the scenario itself, so its id (and its distributions' ids) cannot be reused.
    """
    try:
        key = (id(scenario), tuple(sorted(params.items())))
        hash(key)
    except TypeError:  # a value that is not a number: nothing to share safely
        return {}
    held = _SAMPLERS.get(key)
    if held is None:
        if len(_SAMPLERS) >= 8:
            del _SAMPLERS[next(iter(_SAMPLERS))]
        held = _SAMPLERS[key] = (scenario, {})
    return held[1]


class World(Hearing):
    """One run of a scenario: a SimPy environment, the actors' states and the event log."""

    def __init__(self, scenario: Scenario, seed: int | str, params: dict[str, float],
                 *, seats: Iterable[str] = (), recording: Recording = FULL) -> None:
        """Build the world and schedule the injects and timed rules.

        Args:
            scenario: the validated scenario.
            seed: decides every random draw, each keyed to the logical event that uses it.
            params: every parameter's value for this run (see `resolve_params`).
            seats: actors played by people; their rules are not run.
            recording: the record kinds to leave out (a batch run's); default: none.
        """
        self.scenario = scenario
        self.env = simpy.Environment()
        self.seed = seed
        self.value = Values(params)
        self.params = params
        self.log: list[Record] = []
        #: Record kinds this run neither builds nor logs (`Recording`); empty in a full run.
        self.dropped = recording.dropped
        #: Minute of the last record emitted, logged or not: where a batch run's log ends.
        self.last_t = 0.0
        #: Each distribution's sampler, by id: shared by every run at the same parameter values.
        self._samplers: dict[int, Any] = samplers_for(scenario, params)
        #: Each channel's up and down windows as minutes: (up or None, down).
        self._windows: dict[str, tuple[list[tuple[float, float]] | None, list[tuple[float, float]]]] = {}
        self.listeners: list[Callable[[Record], None]] = []
        self.seats = set(seats)
        #: Calls that ring for a person: the session puts its seats here while they are played.
        self.switchboard = Switchboard()
        self.truth = truth_of(scenario, params)
        questions = (scenario.question, *scenario.questions)
        #: Each question's hypothesis ids, the key question first.
        self.question_hypotheses = [[h.id for h in q.hypotheses] for q in questions]
        #: Each question's truth in this run.
        self.truths = [truth_of(scenario, params, q) for q in questions]
        #: The question each hypothesis answers (ids are unique across questions).
        self.question_of = {h: i for i, hs in enumerate(self.question_hypotheses) for h in hs}
        self.index = {lv.id: i for i, lv in enumerate(scenario.ladder)}
        self.actors = {a.id: ActorState(a, scenario, self.value) for a in scenario.actors}
        self.channels = {c.id: c for c in scenario.channels}
        # a line is busy while its one call lasts (both ends are engaged, so it never holds two)
        self.lines = {c.id: simpy.Resource(self.env, capacity=1)
                      for c in scenario.channels if isinstance(c, CallChannel)}
        self.injects = {i.id: i for i in scenario.injects}
        self.fired_injects: set[str] = set()
        self.used_rules: set[str] = set()  # fired and not yet failed: armed no more (unless repeat)
        self.acted_rules: set[str] = set()
        self._firings: dict[str, int] = defaultdict(int)
        self._watched: set[str] = set()
        self._traced_roots: dict[tuple[str, str, str], bool] = {}
        self._changes: dict[str, int] = defaultdict(int)
        self._watchers: dict[str, list[Any]] = defaultdict(list)
        for watch in scenario.observation:
            for watched in watch.of:
                self._watchers[watched].append(watch)
        self._blames = {h.id: h.blames for q in questions for h in q.hypotheses}
        self._public_channels = {c.id for c in scenario.channels
                                 if isinstance(c, BroadcastChannel) and c.public}
        self._happenings = Happenings(self.log, self._public_channels)
        self.burst = BurstGuard(len(scenario.rules))
        self._rules: dict[tuple[str, str], list[Rule]] = defaultdict(list)
        for rule in scenario.rules:
            if rule.actor not in self.seats:
                self._rules[(rule.actor, rule.when.kind)].append(rule)
        self._triggered_injects = TriggeredInjects(scenario.injects)
        self._audiences = {c.id: self._audience(c) for c in scenario.channels
                           if isinstance(c, BroadcastChannel)}
        for inj in scenario.injects:
            timed = inj.at is not None or (inj.when is not None and inj.when.kind in ("start", "at"))
            if timed and not inj.optional:  # `when: {at: ...}` and `when: {start: true}` are timed too
                self.env.process(self._timed_inject(inj))
        for source in scenario.evidence:
            self.env.process(self._evidence(source))
        for rule in scenario.rules:
            if rule.actor in self.seats:
                continue
            if rule.when.start and rule.every is not None:
                self._watch(rule, None)
            elif rule.when.start:
                self.env.process(self._at(0.0, rule))
            elif rule.when.at is not None:
                self.env.process(self._at(self.value(rule.when.at), rule))

    # -- the log ---------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Minutes since the scenario's start."""
        return float(self.env.now)

    def emit(self, kind: str, actor: str | None = None, counterpart: str | None = None,
             channel: str | None = None, **data: Any) -> Record | None:
        """Append a record to the log and tell the listeners; a dropped kind only marks the time."""
        self.last_t = t = float(self.env.now)
        if kind in self.dropped:
            return None
        record = make_record(t, kind, actor, counterpart, channel, data)
        self.log.append(record)
        for listen in self.listeners:
            listen(record)
        return record

    def change(self, params: dict[str, float], seed: int | str | None = None) -> None:
        """Change parameters (and optionally the seed) from now on: a what-if fork.

        What already happened stays; draws from now on use the new values. Actors keep the
        unreachable spells they were built with.
        """
        self.params.update(params)
        self._samplers = {}  # they hold the old values (and may be shared with other runs)
        self._windows.clear()
        if seed is not None:
            self.seed = seed

    def draw(self, dist: Distribution, key: Key) -> float:
        """One duration from a distribution, keyed to the event that needs it."""
        sampler = self._samplers.get(id(dist))
        if sampler is None:  # the scenario keeps every distribution alive, so ids stay unique
            sampler = self._samplers[id(dist)] = dist.sampler(self.value)
        value = sampler(uniform(self.seed, key))
        return value if value > 0.0 else 0.0

    def chance(self, p: Any, key: Key) -> bool:
        """A yes/no draw with probability `p`, keyed to the event that needs it.

        A certainty (0 or 1, as most rules and injects have) needs no draw: keyed draws are
        pure, so leaving one out changes no other.
        """
        p = self.value(p)
        if p >= 1.0 or p <= 0.0:
            return p >= 1.0
        return uniform(self.seed, key) < p

    def run(self, until: float | None = None) -> None:
        """Run to `until` (default: the scenario's end); events at exactly `until` wait."""
        self.env.run(until=self.scenario.duration if until is None else until)

    # -- injects -----------------------------------------------------------------------------

    def _timed_inject(self, inj: Inject, cause: Said | None = None) -> Process:
        key = ("inject", inj.id)
        if inj.at is not None:
            at = self.draw(inj.at, (*key, "at"))
        elif inj.when is not None and inj.when.at is not None:
            at = max(0.0, self.value(inj.when.at))
        else:  # set off by a trigger just now, or at the start
            at = 0.0
        happens = self.chance(inj.probability, (*key, "happens"))
        yield self.env.timeout(at)
        if happens:
            self.fire_inject(inj, cause=cause)

    def fire_inject(self, inj: Inject, *, by: str | None = None, cause: Said | None = None) -> None:
        """Deliver an inject now: to its recipients at once, and through its broadcast.

        Its claim is the opinion of its origin (or of the inject itself), unless it cites
        `inherit`: then it relays what set it off, like a ministers' statement echoing a wire.
        """
        self.fired_injects.add(inj.id)
        speaker = inj.origin or f"inject:{inj.id}"
        said = self.said_by(speaker, inj.claim, cause) if inj.claim else None
        data: dict[str, Any] = {"inject": inj.id, "title": inj.title}
        if said is not None:
            data.update(self.claim_data(said))
        if by:
            data["by"] = by
        self.emit("inject", inj.origin, None, inj.via, **data)
        if inj.pause:
            self.emit("pause", None, None, None, reason=f"inject {inj.id}")
        for actor in inj.to:
            self.receive(actor, said, inj.origin, None, inject=inj)
        if inj.via:
            channel = self.channels[inj.via]
            for actor in self._audiences[inj.via]:
                self._broadcast_to(actor, channel, said, inj.origin, inj, ("inject", inj.id, actor))

    # -- evidence ----------------------------------------------------------------------------

    def _evidence(self, source: EvidenceSource) -> Process:
        """An evidence source: its result comes in at its time, drawn from the truth's column."""
        key = ("evidence", source.id)
        at = self.draw(source.at, (*key, "at"))
        happens = self.chance(source.probability, (*key, "happens"))
        yield self.env.timeout(at)
        if not happens:
            return
        first = next(h for column in source.outcomes.values() for h in column)
        question = self.question_of[first]
        outcome = pick_outcome(source.outcomes, self.truths[question],
                               uniform(self.seed, (*key, "outcome")))
        reliability = source.reliability
        r = trust.mean(trust.beta_prior(reliability)) if reliability in trust.ADMIRALTY \
            else self.value(reliability)  # a letter, or a number or `$parameter`
        basis = observation(self.question_hypotheses[question], source.id, outcome, source.outcomes, r,
                            shareable=source.shareable, question=question)
        said = Said(basis.hypothesis, basis.confidence, (basis,), None)  # first-hand: nothing to trace
        self.emit("evidence", source.origin, None, None, evidence=source.id, title=source.title,
                  outcome=outcome, **self.claim_data(said))
        if source.pause:
            self.emit("pause", None, None, None, reason=f"evidence {source.id}")
        for actor in source.to:
            self.receive(actor, said, source.origin, None)

    def _audience(self, channel: BroadcastChannel) -> list[str]:
        if channel.audience == "all":
            return [a.id for a in self.scenario.actors]
        return list(channel.audience)

    # -- random numbers ---------------------------------------------------------------------

    def uniform(self, key: Key) -> float:
        """A keyed uniform number in (0, 1), for choices that are not a duration or a yes/no."""
        return uniform(self.seed, key)

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
        self._changes[actor] += 1
        for watch in self._watchers.get(actor, ()):
            self._observe(watch, actor, level, self._changes[actor])

    def _observe(self, watch: Any, actor: str, level: int, change: int) -> None:
        """Schedule `watch.observer`'s seeing the new posture: late, and maybe a rung off."""
        key = ("observe", watch.observer, actor, change)
        delay = self.draw(watch.delay, (*key, "delay"))
        seen = level
        if self.chance(watch.error, (*key, "error")) and len(self.scenario.ladder) > 1:
            top = len(self.scenario.ladder) - 1
            up = uniform(self.seed, (*key, "up")) < 0.5
            seen = level + 1 if (up and level < top) or level == 0 else level - 1

        def observed(_event: simpy.Event) -> None:
            state = self.actors[watch.observer]
            old = state.perceived.get(actor, 0)
            state.perceived[actor] = seen
            self.emit("posture_observed", watch.observer, actor, None,
                      level=self.scenario.ladder[seen].id, rung=seen)
            self.trigger(watch.observer, "observed_posture", of=actor, old=old, new=seen,
                         index=self.index)

        self.env.timeout(delay).callbacks.append(observed)

    def respond_delay(self, actor: str, kind: str, key: Key, at: float | None = None) -> float:
        """How long `actor` takes to respond to a `kind` of contact now, off-duty time included.

        Messages and broadcasts that reach an unreachable actor also wait, unread, until it can
        be reached again; calls do not get here then (they fail at once).
        """
        state = self.actors[actor]
        t = self.now if at is None else at
        # what is written waits for an unreachable actor to be reachable again (calls fail instead)
        held = state.reachable_from(t) - t if kind in ("message", "broadcast") else 0.0
        dist = state.actor.response.get(kind)
        delay = self.draw(dist, (*key, "respond", actor)) if dist else 0.0
        if state.off_duty(t + held):
            delay += self.draw(state.actor.off_duty_delay, (*key, "off_duty", actor))
        return held + delay

    # -- rules ---------------------------------------------------------------------------

    def trigger(self, actor: str, kind: str, cause: Said | None = None, **info: Any) -> None:
        """Tell the actor's rules (and triggered injects) that `kind` happened to it.

        `cause` is the claim that set it off, for rules and injects that relay it.
        """
        for rule in self._rules.get((actor, kind), ()):
            if (rule.id in self.used_rules and not rule.repeat) or not policy.trigger_matches(
                    rule.when, kind, info):
                continue
            if rule.every is not None:
                self._watch(rule, cause)
            elif self.conditions_hold(rule):
                self._fire(rule, cause)
        for inj in self._triggered_injects.candidates(kind, actor, info.get("origin")):
            if inj.id in self.fired_injects:  # fired another way (a player, its own time)
                self._triggered_injects.drop(inj)
            elif policy.trigger_matches(inj.when, kind, info):
                self.fired_injects.add(inj.id)
                self._triggered_injects.drop(inj)
                self.env.process(self._timed_inject(inj, cause))

    def listens(self, actor: str, kind: str, origin: str | None = None) -> bool:
        """Whether a rule or a waiting inject may answer `kind` happening to `actor` (from `origin`).

        Hot callers ask first, so that nothing is built for a trigger nobody hears.
        """
        return (actor, kind) in self._rules or self._triggered_injects.waits(kind, actor, origin)

    def conditions_hold(self, rule: Rule) -> bool:
        """Whether every condition of a rule holds for its actor now."""
        return self.holds(rule.actor, rule.if_)

    def holds(self, actor: str, conditions: Iterable[Any]) -> bool:
        """Whether every condition holds for `actor` now."""
        state = self.actors[actor]
        return all(self._world_holds(c, state) if c.kind in _WORLD_CONDITIONS else
                   policy.condition_holds(c, now=self.now, belief=state.all_beliefs(), level=state.level,
                                          index=self.index, contacts=state.contacts,
                                          value=self.value, perceived=state.perceived)
                   for c in conditions)

    def _world_holds(self, cond: Any, state: ActorState) -> bool:
        """A condition on the state of the world or the actor's clock, not on its own mind."""
        if cond.happened is not None:
            return self._happenings.happened(cond.happened)
        if cond.in_contact is not None:
            a, b = cond.in_contact
            return b in self.actors[a].contacts
        if cond.on_duty is not None:
            return state.off_duty(self.now) != cond.on_duty
        minute = state.clock.minute_of_day(self.now)
        after, before = cond.local_time.minutes()
        return after <= minute < before if after <= before else (minute >= after or minute < before)

    def _at(self, at: float, rule: Rule) -> Process:
        yield self.env.timeout(max(0.0, at))
        if rule.every is not None:
            self._watch(rule, None)
        elif self.conditions_hold(rule):  # a timed rule fires at its own moment
            self._fire(rule, None)

    def _fire(self, rule: Rule, cause: Said | None) -> None:
        """The rule's conditions hold: draw whether it acts; a no leaves it armed."""
        self._firings[rule.id] += 1
        self.burst.fired(self.env.now, rule.id)  # raises RunawayError on a zero-delay loop
        key = ("rule", rule.id, self._firings[rule.id])
        if self.chance(rule.probability, (*key, "acts")):
            self.used_rules.add(rule.id)
            self.env.process(self._act_later(rule, key, cause))

    def _watch(self, rule: Rule, cause: Said | None) -> None:
        """Start re-considering a rule at its interval, once."""
        if rule.id not in self._watched:
            self._watched.add(rule.id)
            self.env.process(self._reconsider(rule, cause))

    def _reconsider(self, rule: Rule, cause: Said | None) -> Process:
        every = max(self.value(rule.every), 1e-3)
        while rule.repeat or rule.id not in self.acted_rules:
            if rule.id not in self.used_rules and self.conditions_hold(rule):
                self._fire(rule, cause)
            yield self.env.timeout(every)

    def _act_later(self, rule: Rule, key: Key, cause: Said | None) -> Process:
        yield self.env.timeout(self.draw(rule.delay, (*key, "delay")))
        state = self.actors[rule.actor]
        if state.off_duty(self.now):
            if rule.off_duty == "wait":
                yield self.env.timeout(state.next_on_duty(self.now) - self.now)
            else:
                yield self.env.timeout(self.draw(state.actor.off_duty_delay, (*key, "off_duty")))
        if self.conditions_hold(rule):
            self.acted_rules.add(rule.id)
            if not rule.repeat:
                self.used_rules.add(rule.id)
            self.perform(rule.actor, rule.do, why=f"rule {rule.id}", key=key, cause=cause,
                         rule=rule.id)
        else:
            self.used_rules.discard(rule.id)  # not used up: the next trigger may fire it

    # -- actions ---------------------------------------------------------------------------

    def perform(self, actor: str, action: Action, *, why: str, key: Key,
                cause: Said | None = None, rule: str | None = None) -> None:
        """Carry out an action of `actor` now (a rule's or a player's).

        Args:
            actor: who acts.
            action: what it does.
            why: for the log (`rule ID`, `player`).
            key: names this action for its random draws (`("rule", id, n)`, `("player", n)`).
            cause: the claim that set the rule off, for claims that relay it.
            rule: the rule acting, if any: receivers' triggers may filter on it.
        """
        if action.call is not None:
            channel = self.channels[action.call.channel]
            retry = action.call.retry if action.call.retry is not None else actor not in self.seats
            self.env.process(conversations.call(self, actor, action.call.to, channel, key,
                                                said=action.call.say or (), retry=retry))
        elif action.arrange is not None:
            a = action.arrange
            self.env.process(conversations.arrange(
                self, actor, a.to, self.channels[a.channel], self.channels[a.via],
                self.value(a.within), self.value(a.prep), key))
        elif action.message is not None:
            m = action.message
            said = self._labelled(self.says_of(actor, m, cause), m.tag, rule)
            channel = self.channels[m.channel]
            for to in m.to:
                self.env.process(self._message(actor, to, channel, said, m.text, (*key, "to", to)))
        elif action.statement is not None:
            s = action.statement
            said = self._labelled(self.says_of(actor, s, cause), s.tag, rule)
            channel = self.channels[s.channel]
            data = {} if said is None else self.claim_data(said)
            if not self.channel_up(channel):
                self.emit("statement_failed", actor, None, channel.id, reason="line down", **data)
                return
            self.emit("statement", actor, None, channel.id, public=channel.public, text=s.text,
                      **data)
            for to in self._audiences[channel.id]:
                if to != actor:
                    self._broadcast_to(to, channel, said, actor, None, (*key, "to", to))
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
            self.env.process(conversations.meeting(self, actor, self.channels[action.convene], key))

    @staticmethod
    def _labelled(said: Said | None, tag: str | None, rule: str | None) -> Said | None:
        """The claim with its action's tag and rule, for receivers' triggers to filter on."""
        if said is None or (tag is None and rule is None):
            return said
        return Said(said.hypothesis, said.confidence, said.bases, said.speaker, tag, rule)

    def _broadcast_to(self, actor: str, channel: BroadcastChannel, said: Said | None,
                      origin: str | None, inject: Inject | None, key: Key) -> None:
        """Schedule one follower's taking in a broadcast: channel latency, then its own delay.

        Broadcasts fan out to every follower, so this is the engine's hottest path: both
        delays are drawn now and the follower is reached by one timeout's callback rather
        than a process of its own (windows and duty hours are known ahead, so nothing is lost).
        """
        latency = self.draw(channel.latency, (*key, "latency"))
        arrives = self.now + latency
        if not self.channel_up(channel, arrives):
            return
        delay = latency + self.respond_delay(actor, "broadcast", key, at=arrives)

        def reached(_event: simpy.Event) -> None:
            self.receive(actor, said, origin, channel.id, inject=inject)

        self.env.timeout(delay).callbacks.append(reached)

    def _message(self, sender: str, to: str, channel: MessageChannel, said: Said | None,
                 text: str, key: Key) -> Process:
        shown = {} if said is None or said.hypothesis is None else {
            "hypothesis": said.hypothesis, "confidence": said.confidence}
        self.emit("message_sent", sender, to, channel.id, text=text, **shown)
        lost = self.chance(channel.loss, (*key, "loss")) or not self.channel_up(channel)
        yield self.env.timeout(self.draw(channel.latency, (*key, "latency")))
        if lost or not self.channel_up(channel):
            self.emit("message_lost", sender, to, channel.id)
            return
        self.emit("message_delivered", sender, to, channel.id)
        yield self.env.timeout(self.respond_delay(to, "message", key))
        self.receive(to, said, sender, channel.id)

    def channel_up(self, channel: Any, at: float | None = None) -> bool:
        """Whether the channel works at minute `at` (default: now), by its up and down windows."""
        windows = self._windows.get(channel.id)
        if windows is None:  # read once a run (until a fork changes the values): asked per contact
            spans = [[(self.value(w.start), self.value(w.end)) for w in ws]
                     for ws in (channel.up or (), channel.down)]
            windows = self._windows[channel.id] = (None if channel.up is None else spans[0], spans[1])
        up, down = windows
        if up is None and not down:
            return True
        t = self.now if at is None else at
        if up is not None and not any(start <= t < end for start, end in up):
            return False
        return not any(start <= t < end for start, end in down)

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
