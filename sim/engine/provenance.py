"""What a claim rests on: opinions, observations and relays, and what a receiver can trace.

A `Said` is one act of communication: what it asserts (for the log and the rules) and the
bases it carries (for beliefs). A speaker's claim without cited evidence is its opinion; a relay
keeps the bases it passes on and adds the relaying actor to each chain. A receiver who cannot
trace a relay (its `sees_provenance` draw fails) takes it as the relaying speaker's own
opinion instead, which is how one leak comes to look like corroboration. No SimPy here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sim.engine.ledger import Basis, opinion_likelihood


@dataclass(frozen=True)
class Said:
    """One claim as it reaches a receiver: what it asserts and what it rests on."""

    hypothesis: str | None
    """What it asserts (None: a holding line, or nothing about the key question)."""
    confidence: float
    """How strongly."""
    bases: tuple[Basis, ...]
    """The independent bases it carries."""
    speaker: str | None
    """Who said it last: the receiver's immediate source."""
    tag: str | None = None
    """The tag its speaker's action gave it, for rules that answer only some messages."""
    rule: str | None = None
    """The rule whose action said it; None for a player, an inject or evidence."""

    @cached_property
    def shown(self) -> dict[str, Any]:
        """What a record shows of it, but for whether it is true: built once however many hear it."""
        data: dict[str, Any] = {}
        if self.hypothesis is not None:
            data.update(hypothesis=self.hypothesis, confidence=self.confidence)
        if self.bases:
            data["basis"] = {b.root: list(b.chain) for b in self.bases}
        return data


def opinion(hypotheses: Sequence[str], speaker: str, hypothesis: str, confidence: float,
            now: float, question: int = 0) -> Basis:
    """A speaker's own judgement: one root per speaker and question, its newest statement counting."""
    return Basis(root=f"op:{speaker}", likelihood=opinion_likelihood(hypotheses, hypothesis, confidence),
                 hypothesis=hypothesis, confidence=confidence, chain=(speaker,), version=now,
                 question=question)


def observation(hypotheses: Sequence[str], source: str, outcome: str, column: dict[str, dict[str, float]],
                reliability: float, *, shareable: bool, question: int = 0) -> Basis:
    """An evidence source's outcome as a basis, pointing to the hypothesis it favours most."""
    likelihood = tuple(column[outcome][h] for h in hypotheses)
    best = max(range(len(hypotheses)), key=lambda i: likelihood[i])
    total = sum(likelihood)
    return Basis(root=f"ev:{source}", likelihood=likelihood, hypothesis=hypotheses[best],
                 confidence=likelihood[best] / total if total > 0 else 0.0, reliability=reliability,
                 shareable=shareable, evidence=source, outcome=outcome, question=question)


def pick_outcome(outcomes: dict[str, dict[str, float]], truth: str, u: float) -> str:
    """The outcome a uniform number `u` picks from the truth's column (inverse CDF, file order).

    A column that adds up to a little less than 1 (the loader allows 0.01) gives the rest to
    the last outcome.
    """
    names = list(outcomes)
    for name in names:
        u -= outcomes[name][truth]
        if u <= 0:
            return name
    return names[-1]


def relay(bases: Iterable[Basis], actor: str) -> tuple[Basis, ...]:
    """Bases passed on by `actor`: the shareable ones, each with `actor` added to its chain."""
    return tuple(b.relayed_by(actor) for b in bases if b.shareable)


def is_relay(basis: Basis, speaker: str) -> bool:
    """Whether the speaker passes on a basis (evidence, another's opinion) rather than its own."""
    return not (basis.is_opinion and basis.chain == (speaker,))


__all__ = ["Said", "is_relay", "observation", "opinion", "pick_outcome", "relay"]
