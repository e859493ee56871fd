"""Paired comparison of two arms run on the same seeds (common random numbers).

Replication i of arm A and of arm B share a seed, and every component draws from its own named
stream, so the parts of the world a change does not touch draw the same numbers in both arms.
The difference B − A is then taken run by run: its spread leaves out the noise the two arms
share, and the interval is narrower than comparing two independent samples would give. Both
intervals are reported, computed on the same runs, so the gain from pairing is visible.
"""

from __future__ import annotations

import math
from typing import Any

from sim.engine.metrics import objective_met
from sim.whatif.jobs import Row
from sim.whatif.stats import CONFIDENCE, RunningStats, t_quantile, within
from sim.whatif.summary import Layout, num


class Difference:
    """B − A of one quantity over pairs: paired and unpaired 95% intervals on the same runs."""

    __slots__ = ("a", "b", "bound", "d")

    def __init__(self, bound: float = math.inf) -> None:
        self.a = RunningStats()
        self.b = RunningStats()
        self.d = RunningStats()
        self.bound = bound
        """The largest |B − A| possible (1 for shares): intervals stop there."""

    def add(self, a: float, b: float) -> None:
        """One pair of runs."""
        self.a.add(a)
        self.b.add(b)
        self.d.add(b - a)

    def paired_half(self) -> float:
        """Half-width of the paired interval: t(n−1) · sd(B − A) / √n."""
        return t_quantile(0.5 + CONFIDENCE / 2, self.d.n - 1) * self.d.sem if self.d.n > 1 else math.nan

    def unpaired_half(self) -> float:
        """Half-width of Welch's interval, as if A and B were independent samples."""
        n = self.d.n
        if n < 2:
            return math.nan
        va, vb = self.a.variance / n, self.b.variance / n
        se = math.sqrt(va + vb)
        if se == 0:
            return 0.0
        df = (va + vb) ** 2 / (va**2 / (n - 1) + vb**2 / (n - 1))
        return t_quantile(0.5 + CONFIDENCE / 2, df) * se

    def to_json(self) -> dict[str, Any]:
        """Means, difference, both intervals, and what pairing gained."""
        paired, unpaired = self.paired_half(), self.unpaired_half()
        diff = self.d.mean if self.d.n else math.nan
        narrowing = 1 - paired / unpaired if unpaired and unpaired > 0 else math.nan
        var_ratio = ((self.a.variance + self.b.variance) / self.d.variance
                     if self.d.n > 1 and self.d.variance > 0 else math.nan)
        return {
            "n": self.d.n, "a": num(self.a.mean if self.a.n else math.nan),
            "b": num(self.b.mean if self.b.n else math.nan), "diff": num(diff),
            "ci": [num(x) for x in within((diff - paired, diff + paired), -self.bound,
                                          self.bound)],
            "unpaired_ci": [num(x) for x in within((diff - unpaired, diff + unpaired),
                                                   -self.bound, self.bound)],
            "narrowing": num(narrowing),
            "variance_ratio": num(var_ratio),
        }


class Comparison:
    """Arm 0 (A) against arm 1 (B), fed runs in replication order, A before B."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.metrics = [Difference(1.0 if info.is_yes_no else math.inf)
                        for info in layout.metrics]
        """Per metric: B − A (time metrics: over pairs where both happened)."""
        self.happened = [Difference(1.0) for _ in layout.metrics]
        """Per time metric: the difference in the chance it happens (1/0 per run)."""
        self.objectives = [Difference(1.0) for _ in layout.objectives]
        """Per objective: the difference in the chance of meeting it."""
        self._waiting: tuple[int, Row] | None = None

    def add(self, point: int, rep: int, row: Row) -> None:
        """A run of arm `point`; a pair is counted when both of replication `rep` are in."""
        if point == 0:
            self._waiting = (rep, row)
            return
        if self._waiting is None or self._waiting[0] != rep:
            raise ValueError(f"replication {rep} of arm B arrived without arm A's")
        a = self._waiting[1]
        self._waiting = None
        for i, info in enumerate(self.layout.metrics):
            x, y = a[i], row[i]
            if info.is_time:
                self.happened[i].add(float(x is not None), float(y is not None))
                if x is not None and y is not None:
                    self.metrics[i].add(float(x), float(y))
            else:
                self.metrics[i].add(float(x or 0), float(y or 0))
        for k, (objective, i) in enumerate(self.layout.objectives):
            self.objectives[k].add(float(objective_met(objective, a[i])),
                                   float(objective_met(objective, row[i])))

    def to_json(self, a: str, b: str) -> dict[str, Any]:
        """Each metric's difference B − A with its paired and unpaired intervals."""
        layout = self.layout
        return {
            "a": a, "b": b,
            "metrics": {info.id: self.metrics[i].to_json() for i, info in enumerate(layout.metrics)},
            "happened": {info.id: self.happened[i].to_json()
                         for i, info in enumerate(layout.metrics) if info.is_time},
            "objectives": {o.id: self.objectives[k].to_json()
                           for k, (o, _) in enumerate(layout.objectives)},
        }
