"""Trust that learns: each actor's Beta belief in each source's reliability, moved by track record.

A source's claim is judged once the receiver's belief without that claim's own root (leave one
out, exact in log space) passes 0.9 or drops below 0.1 for the claimed hypothesis: a source
cannot confirm itself. Every actor in the claim's chain is then updated,
α += c·p and β += c·(1 − p), c the claim's confidence and p the leave-one-out probability
(Jøsang & Ismail's Beta reputation system). No SimPy here.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Admiralty (STANAG 2511) source-reliability letters as Beta priors (α, β).
ADMIRALTY: Mapping[str, tuple[float, float]] = {
    "A": (19.0, 1.0),   # completely reliable, mean .95
    "B": (8.0, 2.0),    # usually reliable, .80
    "C": (6.0, 4.0),    # fairly reliable, .60
    "D": (3.0, 7.0),    # not usually reliable, .30
    "E": (1.0, 9.0),    # unreliable, .10
    "F": (1.0, 1.0),    # cannot be judged, .50 and uncertain
}

#: Pseudo-count behind a trust written as a number: 0.7 is Beta(7, 3).
STRENGTH = 10.0

#: Where a claim counts as confirmed (above) or refuted (below) by the other bases.
RESOLVED = 0.9


def beta_prior(value: float | str) -> tuple[float, float]:
    """A written trust (a number from 0 to 1, or an Admiralty letter) as a Beta prior."""
    if isinstance(value, str):
        return ADMIRALTY[value]
    return value * STRENGTH, (1.0 - value) * STRENGTH


def mean(ab: tuple[float, float]) -> float:
    """The mean of a Beta(α, β): the trust used to weigh a source now."""
    a, b = ab
    return a / (a + b) if a + b > 0 else 0.5


def learn(ab: tuple[float, float], confidence: float, p: float) -> tuple[float, float]:
    """The Beta after one judged claim made at `confidence`, found right with probability `p`."""
    a, b = ab
    return a + confidence * p, b + confidence * (1.0 - p)


def resolved(p: float) -> bool:
    """Whether the others' evidence settles a claim either way."""
    return p >= RESOLVED or p <= 1.0 - RESOLVED


__all__ = ["ADMIRALTY", "STRENGTH", "beta_prior", "learn", "mean", "resolved"]
