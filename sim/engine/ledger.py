"""Beliefs from evidence: a log-odds ledger holding one entry per independent basis.

An actor's belief over the key question's hypotheses is

    P(h) = softmax( log prior(h) + w · Σ_bases log( r·L(h) + (1 − r)·q ) )

where each basis is an observation of an evidence source (root `ev:ID`) or a speaker's opinion
(root `op:SPEAKER`), `L(h)` is the probability of what was reported under `h`, `q` its mean over
the hypotheses, `r` the reliability of the instrument times the receiver's trust in every actor
that passed it on, and `w` the actor's weight of evidence (1 − conservatism). A report through an
unreliable chain is a randomiser (Bovens & Hartmann): with probability r it reflects the
observation, otherwise it says the same thing anyway, so r = 0 passes nothing.

A basis offered again (relayed, repeated, shared on a call) replaces the held entry only if it
ranks higher (a speaker's newer statement, or a more reliable chain to the same root); it never
adds. So a relay moves a belief once however often it arrives, the result does not depend on
the order of arrival, and old evidence does not fade. No SimPy here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

_exp = math.exp

#: Smallest probability a likelihood or prior may take: keeps every log finite.
_FLOOR = 1e-12


@dataclass(frozen=True, slots=True)
class Basis:
    """What a claim rests on: one observation of an evidence source, or one speaker's opinion."""

    root: str
    """The independent origin: `ev:SOURCE` for evidence, `op:SPEAKER` for an opinion."""
    likelihood: tuple[float, ...]
    """P(what was reported | h), one per hypothesis in the question's order."""
    hypothesis: str | None = None
    """The hypothesis it points to (an opinion's claim; the outcome's likeliest cause)."""
    confidence: float = 0.0
    """An opinion's stated confidence; for evidence, the normalised likelihood of `hypothesis`."""
    reliability: float = 1.0
    """Of the instrument (an evidence source's); 1 for an opinion, whose speaker is in `chain`."""
    chain: tuple[str, ...] = ()
    """Actors it passed through: an opinion's speaker first, then every relay."""
    version: float = 0.0
    """When an opinion was stated: a speaker's newer statement replaces the older one."""
    shareable: bool = True
    """Whether holders may pass it on (calls, meetings, messages that share an assessment)."""
    evidence: str | None = None
    """The evidence source's id, for evidence."""
    outcome: str | None = None
    """The outcome observed, for evidence."""
    question: int = 0
    """Which question it bears on: 0 the key question, then the scenario's `questions` in order."""

    @property
    def is_opinion(self) -> bool:
        """Whether this is a speaker's judgement rather than an observation."""
        return self.evidence is None

    def relayed_by(self, actor: str) -> Basis:
        """The same basis, passed on by `actor`: the chain grows, the root stays.

        Built field by field rather than with `dataclasses.replace`: relays are on the hot path.
        """
        return Basis(self.root, self.likelihood, self.hypothesis, self.confidence, self.reliability,
                     (*self.chain, actor), self.version, self.shareable, self.evidence, self.outcome,
                     self.question)


def opinion_likelihood(hypotheses: Sequence[str], hypothesis: str, confidence: float) -> tuple[float, ...]:
    """An informed speaker's claim of `hypothesis` at `confidence`, as a likelihood.

    L(h*) = c and L(h) = (1 − c)/(n − 1) for the n − 1 others: a claim at 1/n says nothing.
    """
    rest = (1.0 - confidence) / (len(hypotheses) - 1)
    return tuple(confidence if h == hypothesis else rest for h in hypotheses)


def contribution(likelihood: Sequence[float], reliability: float, weight: float) -> list[float]:
    """A basis's log-likelihood per hypothesis, tempered by the reliability of its chain.

    `weight · log(r·L(h) + (1 − r)·q)`, `q` the mean of `L`: r = 1 passes the full likelihood
    ratio, r = 0 nothing, and in between a weak chain cannot deliver a strong ratio.
    """
    r = 0.0 if reliability < 0.0 else 1.0 if reliability > 1.0 else reliability
    q = (1.0 - r) * sum(likelihood) / len(likelihood)
    log = math.log
    return [weight * log(x if x > _FLOOR else _FLOOR) for x in [r * p + q for p in likelihood]]


def softmax(logits: Sequence[float]) -> list[float]:
    """Probabilities from log weights."""
    top = max(logits)
    weights = [math.exp(x - top) for x in logits]
    total = sum(weights)
    return [w / total for w in weights]


Reliability = Callable[[Basis], float]


class Ledger:
    """One actor's bases, and the belief they give with its prior.

    Each entry's contribution is kept with the running total, so taking a basis, reading the
    belief, or leaving one root out (to judge a source) costs one pass over the hypotheses.
    """

    def __init__(self, hypotheses: Sequence[str], prior: Sequence[float], weight: float = 1.0) -> None:
        """Start from a prior over `hypotheses`; `weight` (1 − conservatism) scales every basis."""
        self.hypotheses = tuple(hypotheses)
        self._position = {h: i for i, h in enumerate(self.hypotheses)}
        self.log_prior = [math.log(max(p, _FLOOR)) for p in prior]
        self.weight = weight
        self.entries: dict[str, Basis] = {}
        self._reliability: dict[str, float] = {}
        self._contribution: dict[str, list[float]] = {}
        self._totals = list(self.log_prior)

    def offer(self, basis: Basis, reliability: Reliability) -> bool:
        """Take a basis if its root is new or it ranks above the held one; say whether it did.

        The rank is (version, reliability of the chain, likelihood): a total order, so the entry
        kept for a root is the same whatever order the offers came in.
        """
        r = reliability(basis)
        if not self.outranks(basis, r):
            return False
        self._set(basis.root, basis, r)
        return True

    def outranks(self, basis: Basis, r: float) -> bool:
        """Whether `basis`, through a chain of reliability `r`, would replace what is held."""
        held = self.entries.get(basis.root)
        if held is None:
            return True
        # compared field by field, most often settled by the first: offers are the hot path
        if held.version != basis.version:
            return held.version < basis.version
        held_r = self._reliability[basis.root]
        if held_r != r:
            return held_r < r
        return held.likelihood < basis.likelihood

    def _set(self, root: str, basis: Basis, r: float) -> None:
        old = self._contribution.get(root)
        new = contribution(basis.likelihood, r, self.weight)
        totals = self._totals
        if old is None:
            for i, c in enumerate(new):
                totals[i] += c
        else:
            for i, c in enumerate(new):
                totals[i] += c - old[i]
        self.entries[root] = basis
        self._reliability[root] = r
        self._contribution[root] = new

    def refresh(self, reliability: Reliability, sources: Collection[str]) -> None:
        """Weigh again the entries that passed through `sources`, whose trust just moved."""
        for root, basis in self.entries.items():
            if not sources.isdisjoint(basis.chain):
                self._set(root, basis, reliability(basis))

    def probability_without(self, root: str, hypothesis: str) -> float:
        """P(hypothesis) by every basis but `root`: how the others judge that root's claim."""
        own = self._contribution[root]
        totals = self._totals
        i = self._position[hypothesis]
        pivot = totals[i] - own[i]
        total = 0.0
        for t, c in zip(totals, own, strict=True):
            x = t - c - pivot
            total += _exp(x if x < 700.0 else 700.0)
        return 1.0 / total

    def belief(self, *, without: str | None = None) -> dict[str, float]:
        """The belief now; `without` leaves one root out (to judge that source by the others)."""
        totals = self._totals
        if without is not None:
            totals = [t - c for t, c in zip(totals, self._contribution[without], strict=True)]
        return dict(zip(self.hypotheses, softmax(totals), strict=True))


__all__ = ["Basis", "Ledger", "contribution", "opinion_likelihood", "softmax"]
