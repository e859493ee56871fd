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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

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

    @property
    def is_opinion(self) -> bool:
        """Whether this is a speaker's judgement rather than an observation."""
        return self.evidence is None

    def relayed_by(self, actor: str) -> Basis:
        """The same basis, passed on by `actor`: the chain grows, the root stays."""
        return replace(self, chain=(*self.chain, actor))


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
    r = min(max(reliability, 0.0), 1.0)
    q = (1.0 - r) * sum(likelihood) / len(likelihood)
    return [weight * math.log(max(r * p + q, _FLOOR)) for p in likelihood]


def softmax(logits: Sequence[float]) -> list[float]:
    """Probabilities from log weights."""
    top = max(logits)
    weights = [math.exp(x - top) for x in logits]
    total = sum(weights)
    return [w / total for w in weights]


Reliability = Callable[[Basis], float]


class Ledger:
    """One actor's bases, and the belief they give with its prior."""

    def __init__(self, hypotheses: Sequence[str], prior: Sequence[float], weight: float = 1.0) -> None:
        """Start from a prior over `hypotheses`; `weight` (1 − conservatism) scales every basis."""
        self.hypotheses = tuple(hypotheses)
        self.log_prior = [math.log(max(p, _FLOOR)) for p in prior]
        self.weight = weight
        self.entries: dict[str, Basis] = {}

    def offer(self, basis: Basis, reliability: Reliability) -> bool:
        """Take a basis if its root is new or it ranks above the held one; say whether it did.

        The rank is (version, reliability of the chain, likelihood): a total order, so the entry
        kept for a root is the same whatever order the offers came in.
        """
        held = self.entries.get(basis.root)
        if held is not None and _rank(held, reliability) >= _rank(basis, reliability):
            return False
        self.entries[basis.root] = basis
        return True

    def belief(self, reliability: Reliability, *, without: str | None = None) -> dict[str, float]:
        """The belief now; `without` leaves one root out (to judge that source by the others)."""
        totals = list(self.log_prior)
        for root, basis in self.entries.items():
            if root == without:
                continue
            for i, c in enumerate(contribution(basis.likelihood, reliability(basis), self.weight)):
                totals[i] += c
        return dict(zip(self.hypotheses, softmax(totals), strict=True))


def _rank(basis: Basis, reliability: Reliability) -> tuple[float, float, tuple[float, ...]]:
    return basis.version, reliability(basis), basis.likelihood


__all__ = ["Basis", "Ledger", "contribution", "opinion_likelihood", "softmax"]
