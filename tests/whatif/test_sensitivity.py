"""Sensitivity: the Morris design, the screening's arithmetic, and a ranking known by construction."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sim.engine.params import ParameterError
from sim.scenario import Scenario, load_scenario
from sim.whatif.morris import DELTA, Factor, design, screen
from sim.whatif.paramgroups import group_of, parameter_groups
from sim.whatif.sensitivity import Request, analyse

RELAY = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "relay.yaml"


@pytest.fixture(scope="module")
def relay() -> Scenario:
    return load_scenario(RELAY)


FACTORS = (Factor("a", 0, 30), Factor("b", 10, 20), Factor("c", 0, 6, whole=True))


def test_a_trajectory_moves_each_factor_once_by_two_thirds_of_its_range() -> None:
    d = design(FACTORS, trajectories=5, seed=3)
    assert len(d.points) == 5 * 4
    assert len(d.steps) == 5 * 3
    for t in range(5):
        steps = d.steps[3 * t: 3 * t + 3]
        assert sorted(s.factor for s in steps) == [0, 1, 2]
        for s in steps:
            before, after = d.points[s.before], d.points[s.after]
            moved = [i for i in range(3) if before[i] != after[i]]
            assert moved == [s.factor]
            f = FACTORS[s.factor]
            assert abs(after[s.factor] - before[s.factor]) == pytest.approx(DELTA * (f.high - f.low))
    assert all(f.low <= p[i] <= f.high for p in d.points for i, f in enumerate(FACTORS))
    assert design(FACTORS, 5, 3) == d
    assert design(FACTORS, 5, 4) != d


def test_screening_a_linear_model_gives_each_slope_times_its_range() -> None:
    d = design(FACTORS, trajectories=6, seed=0)
    # y = 2a − 0.5b + 0c: an effect per whole range is slope × (high − low)
    y = [2 * p[0] - 0.5 * p[1] for p in d.points]
    a, b, c = screen(d, y)
    assert (a.mu_star, a.mu, a.sigma) == pytest.approx((60, 60, 0))
    assert (b.mu_star, b.mu) == pytest.approx((5, -5))
    assert c.mu_star == 0


def test_screening_sees_an_interaction_as_spread() -> None:
    d = design(FACTORS[:2], trajectories=8, seed=1)
    y = [p[0] * p[1] for p in d.points]
    a, _b = screen(d, y)
    assert a.sigma > 0


def test_parameters_are_grouped_by_the_part_that_uses_them(relay: Scenario) -> None:
    assert parameter_groups(relay) == {
        "wire_delay": "rule wire-reports", "news_latency": "channel news",
        "a_react": "rule a-calls", "line_setup": "channel line", "answer_p": "channel line"}
    assert group_of([]) == "(scenario)"
    assert group_of(["actor a", "actor b"]) == "actor a+b"
    assert group_of([f"actor x{i}" for i in range(4)]) == "actor x0+x1+x2+x3"
    assert group_of([f"actor x{i}" for i in range(6)]) == "actor x0+x1+… (6)"
    assert group_of(["rule r", "actor x"]) == "rule r + actor x"


def test_the_link_with_the_widest_delay_ranks_first(relay: Scenario) -> None:
    result = analyse(relay, Request(("contact", "never"), trajectories=4, reps=1, oat_reps=2))
    contact, never = result.metrics
    assert next(g for g, _p, _n in contact.groups()) == "rule wire-reports"
    top = contact.params[0]
    assert top.name == "wire_delay"
    # every delay is fixed: moving the wire's delay from 30m to its ends moves contact by as much
    assert top.high.mean == pytest.approx((600 - 30) / 60)
    assert top.low.mean == pytest.approx((10 - 30) / 60)
    assert top.high.ci == pytest.approx((9.5, 9.5))
    # each of the chain's fixed delays adds to the time, so the steps are exact: μ* = range in hours
    assert top.screening.mu_star == pytest.approx((600 - 10) / 60)
    assert contact.default_mean == pytest.approx(55 / 60)
    assert contact.censored == 0
    # B never speaks: every run is censored at the 24h end and nothing moves it
    assert never.censored == 1
    assert never.default_mean == 24
    assert all(p.screening.mu_star == 0 for p in never.params)


def test_fixed_parameters_are_not_screened(relay: Scenario) -> None:
    result = analyse(relay, Request(("contact",), trajectories=2, reps=1, oat_reps=0,
                                    overrides={"wire_delay": "1h"}))
    assert "wire_delay" not in [f.name for f in result.factors]
    assert math.isnan(result.metrics[0].params[0].low.mean)  # no one-at-a-time runs asked for


@pytest.mark.parametrize(("request_", "message"), [
    (Request(("bogus",)), "unknown metric 'bogus'"),
    (Request(("contact",), oat_reps=1), "--oat-reps must be 0"),
    (Request(("contact",), trajectories=0), "--trajectories must be at least 1"),
])
def test_bad_requests_say_what_was_expected(relay: Scenario, request_: Request, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        analyse(relay, request_)


def test_a_point_without_runs_gives_no_effect() -> None:
    assert math.isnan(screen(design(FACTORS, 1, 0), [math.nan] * 4)[0].mu_star)


def test_the_numbers_do_not_depend_on_the_workers() -> None:
    from sim.whatif.execute import execute
    from sim.whatif.sensout import to_json
    from tests.whatif.conftest import TINY

    tiny = load_scenario(TINY)
    request = Request(("contact", "failed"), trajectories=3, reps=4, oat_reps=4, seed=7)
    one = analyse(tiny, request, run=lambda job, deliver, _b: execute(job, deliver, workers=1))
    two = analyse(tiny, request, run=lambda job, deliver, _b: execute(job, deliver, workers=2))
    assert to_json(one) == to_json(two)
    # the line answers by chance: the answer probability is what moves the failed calls
    assert one.metrics[1].params[0].name == "answer_p"
    assert one.metrics[1].params[0].screening.mu_star > 0
