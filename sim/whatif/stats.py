"""Streaming statistics: running mean and spread, quantiles, and 95% confidence intervals.

Everything here works one value at a time, so a sweep never holds an event log; only the
quantiles need the values themselves, which `ValueStore` keeps as packed doubles (8 bytes each).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from statistics import NormalDist

#: Two-sided confidence level of every interval.
CONFIDENCE = 0.95

_Z = NormalDist().inv_cdf(0.5 + CONFIDENCE / 2)


def t_quantile(p: float, df: float) -> float:
    """The p-quantile of Student's t with `df` degrees of freedom (to about 1e-10).

    Exact forms for 1 and 2 degrees of freedom; otherwise the Cornish–Fisher expansion around
    the normal quantile (Abramowitz & Stegun 26.7.5) as a start, polished by Newton's method
    on the exact distribution function.
    """
    if df <= 0 or math.isnan(df):
        return math.nan
    if math.isinf(df) or df > 1e7:
        return NormalDist().inv_cdf(p)
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    z = NormalDist().inv_cdf(p)
    z2 = z * z
    g1 = (z2 + 1) * z / 4
    g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
    g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
    g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
    t = z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4
    log_norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    for _ in range(8):
        pdf = math.exp(log_norm - (df + 1) / 2 * math.log1p(t * t / df))
        step = (t_cdf(t, df) - p) / pdf
        t -= step
        if abs(step) < 1e-12 * max(1.0, abs(t)):
            break
    return t


def t_cdf(t: float, df: float) -> float:
    """Student's t distribution function, through the regularized incomplete beta function."""
    tail = 0.5 * _betainc(df / 2, 0.5, df / (df + t * t))
    return 1 - tail if t > 0 else tail


def _betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b) (continued fraction, Lentz)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x > (a + 1) / (a + b + 2):  # the fraction converges fast only on this side
        return 1 - _betainc(b, a, 1 - x)
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    f = d
    for m in range(1, 300):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            f *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return front * f / a


class RunningStats:
    """Count, mean and variance of a stream of numbers (Welford's update): no values kept."""

    __slots__ = ("m2", "mean", "n")

    def __init__(self) -> None:
        self.n = 0
        """How many values were added."""
        self.mean = 0.0
        """Their mean (0 while empty)."""
        self.m2 = 0.0
        """Sum of squared deviations from the mean."""

    def add(self, x: float) -> None:
        """Take in one value."""
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (x - self.mean)

    def extend(self, values: Iterable[float]) -> RunningStats:
        """Take in many values; returns self."""
        for x in values:
            self.add(x)
        return self

    @property
    def variance(self) -> float:
        """Sample variance (n - 1 in the denominator); NaN under two values."""
        return self.m2 / (self.n - 1) if self.n > 1 else math.nan

    @property
    def sd(self) -> float:
        """Sample standard deviation."""
        return math.sqrt(self.variance) if self.n > 1 else math.nan

    @property
    def sem(self) -> float:
        """Standard error of the mean."""
        return self.sd / math.sqrt(self.n) if self.n > 1 else math.nan

    def ci(self) -> tuple[float, float]:
        """95% confidence interval of the mean, by Student's t; NaNs under two values."""
        if self.n < 2:
            return (math.nan, math.nan)
        half = t_quantile(0.5 + CONFIDENCE / 2, self.n - 1) * self.sem
        return (self.mean - half, self.mean + half)


def within(ci: tuple[float, float], low: float, high: float = math.inf) -> tuple[float, float]:
    """An interval cut to what the quantity can take (a count is never below 0).

    Student's t interval is symmetric, so for a mean near a bound (a count that is almost
    always 0) it reaches past it; the part past the bound holds no possible value.
    """
    lo, hi = ci
    if math.isnan(lo) or math.isnan(hi):
        return ci
    return (min(max(lo, low), high), max(min(hi, high), low))


def wilson(successes: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval of a proportion (sound near 0 and 1, unlike mean ± 1.96 se)."""
    if n == 0:
        return (math.nan, math.nan)
    p = successes / n
    z2 = _Z * _Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = _Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    lo, hi = centre - half, centre + half
    return (0.0 if successes == 0 else max(0.0, lo), 1.0 if successes == n else min(1.0, hi))


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values by linear interpolation (numpy's default method).

    Infinite values ("never") sort last; a quantile that falls among them is infinite.
    """
    if not sorted_values:
        return math.nan
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    a, b = sorted_values[lo], sorted_values[hi]
    if a == b or pos == lo:
        return a
    return a + (b - a) * (pos - lo)


class ValueStore:
    """Every value of one metric at one point, packed as doubles, for exact quantiles and ECDFs.

    This is the one part of a sweep's memory that grows with replications: 8 bytes per value,
    so 80 MB for a million replications of a ten-metric scenario; event logs are never kept.
    The values are sorted where they are kept, once asked for in order: a sorted copy beside
    them (a list of float objects, 32 bytes a value) was most of a long run's growth.
    """

    __slots__ = ("_in_order", "values")

    def __init__(self) -> None:
        self.values = array("d")
        """Every value added; in increasing order after `sorted`, until the next `add`."""
        self._in_order = True

    def add(self, x: float) -> None:
        """Keep one value."""
        self.values.append(x)
        self._in_order = False

    def __len__(self) -> int:
        return len(self.values)

    def sorted(self) -> Sequence[float]:
        """The values in increasing order (sorted once, until the next `add`)."""
        if not self._in_order:
            self.values = array("d", sorted(self.values))
            self._in_order = True
        return self.values

    def quantile(self, q: float) -> float:
        """The q-quantile, by linear interpolation."""
        return quantile(self.sorted(), q)

    def rank(self, x: float) -> float:
        """Where `x` falls among the values: the share below it, plus half the share equal to it.

        0.5 is the middle of the runs; near 0 or 1, the value is at an edge of what the runs
        did (a sharper reading than in or out of the 10–90 band).
        """
        values = self.sorted()
        below, upto = bisect_left(values, x), bisect_right(values, x)
        return (below + (upto - below) / 2) / len(values)
