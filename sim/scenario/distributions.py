"""Distributions of durations by name, with parameters a person can reason about."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from statistics import NormalDist
from typing import Any

from pydantic import BaseModel, Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from sim.durations import format_duration
from sim.scenario.common import exactly_one_key
from sim.scenario.values import DURATION_VALUE_FORM, STRICT, DurationValue, invalid, is_param

#: z-score of the 90th percentile of a standard normal: lognormal sigma = ln(p90/median) / Z90.
Z90 = 1.2815515655446004

#: Looks up a `$parameter`'s value.
Resolve = Callable[[Any], float]


class Uniform(BaseModel):
    """Any value from `low` to `high`, all equally likely."""

    model_config = STRICT
    low: DurationValue
    """Smallest value."""
    high: DurationValue
    """Largest value."""


class Triangular(BaseModel):
    """From `low` to `high`, most likely near `mode`."""

    model_config = STRICT
    low: DurationValue
    """Smallest value."""
    mode: DurationValue
    """Most likely value."""
    high: DurationValue
    """Largest value."""


class Exponential(BaseModel):
    """Memoryless waiting time with the given mean."""

    model_config = STRICT
    mean: DurationValue
    """Average value."""


class LogNormal(BaseModel):
    """A right-skewed delay: half of the draws fall below `median`, nine in ten below `p90`."""

    model_config = STRICT
    median: DurationValue
    """The middle value."""
    p90: DurationValue
    """The value nine draws in ten stay below; must exceed the median."""


DISTRIBUTION_NAMES = ("fixed", "uniform", "triangular", "exponential", "lognormal", "empirical")


class Distribution(BaseModel):
    """One named distribution of a duration; a plain duration or `$parameter` means `fixed`."""

    model_config = STRICT
    fixed: DurationValue | None = None
    """Always this value."""
    uniform: Uniform | None = None
    """Uniform between low and high."""
    triangular: Triangular | None = None
    """Triangular on low, mode, high."""
    exponential: Exponential | None = None
    """Exponential by its mean."""
    lognormal: LogNormal | None = None
    """Lognormal by median and 90th percentile."""
    empirical: list[DurationValue] | None = Field(default=None, min_length=1)
    """One of the listed values, each equally likely (observed cases)."""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str | int | float) and not isinstance(data, bool):
            return {"fixed": data}
        return data

    @model_validator(mode="after")
    def _exactly_one(self) -> Distribution:
        chosen = [name for name in DISTRIBUTION_NAMES if getattr(self, name) is not None]
        if len(chosen) != 1:
            raise invalid(
                "distribution",
                "expected exactly one distribution ({names}); got {got}",
                {"names": ", ".join(DISTRIBUTION_NAMES), "got": ", ".join(chosen) or "none"},
            )
        ln = self.lognormal
        if ln and not is_param(ln.median) and not is_param(ln.p90) and ln.p90 <= ln.median:
            raise invalid(
                "distribution", "lognormal p90 {p90} is not above its median {median}; expected a "
                "p90 larger than the median", {"p90": format_duration(ln.p90),
                                                "median": format_duration(ln.median)},
            )
        for shape in (self.uniform, self.triangular):
            if shape and not is_param(shape.low) and not is_param(shape.high) and shape.high < shape.low:
                raise invalid(
                    "distribution", "high {high} is below low {low}; expected low <= high",
                    {"high": format_duration(shape.high), "low": format_duration(shape.low)},
                )
        t = self.triangular
        if t and not any(map(is_param, (t.low, t.mode, t.high))) and not t.low <= t.mode <= t.high:
            raise invalid(
                "distribution", "mode {mode} lies outside {low} to {high}; expected low <= mode <= high",
                {"mode": format_duration(t.mode), "low": format_duration(t.low),
                 "high": format_duration(t.high)},
            )
        return self

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler,
                                     ) -> JsonSchemaValue:
        # as written: a plain duration or `$parameter` (`_shorthand`), or exactly one named shape
        json_schema = handler(core_schema)
        shape = handler.resolve_ref_schema(json_schema)
        exactly_one_key(shape)
        mapping = dict(shape)
        shape.clear()
        shape.update(title=mapping.pop("title"), description=mapping.pop("description"),
                     anyOf=[DURATION_VALUE_FORM, mapping])
        return json_schema

    @property
    def name(self) -> str:
        """Which distribution this is."""
        return next(n for n in DISTRIBUTION_NAMES if getattr(self, n) is not None)

    def sample(self, rng: Any, value: Resolve) -> float:
        """Draw one duration in minutes.

        Args:
            rng: anything with a `random()` method giving a number in [0, 1).
            value: resolves a number or `$parameter` to minutes.

        Returns:
            A number of minutes.
        """
        return self.sampler(value)(min(max(rng.random(), 1e-12), 1 - 1e-12))

    def sampler(self, value: Resolve) -> Callable[[float], float]:
        """A function from one uniform number in (0, 1) to a draw, by the inverse CDF.

        One uniform per draw is what keyed random numbers need (`sim.engine.keyed`): a draw is
        then a pure function of its key, and the same key gives a monotone response to the
        distribution's parameters. A run's parameters do not change, so the engine builds each
        sampler once per run and draws from it on its hot paths.
        """
        if self.fixed is not None:
            fixed_value = value(self.fixed)
            return lambda _u: fixed_value
        if self.uniform is not None:
            low, high = value(self.uniform.low), value(self.uniform.high)
            return lambda u: low + (high - low) * u
        if self.triangular is not None:
            t = self.triangular
            low, high, mode = value(t.low), value(t.high), value(t.mode)
            return lambda u: _triangular(u, low, high, mode)
        if self.exponential is not None:
            mean = value(self.exponential.mean)
            if mean <= 0:
                return lambda _u: 0.0
            return lambda u: -mean * math.log(1.0 - u)
        if self.lognormal is not None:
            median = value(self.lognormal.median)
            if median <= 0:
                return lambda _u: 0.0
            p90 = value(self.lognormal.p90)
            sigma = math.log(max(p90, median * 1.000001) / median) / Z90
            inv = _STANDARD_NORMAL.inv_cdf
            return lambda u: median * math.exp(sigma * inv(u))
        values = [value(v) for v in self.empirical or [0.0]]
        return lambda u: values[min(int(u * len(values)), len(values) - 1)]

    def params(self) -> list[Any]:
        """Every number or `$parameter` this distribution uses."""
        out: list[Any] = []
        for name in DISTRIBUTION_NAMES:
            part = getattr(self, name)
            if part is None:
                continue
            if isinstance(part, BaseModel):
                out.extend(getattr(part, f) for f in type(part).model_fields)
            elif isinstance(part, list):
                out.extend(part)
            else:
                out.append(part)
        return out


def _triangular(u: float, low: float, high: float, mode: float) -> float:
    """The triangular distribution's inverse CDF."""
    if high <= low:
        return low
    cut = (mode - low) / (high - low)
    if u < cut:
        return low + math.sqrt(u * (high - low) * (mode - low))
    return high - math.sqrt((1 - u) * (high - low) * (high - mode))


_STANDARD_NORMAL = NormalDist()


def fixed(minutes: float) -> Distribution:
    """A distribution that always gives `minutes`."""
    return Distribution.model_construct(fixed=minutes)


def mean_of(dist: Distribution, params: Mapping[str, float]) -> float:
    """The expected value of a distribution, for reports and sanity checks."""
    def value(v: Any) -> float:
        return params[v[1:]] if is_param(v) else float(v)
    if dist.fixed is not None:
        return value(dist.fixed)
    if dist.uniform is not None:
        return (value(dist.uniform.low) + value(dist.uniform.high)) / 2
    if dist.triangular is not None:
        t = dist.triangular
        return (value(t.low) + value(t.mode) + value(t.high)) / 3
    if dist.exponential is not None:
        return value(dist.exponential.mean)
    if dist.lognormal is not None:
        median = value(dist.lognormal.median)
        sigma = math.log(value(dist.lognormal.p90) / median) / Z90
        return median * math.exp(sigma * sigma / 2)
    values = [value(v) for v in dist.empirical or []]
    return sum(values) / len(values)
