"""How an actor hears: claims and their bases reach its ledger, trust learns, and what it says.

`Hearing` is a part of `World` (its base class), kept apart because it is one concept: what
reaches an actor, how its belief and trust move, and what its own claims carry. It uses the
world's log, triggers, random numbers and actors; it runs no SimPy process of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.engine import policy, trust
from sim.engine.keyed import uniform
from sim.engine.provenance import Said, is_relay, opinion, relay
from sim.scenario.events import Inject

if TYPE_CHECKING:
    from sim.engine.actors import ActorState


class Hearing:
    """Receiving, believing, judging sources and saying: the belief half of a `World`."""

    actors: dict[str, ActorState]
    truth: str
    truths: list[str]
    question_hypotheses: list[list[str]]
    question_of: dict[str, int]
    scenario: Any
    seed: int | str
    channels: dict[str, Any]
    dropped: frozenset[str]
    last_t: float
    _blames: dict[str, str | None]
    _traced_roots: dict[tuple[str, str, str], bool]

    value: Any
    # and, from `World`: now, emit, trigger, listens

    # -- receiving and believing -------------------------------------------------------------

    def trust(self, actor: str, source: str | None) -> float:
        """How much `actor` trusts `source` now."""
        state = self.actors[actor]
        return state.trust_in(source) if source else trust.mean(state.trust_default)

    def claim_data(self, said: Said) -> dict[str, Any]:
        """What a record shows of a claim: its hypothesis, whether it is true, its bases' chains."""
        if said.hypothesis is None:
            return said.shown
        return {**said.shown, "correct": said.hypothesis in self.truths}

    def receive(self, actor: str, said: Said | None, origin: str | None, channel: str | None,
                *, inject: Inject | None = None, shared: bool = False) -> None:
        """An actor takes in an inject or a claim: its ledger takes the bases, its rules may fire.

        `shared` marks what was passed on a call or in a meeting: it moves beliefs and sets off
        evidence triggers, but not `received` rules, which answer claims that arrive as items.
        """
        if "received" in self.dropped:  # a batch run that reads none: build no payload
            self.last_t = self.now
        else:
            data: dict[str, Any] = {}
            if inject is not None:
                data["inject"] = inject.id
            if said is not None:
                data.update(self.claim_data(said))
            if shared:
                data["shared"] = True
            self.emit("received", actor, origin, channel, **data)
        if inject is not None:
            self.trigger(actor, "inject", inject=inject.id)
        if said is None:
            return
        state = self.actors[actor]
        changed: dict[int, None] = {}
        bases = self._traced(actor, said)
        ledgers, reliability, mine = state.ledgers, state.reliability, (actor,)
        for basis in bases:
            ledger = ledgers[basis.question]
            if basis.evidence is None:  # an opinion
                if basis.chain[:1] == mine:
                    continue  # its own opinion, come back: the actor knows what it rests on
                held = ledger.entries.get(basis.root)
                if ledger.offer(basis, reliability):
                    changed[basis.question] = None
                    if held is None or held.version != basis.version:
                        state.unjudged[basis.question, basis.root] = None  # to judge when settled
            elif ledger.offer(basis, reliability):
                changed[basis.question] = None
        for question in changed:
            self.update_belief(actor, origin, question)
        if self.listens(actor, "evidence"):  # rules and injects waiting for evidence to arrive
            for basis in bases:
                if basis.evidence is not None:
                    self.trigger(actor, "evidence", evidence=basis.evidence, cause=said)
        # a holding line, too, may set off a rule ("when Warsaw says anything")
        if not shared and self.listens(actor, "received", origin):
            self.trigger(actor, "received", hypothesis=said.hypothesis, origin=origin,
                         confidence=said.confidence, cause=said, channel=channel,
                         inject=inject.id if inject else None, rule=said.rule, tag=said.tag)
        if not shared and said.hypothesis is not None \
                and self._blames.get(said.hypothesis) == state.actor.side \
                and self.listens(actor, "accused"):
            channel_def = self.channels.get(channel) if channel else None
            self.trigger(actor, "accused", confidence=said.confidence, cause=said,
                         public=bool(getattr(channel_def, "public", False)))

    def _traced(self, actor: str, said: Said) -> tuple[Any, ...]:
        """The bases the receiver can see; a relay it cannot trace is the speaker's opinion.

        Each trace is a keyed draw, a pure function of (receiver, speaker, root), so a draw
        whose outcome cannot matter is not made: a relay the ledger would refuse anyway (and
        that sets off no evidence rule) is left out unseen, unless it is needed to learn
        whether anything went untraced. The bases returned are then offered exactly as if every
        draw had been made.
        """
        p = self.value(self.actors[actor].actor.sees_provenance)
        speaker = said.speaker
        if p >= 1 or speaker is None:
            return said.bases
        state = self.actors[actor]
        evidence_heard: bool | None = None
        seen: list[Any] = []
        refused: list[Any] = []
        untraced = False
        for b in said.bases:
            if not is_relay(b, speaker):  # the speaker's own opinion: nothing to trace
                seen.append(b)
                continue
            if b.evidence is not None and evidence_heard is None:
                evidence_heard = self.listens(actor, "evidence")
            if (b.evidence is not None and evidence_heard) or self._takes(state, b):
                if self._traces(actor, speaker, b.root, p):
                    seen.append(b)
                else:
                    untraced = True
            else:
                refused.append(b)
        if not untraced:
            untraced = not all(self._traces(actor, speaker, b.root, p) for b in refused)
        if not untraced or said.hypothesis is None:
            return tuple(seen)
        return (*seen, self._opinion(speaker, said.hypothesis, said.confidence))

    @staticmethod
    def _takes(state: ActorState, basis: Any) -> bool:
        """Whether the actor's ledger would take `basis` now (its own opinion it never takes)."""
        if basis.evidence is None and basis.chain[:1] == (state.id,):
            return False
        return state.ledgers[basis.question].outranks(basis, state.reliability(basis))

    def _opinion(self, speaker: str, hypothesis: str, confidence: float) -> Any:
        """A speaker's opinion on the question its hypothesis answers."""
        question = self.question_of[hypothesis]
        return opinion(self.question_hypotheses[question], speaker, hypothesis, confidence, self.now,
                       question)

    def _traces(self, actor: str, speaker: str, root: str, p: float) -> bool:
        """Whether `actor` sees that `speaker` passes on `root`: drawn once per such triple."""
        key = (actor, speaker, root)
        seen = self._traced_roots.get(key)
        if seen is None:
            seen = self._traced_roots[key] = uniform(self.seed, ("trace", *key)) < p
        return seen

    def update_belief(self, actor: str, cause: str | None, question: int = 0) -> None:
        """Recompute an actor's belief on a question, then judge the claims it can now settle.

        A trust that moves re-weighs what passed through that source on every question.
        """
        state = self.actors[actor]
        self.set_belief(actor, state.ledgers[question].belief(), cause, question)
        moved = self._judge(actor)
        if moved:
            for q, ledger in enumerate(state.ledgers):
                ledger.refresh(state.reliability, moved)
                self.set_belief(actor, ledger.belief(), "trust", q)

    def _judge(self, actor: str) -> set[str]:
        """Move the actor's trust in every source of a claim the other bases now settle.

        Returns the sources whose trust moved.
        """
        state = self.actors[actor]
        moved: set[str] = set()
        for question, root in list(state.unjudged):
            ledger = state.ledgers[question]
            basis = ledger.entries[root]
            p = ledger.probability_without(root, basis.hypothesis)
            if not trust.resolved(p):
                continue
            del state.unjudged[question, root]
            links = [link for link in basis.chain if link != actor]
            if not links:
                continue
            before = state.trust_in(links[0])
            for link in links:
                state.learn(link, basis.confidence, p)
            if "trust" in self.dropped:
                self.last_t = self.now
            else:  # one record per judged claim: its source's trust before and after, and the relays
                self.emit("trust", actor, links[0], None, trust=state.trust_in(links[0]),
                          previous=before, root=root, hypothesis=basis.hypothesis,
                          confirmed=p >= 0.5, relays=links[1:])
            moved.update(links)
        return moved

    def set_belief(self, actor: str, belief: dict[str, float], cause: str | None,
                   question: int = 0) -> None:
        """Change an actor's belief on a question, log it, and fire belief triggers it crosses.

        The key question's changes are `belief` records; a further question's are
        `question_belief` records that name it.
        """
        state = self.actors[actor]
        old = state.beliefs[question]
        for h, p in old.items():
            if abs(belief[h] - p) >= 1e-9:
                break
        else:
            return  # no hypothesis moved
        state.beliefs[question] = belief
        if question == 0:
            state.belief = belief
            self.emit("belief", actor, cause, None, belief=dict(belief))
        else:
            self.emit("question_belief", actor, cause, None, belief=dict(belief),
                      question=self.scenario.questions[question - 1].id)
        if self.listens(actor, "belief"):
            self.trigger(actor, "belief", old=old, new=belief)

    def said_by(self, speaker: str, claim: Any, cause: Said | None) -> Said:
        """What a speaker's claim carries: its opinion, a relay of its cause, or cited evidence."""
        cites = claim.cites
        bases: tuple[Any, ...] = ()
        if cites == "inherit" and cause is not None:
            bases = relay(cause.bases, speaker)
        elif isinstance(cites, list) and speaker in self.actors:
            held = self.actors[speaker].ledger.entries
            bases = relay((held[f"ev:{e}"] for e in cites if f"ev:{e}" in held), speaker)
        if not bases:
            bases = (self._opinion(speaker, claim.hypothesis, claim.confidence),)
        return Said(claim.hypothesis, claim.confidence, bases, speaker)

    def says_of(self, actor: str, says: Any, cause: Said | None = None) -> Said | None:
        """What a message or statement carries.

        An empty claim for a holding line; the given claim; or else the speaker's leading hypothesis at
        its current probability, resting on every basis it holds and may share.
        """
        if says.holding:
            return Said(None, 0.0, (), actor)  # reaches its audience, asserts nothing
        if says.claim is not None:
            return self.said_by(actor, says.claim, cause)
        return self.assessment(actor)

    def assessment(self, actor: str) -> Said:
        """An actor's whole assessment as it passes it on: its leading answer and its bases."""
        state = self.actors[actor]
        hypothesis, p = policy.leading(state.belief)
        held = [b for ledger in state.ledgers for b in ledger.entries.values()]
        return Said(hypothesis, round(p, 6), relay(held, actor), actor)


__all__ = ["Hearing"]
