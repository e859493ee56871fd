"""Morris elementary-effects screening: the trajectories of a design and the effects they give.

Each factor (a parameter with a declared range) is scaled to [0, 1] over its range. A
trajectory starts at a random corner of a 4-level grid (0, 1/3, 2/3, 1) and moves one factor at
a time by Δ = 2/3, in a random order, up when it can and down otherwise (Morris 1991;
Campolongo, Cariboni & Saltelli 2007 for μ*). A trajectory of k factors has k + 1 points; the
difference of the metric between two neighbours, divided by the step, is one elementary effect
of the factor that moved, in the metric's units per whole range. Over r trajectories each
factor has r effects: μ* is the mean of their sizes (how much the factor matters), σ their
spread (how much that depends on the others: interaction or curvature). Pure: no SimPy.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

#: Grid levels per factor and the step between a trajectory's neighbours (p / (2 (p − 1))).
LEVELS = 4
DELTA = LEVELS / (2 * (LEVELS - 1))


@dataclass(frozen=True)
class Factor:
    """A parameter screened over its range."""

    name: str
    """The parameter."""
    low: float
    """Lowest value (minutes for durations)."""
    high: float
    """Highest value."""
    whole: bool = False
    """Counts take whole values: a scaled level is rounded."""

    def at(self, x: float) -> float:
        """The value at scaled position `x` in [0, 1]."""
        value = self.low + x * (self.high - self.low)
        return float(round(value)) if self.whole else round(value, 6)


@dataclass(frozen=True)
class Step:
    """One move of a trajectory: which factor moved, and by how much of its range."""

    factor: int
    """Index of the factor that moved."""
    before: int
    """Index (in the design's points) of the point before the move."""
    after: int
    """Index of the point after it."""
    span: float
    """The move as a share of the factor's range, signed (after rounding a count)."""


@dataclass(frozen=True)
class Design:
    """The points of r trajectories and the steps between them."""

    factors: tuple[Factor, ...]
    """The factors, in the scenario's order."""
    points: tuple[tuple[float, ...], ...]
    """Every point's factor values, trajectory after trajectory (k + 1 each)."""
    steps: tuple[Step, ...]
    """Every move, trajectory after trajectory."""


def design(factors: Sequence[Factor], trajectories: int, seed: int) -> Design:
    """`trajectories` random Morris trajectories over `factors`, the same for the same seed."""
    points: list[tuple[float, ...]] = []
    steps: list[Step] = []
    for t in range(trajectories):
        rng = random.Random(f"{seed}:morris:{t}")
        x = [rng.randrange(LEVELS) / (LEVELS - 1) for _ in factors]
        order = rng.sample(range(len(factors)), len(factors))
        points.append(tuple(f.at(v) for f, v in zip(factors, x, strict=True)))
        for j in order:
            x[j] = x[j] + DELTA if x[j] + DELTA <= 1 + 1e-9 else x[j] - DELTA
            before = points[-1]
            after = tuple(factors[j].at(x[j]) if i == j else v for i, v in enumerate(before))
            f = factors[j]
            span = (after[j] - before[j]) / (f.high - f.low) if f.high > f.low else 0.0
            points.append(after)
            steps.append(Step(j, len(points) - 2, len(points) - 1, span))
    return Design(tuple(factors), tuple(points), tuple(steps))


@dataclass(frozen=True)
class Screening:
    """A factor's elementary effects summarised."""

    mu_star: float
    """Mean size of the effects: the factor's importance, in metric units per whole range."""
    mu: float
    """Mean signed effect: which way it pushes (effects of both signs cancel here)."""
    sigma: float
    """Standard deviation of the effects: interactions with other factors, or curvature."""
    effects: int
    """How many effects (trajectories where the factor moved at all)."""


def screen(design: Design, y: Sequence[float]) -> list[Screening]:
    """Each factor's μ*, μ and σ from the metric's value `y` at every design point."""
    effects: list[list[float]] = [[] for _ in design.factors]
    for step in design.steps:
        if step.span != 0:
            # rounded: equal values reached along different sums must not show a σ of 1e-15
            effects[step.factor].append(round((y[step.after] - y[step.before]) / step.span, 9))
    out = []
    for ee in effects:
        n = len(ee)
        mean = sum(ee) / n if n else math.nan
        sd = math.sqrt(sum((e - mean) ** 2 for e in ee) / (n - 1)) if n > 1 else math.nan
        out.append(Screening(sum(abs(e) for e in ee) / n if n else math.nan, mean, sd, n))
    return out
