"""What a sweep runs: its points (parameter settings), replications, and every run's seed.

A replication's seed depends only on (base seed, point, replication), never on which worker or
chunk runs it, so the numbers are the same on any backend and any number of workers.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.durations import format_duration
from sim.engine.params import ParameterError, resolve_params
from sim.engine.streams import derive_seed
from sim.scenario.diagnostics import expected_one_of, suggest
from sim.scenario.models import Parameter, Scenario

#: Most points one sweep may have (a grid multiplies quickly).
MAX_POINTS = 100_000


@dataclass(frozen=True)
class Point:
    """One setting of the swept parameters, with every parameter's value for its runs."""

    index: int
    """Position in the plan, from 0; part of every replication seed unless seeds are shared."""
    label: str
    """For tables and plots: `cgs_answer=0.3 line_setup=1h`, or an arm's name."""
    setting: Mapping[str, float]
    """The swept parameters' values (minutes for durations)."""
    params: Mapping[str, float]
    """Every parameter's value for this point's runs."""


@dataclass(frozen=True)
class Plan:
    """The points, replications per point, and base seed of a sweep or comparison."""

    points: tuple[Point, ...]
    """Settings to run, in order."""
    reps: int
    """Replications per point."""
    seed: int
    """Base seed."""
    swept: tuple[str, ...] = ()
    """Names of the parameters that vary between points."""
    common_seeds: bool = False
    """Every point runs on point 0's seeds (common random numbers), as a comparison does."""
    paired: bool = False
    """Points are arms compared replication by replication (needs common seeds)."""

    def seed_of(self, point: int, rep: int) -> int:
        """The seed of replication `rep` of `point`: derive_seed(seed, point, rep)."""
        return derive_seed(self.seed, 0 if self.common_seeds else point, rep)

    @property
    def total(self) -> int:
        """Replications in all."""
        return len(self.points) * self.reps


@dataclass
class SweepSpec:
    """A sweep as a person asked for it (flags or a sweep file), before checking."""

    grid: dict[str, list[Any]] = field(default_factory=dict)
    """Parameter name → values to cross with every other grid parameter."""
    sample: dict[str, tuple[Any, Any] | None] = field(default_factory=dict)
    """Parameter name → (low, high) to draw from uniformly, or None for its own range."""
    points: int = 10
    """Random points drawn when `sample` names parameters."""
    reps: int = 100
    """Replications per point."""
    seed: int = 0
    """Base seed."""
    variant: str | None = None
    """Variant the points start from."""
    overrides: dict[str, Any] = field(default_factory=dict)
    """Parameter values fixed for every point."""
    common_seeds: bool = True
    """Run every point on the same seeds (common random numbers: smooth, fair curves)."""
    until: float | None = None
    """Stop each run at this minute (default: the scenario's end)."""


def build_plan(scenario: Scenario, spec: SweepSpec) -> Plan:
    """Check a sweep against the scenario and lay out its points.

    Grid values are crossed in the order given; random points (drawn from their own seeded
    stream, so the same seed gives the same points) are crossed with every grid point.

    Raises:
        ParameterError: an unknown variant or parameter, a value that does not fit, a parameter
            both fixed and swept, or a sweep too large.
    """
    if spec.reps < 1:
        raise ParameterError("--reps must be at least 1")
    base = resolve_params(scenario, spec.variant, spec.overrides)
    for name in (*spec.grid, *spec.sample):
        check_name(scenario, name)
        if name in spec.overrides:
            raise ParameterError(f"parameter {name} is both fixed (--set) and swept; expected one")
    both = set(spec.grid) & set(spec.sample)
    if both:
        raise ParameterError(f"parameter {sorted(both)[0]} is both on the grid and sampled; "
                             "expected one")
    grid_axes: list[list[tuple[str, float, str]]] = []
    for name, raws in spec.grid.items():
        if not raws:
            raise ParameterError(f"--grid {name}: expected at least one value")
        grid_axes.append([(name, param_value(scenario, name, raw), str(raw)) for raw in raws])
    # count before drawing: a billion random points would be drawn first, then refused
    n_points = math.prod(len(axis) for axis in grid_axes) * (spec.points if spec.sample else 1)
    if spec.sample and spec.points < 1:
        raise ParameterError("--points must be at least 1")
    if n_points > MAX_POINTS:
        raise ParameterError(f"the sweep has {n_points} points; expected at most {MAX_POINTS}")
    samples = draw_samples(scenario, spec) if spec.sample else [[]]
    points = []
    for combo in itertools.product(*grid_axes, samples):
        cells = [*combo[:-1], *combo[-1]]
        setting = {name: value for name, value, _ in cells}
        label = " ".join(f"{name}={text}" for name, _, text in cells) or "base"
        points.append(Point(len(points), label, setting, {**base, **setting}))
    return Plan(points=tuple(points), reps=spec.reps, seed=spec.seed,
                swept=(*spec.grid, *spec.sample), common_seeds=spec.common_seeds)


def check_name(scenario: Scenario, name: str) -> Parameter:
    """The scenario's parameter called `name`.

    Raises:
        ParameterError: there is none.
    """
    if name not in scenario.parameters:
        raise ParameterError(f"unknown parameter {name!r}{suggest(name, scenario.parameters)}; "
                             f"{expected_one_of(scenario.parameters)}")
    return scenario.parameters[name]


def param_value(scenario: Scenario, name: str, raw: Any) -> float:
    """A value of a parameter, read by its type and checked against its range.

    Raises:
        ParameterError: the value does not fit.
    """
    try:
        return check_name(scenario, name).value(raw)
    except ValueError as exc:
        if isinstance(exc, ParameterError):
            raise
        raise ParameterError(f"parameter {name}: {exc}") from None


def sample_range(scenario: Scenario, name: str, given: tuple[Any, Any] | None) -> tuple[float, float]:
    """The interval a sampled parameter is drawn from: the one given, or the parameter's own.

    Raises:
        ParameterError: a bound out of the parameter's range, low above high, or neither a
            range nor choices to draw from.
    """
    param = check_name(scenario, name)
    if given is not None:
        low, high = (param_value(scenario, name, v) for v in given)
        if high < low:
            raise ParameterError(f"--sample {name}: the low end is above the high end")
        return low, high
    if param.range:
        low, high = (param.value(v) for v in param.range)
        return low, high
    if param.choices:  # drawn from the choices themselves; the span is only for the record
        values = [param.value(v) for v in param.choices]
        return min(values), max(values)
    if param.type == "probability":
        return 0.0, 1.0
    raise ParameterError(f"parameter {name} has no range to sample from; give one "
                         f"(--sample {name}=LOW..HIGH) or sweep it on a grid")


def draw_samples(scenario: Scenario, spec: SweepSpec) -> list[list[tuple[str, float, str]]]:
    """`spec.points` random settings of the sampled parameters, the same for the same seed.

    Counts are drawn as whole numbers, parameters with choices from their choices, the rest
    uniformly in their interval (rounded to 6 decimals, the precision of the CSV).

    Raises:
        ParameterError: as `sample_range`, or fewer than one point.
    """
    if spec.points < 1:
        raise ParameterError("--points must be at least 1")
    ranges = {name: sample_range(scenario, name, given) for name, given in spec.sample.items()}
    out = []
    for j in range(spec.points):
        rng = random.Random(f"{spec.seed}:sample:{j}")
        cells = []
        for name, (low, high) in ranges.items():
            param = scenario.parameters[name]
            if param.choices and spec.sample[name] is None:
                value = param.value(rng.choice(param.choices))
            elif param.type == "count":
                value = float(rng.randint(math.ceil(low), math.floor(high)))
            else:
                value = round(low + (high - low) * rng.random(), 6)
            cells.append((name, value, show_param(param, value)))
        out.append(cells)
    return out


def show_param(param: Parameter, value: float) -> str:
    """A parameter's value as people write it: `1h 30m` for durations, `0.25` otherwise."""
    if param.type == "duration":
        return format_duration(value).replace(" ", "")
    return f"{value:g}" if param.type == "count" else f"{value:.4g}"


def parse_grid_flag(text: str) -> tuple[str, list[str]]:
    """Read `--grid name=v1,v2,...`.

    Raises:
        ParameterError: no `=` or no values.
    """
    name, sep, values = text.partition("=")
    items = [v.strip() for v in values.split(",") if v.strip()]
    if not sep or not name.strip() or not items:
        raise ParameterError(f"--grid {text!r}: expected name=value1,value2,...")
    return name.strip(), items


def parse_sample_flag(text: str) -> tuple[str, tuple[str, str] | None]:
    """Read `--sample name` or `--sample name=LOW..HIGH`.

    Raises:
        ParameterError: a range not written LOW..HIGH.
    """
    name, sep, interval = text.partition("=")
    if not name.strip():
        raise ParameterError(f"--sample {text!r}: expected a parameter name")
    if not sep:
        return name.strip(), None
    low, dots, high = interval.partition("..")
    if not dots or not low.strip() or not high.strip():
        raise ParameterError(f"--sample {text!r}: expected name or name=LOW..HIGH")
    return name.strip(), (low.strip(), high.strip())


def arm_points(scenario: Scenario, arms: Sequence[tuple[str, str | None, Mapping[str, Any]]]
               ) -> tuple[Point, ...]:
    """Points for compared arms, each (label, variant, overrides).

    Raises:
        ParameterError: an unknown variant or parameter, or a value that does not fit.
    """
    points = []
    for i, (label, variant, overrides) in enumerate(arms):
        params = resolve_params(scenario, variant, overrides)
        points.append(Point(i, label, {}, params))
    return tuple(points)
