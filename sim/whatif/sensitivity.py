"""Sensitivity of metrics to the scenario's parameters: Morris screening and one-at-a-time effects.

Two designs run on the same executor as a sweep (design points are the points of a `Plan`,
every point on the same seeds, so differences between points are paired):

- a Morris screening (`sim.whatif.morris`) of every parameter with a declared `range:`, r
  trajectories of k + 1 points each; the metric at a point is the mean over its replications;
- one-at-a-time (OAT) effects: each parameter at the low and at the high end of its range, the
  rest at their defaults (the variant's, then `--set`), minus the all-defaults run on the same
  seed; the mean of these paired differences, with a 95% t interval.

A time-to metric that does not happen within a run is censored: it counts as the run's end
(`--until`, or the scenario's duration), so its effects are bounds, and the tables say how many
runs that concerned. Parameters are grouped by the link or channel that uses them
(`sim.whatif.paramgroups`), and groups ranked by their strongest parameter's μ*.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.engine.params import ParameterError, resolve_params
from sim.scenario.models import TIME_METRICS, Scenario
from sim.whatif.execute import Outcome, execute
from sim.whatif.jobs import Row, ScenarioJob
from sim.whatif.morris import Design, Factor, Screening, design, screen
from sim.whatif.paramgroups import parameter_groups
from sim.whatif.plan import Plan, Point, check_name, show_param
from sim.whatif.stats import RunningStats, within

#: Metric kinds whose values are minutes (shown in hours).
MINUTE_METRICS = (*TIME_METRICS, "false_premise")


@dataclass(frozen=True)
class Request:
    """A sensitivity analysis as asked for."""

    metrics: tuple[str, ...]
    """Metric ids to explain."""
    trajectories: int = 10
    """Morris trajectories (r)."""
    reps: int = 5
    """Replications per Morris point."""
    oat_reps: int = 20
    """Replications per one-at-a-time point (low, high, default); 0: no one-at-a-time runs."""
    seed: int = 0
    """Base seed: design and replication seeds derive from it."""
    variant: str | None = None
    """Variant giving the defaults."""
    overrides: dict[str, Any] = field(default_factory=dict)
    """Parameters fixed for every run (not screened)."""
    until: float | None = None
    """Stop each run at this minute (default: the scenario's end)."""


@dataclass(frozen=True)
class Effect:
    """A paired mean difference from the defaults' runs, with its 95% interval."""

    value: float
    """The parameter's value at this end of its range."""
    mean: float
    """Mean of (metric at this value − metric at the defaults), same seed."""
    ci: tuple[float, float]
    """95% t interval of that mean."""


@dataclass(frozen=True)
class ParamResult:
    """One parameter's effect on one metric."""

    name: str
    """The parameter."""
    group: str
    """The link or channel it belongs to."""
    screening: Screening
    """Morris μ*, μ, σ."""
    mu_star_ci: tuple[float, float]
    """95% t interval of μ* over the trajectories' effect sizes."""
    low: Effect
    """Low end of the range − defaults."""
    high: Effect
    """High end of the range − defaults."""


@dataclass(frozen=True)
class MetricResult:
    """How every screened parameter moves one metric."""

    id: str
    """Metric id."""
    label: str
    """Metric label."""
    unit: str
    """`h` for times (values and effects in hours), else empty."""
    default_mean: float
    """The metric's mean at the defaults (censored runs counted at the end)."""
    censored: float
    """Share of all the analysis's runs in which a time metric never happened (0 otherwise)."""
    end: float
    """Where censored runs count: the run's end, in the metric's unit."""
    params: tuple[ParamResult, ...]
    """Ranked by μ*, largest first."""

    def groups(self) -> list[tuple[str, ParamResult, int]]:
        """Each group's strongest parameter and its number of parameters, strongest group first."""
        best: dict[str, ParamResult] = {}
        count: dict[str, int] = {}
        for p in self.params:  # already ranked: the first seen is the strongest
            best.setdefault(p.group, p)
            count[p.group] = count.get(p.group, 0) + 1
        return [(g, p, count[g]) for g, p in best.items()]


@dataclass
class Analysis:
    """The result of a sensitivity analysis."""

    scenario: str
    """Scenario id."""
    request: Request
    """What was asked."""
    factors: tuple[Factor, ...]
    """Screened parameters."""
    metrics: list[MetricResult]
    """One result per metric asked for."""
    outcomes: list[Outcome]
    """How the Morris and the OAT runs ended."""

    @property
    def partial(self) -> bool:
        """Some runs did not finish (Ctrl-C)."""
        return any(o.partial for o in self.outcomes)


def factors_of(scenario: Scenario, fixed: Sequence[str]) -> tuple[Factor, ...]:
    """Every parameter with a declared range that is not fixed, as a factor over that range."""
    out = []
    for name, p in scenario.parameters.items():
        if not p.range or name in fixed:
            continue
        low, high = (p.value(v) for v in p.range)
        if high > low:
            out.append(Factor(name, low, high, whole=p.type == "count"))
    return tuple(out)


def build(scenario: Scenario, request: Request) -> tuple[tuple[Factor, ...], Design, Plan, Plan, list[int]]:
    """Check a request and lay out its two plans (Morris, then OAT: defaults, low₁, high₁, ...).

    Returns the factors, the Morris design, both plans and the metrics' column indexes.

    Raises:
        ParameterError: an unknown metric, variant or parameter, a bad value, or no factor.
    """
    ids = [m.id for m in scenario.metrics]
    columns = []
    for metric in request.metrics:
        if metric not in ids:
            from sim.scenario.diagnostics import expected_one_of, suggest

            raise ParameterError(f"unknown metric {metric!r}{suggest(metric, ids)}; "
                                 f"{expected_one_of(ids)}")
        columns.append(ids.index(metric))
    if not request.metrics:
        raise ParameterError("name at least one metric (--metric ID)")
    for name, what in (("trajectories", request.trajectories), ("reps", request.reps)):
        if what < 1:
            raise ParameterError(f"--{name} must be at least 1")
    if request.oat_reps == 1 or request.oat_reps < 0:  # one paired difference has no interval
        raise ParameterError("--oat-reps must be 0 (no one-at-a-time runs) or at least 2")
    for name in request.overrides:
        check_name(scenario, name)
    base = resolve_params(scenario, request.variant, request.overrides)
    factors = factors_of(scenario, list(request.overrides))
    if not factors:
        raise ParameterError("no parameter to screen: none has a 'range:' (or all are fixed by --set)")
    morris = design(factors, request.trajectories, request.seed)
    names = [f.name for f in factors]
    points = [Point(i, f"morris {i // (len(factors) + 1)}.{i % (len(factors) + 1)}",
                    dict(zip(names, x, strict=True)), {**base, **dict(zip(names, x, strict=True))})
              for i, x in enumerate(morris.points)]
    oat = [Point(0, "defaults", {}, base)]
    for f in factors:
        for end, value in (("low", f.low), ("high", f.high)):
            param = scenario.parameters[f.name]
            oat.append(Point(len(oat), f"{f.name}={show_param(param, value)} ({end})",
                             {f.name: value}, {**base, f.name: value}))
    # every point of both plans on the same seeds: replication r is one seed everywhere
    plan_m = Plan(tuple(points), request.reps, request.seed, tuple(names), common_seeds=True)
    plan_o = Plan(tuple(oat), request.oat_reps, request.seed, tuple(names), common_seeds=True)
    return factors, morris, plan_m, plan_o, columns


def analyse(scenario: Scenario, request: Request, *,
            run: Callable[[ScenarioJob, Callable[[int, int, Row], None], int], Outcome] | None = None,
            ) -> Analysis:
    """Run both designs and compute every requested metric's ranking.

    Args:
        scenario: the validated scenario.
        request: metrics, design sizes, seed, variant and overrides.
        run: runs a job, delivering rows; given (job, deliver, runs before it) so a progress
            bar can span both designs. Default: `execute` in this process's default way.

    Raises:
        ParameterError: as `build`.
    """
    factors, morris, plan_m, plan_o, columns = build(scenario, request)
    run = run or (lambda job, deliver, _before: execute(job, deliver))
    end = request.until if request.until is not None else float(scenario.duration)
    kinds = [scenario.metrics[c].kind for c in columns]
    censored = [0] * len(columns)

    def collector(plan: Plan) -> tuple[list[list[list[float]]], Callable[[int, int, Row], None]]:
        sums = [[[math.nan] * plan.reps for _ in plan.points] for _ in columns]

        def deliver(point: int, rep: int, row: Row) -> None:
            for m, c in enumerate(columns):
                value = row[c]
                if value is None:
                    censored[m] += 1
                    value = end
                sums[m][point][rep] = float(value)
        return sums, deliver

    morris_y, deliver_m = collector(plan_m)
    oat_y, deliver_o = collector(plan_o)
    outcomes = [run(ScenarioJob(scenario, plan_m, request.until), deliver_m, 0)]
    if plan_o.reps:
        outcomes.append(run(ScenarioJob(scenario, plan_o, request.until), deliver_o, plan_m.total))
    runs = sum(o.done for o in outcomes)
    groups = parameter_groups(scenario)
    results = []
    for m, c in enumerate(columns):
        metric = scenario.metrics[c]
        scale = 60.0 if kinds[m] in MINUTE_METRICS else 1.0
        y = [_mean(reps) / scale for reps in morris_y[m]]
        screens = screen(morris, y)
        params = []
        for j, f in enumerate(factors):
            sizes = RunningStats()
            for step in morris.steps:
                if step.factor == j and step.span != 0:
                    sizes.add(round(abs((y[step.after] - y[step.before]) / step.span), 9))
            low = _paired(oat_y[m][1 + 2 * j], oat_y[m][0], f.low, scale)
            high = _paired(oat_y[m][2 + 2 * j], oat_y[m][0], f.high, scale)
            # μ* is a mean of sizes: its interval stops at 0
            mu_ci = within(sizes.ci(), 0.0)
            params.append(ParamResult(f.name, groups[f.name], screens[j], mu_ci, low, high))
        params.sort(key=lambda p: (-_rankable(p.screening.mu_star), p.name))
        share = censored[m] / runs if kinds[m] in TIME_METRICS and runs else 0.0
        results.append(MetricResult(metric.id, metric.label, "h" if scale == 60 else "",
                                    _mean(oat_y[m][0]) / scale, share, end / scale, tuple(params)))
    return Analysis(scenario.id, request, factors, results, outcomes)


def _mean(values: Sequence[float]) -> float:
    done = [v for v in values if not math.isnan(v)]  # runs an interrupt left undone
    return sum(done) / len(done) if done else math.nan


def _rankable(x: float) -> float:
    return -math.inf if math.isnan(x) else x


def _paired(at: Sequence[float], base: Sequence[float], value: float, scale: float) -> Effect:
    """The mean paired difference (same seed) of a metric at `value` from the defaults' runs."""
    diff = RunningStats().extend((a - b) / scale for a, b in zip(at, base, strict=True)
                                 if not (math.isnan(a) or math.isnan(b)))
    return Effect(value, diff.mean if diff.n else math.nan, diff.ci())
