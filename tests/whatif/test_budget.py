"""The delay budget: a traced run's log is the plain run's, and its paths add up exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine.metrics import MetricSet
from sim.engine.params import ParameterError, resolve_params
from sim.engine.tracing import TracingWorld
from sim.engine.world import World
from sim.scenario import Scenario, load_scenario
from sim.whatif.budget import Budget, BudgetJob, check_metrics, critical_path, target_index
from sim.whatif.plan import Plan, Point

ROOT = Path(__file__).resolve().parents[2]
RELAY = ROOT / "tests" / "data" / "scenarios" / "relay.yaml"
POLAND = ROOT / "scenarios" / "poland-2022.yaml"


@pytest.fixture(scope="module")
def relay() -> Scenario:
    return load_scenario(RELAY)


@pytest.fixture(scope="module")
def poland() -> Scenario:
    return load_scenario(POLAND)


def _job(scenario: Scenario, metrics: tuple[str, ...], **overrides: str) -> BudgetJob:
    params = resolve_params(scenario, None, overrides)
    plan = Plan((Point(0, "defaults", {}, params),), 3, 0, common_seeds=True)
    return BudgetJob(scenario, plan, metrics)


def test_the_relay_budget_is_its_fixed_delays_in_order(relay: Scenario) -> None:
    contact, report, never = _job(relay, ("contact", "report", "never")).run(0, 0)
    # inject at 10m; the wire's rule waits 30m; the news takes 2m; A reads it 6m later; A's
    # rule waits 4m; the line takes 3m to set up: contact at 55m
    assert contact == (("inject boom", "inject time", 10.0), ("rule wire-reports", "rule delay", 30.0),
                       ("channel news", "latency", 2.0), ("actor a", "response", 6.0),
                       ("rule a-calls", "rule delay", 4.0), ("channel line", "set-up", 3.0))
    assert report == (("inject boom", "inject time", 10.0), ("rule wire-reports", "rule delay", 30.0))
    assert never is None


def test_failed_attempts_off_duty_answers_and_convening_are_labelled() -> None:
    waits = load_scenario(ROOT / "tests" / "data" / "scenarios" / "waits.yaml")
    (council,) = _job(waits, ("council",)).run(0, 0)
    # 10m inject; 5m rule; 2m set-up onto a line down until 20m: failed at 17m; 15m to retry;
    # 2m set-up; B, off duty until 13:00, answers in 3m + 30m: contact at 67m; B's rule waits
    # 10m; the council convenes 20m later, at 97m
    assert council == (
        ("inject boom", "inject time", 10.0), ("rule a-calls", "rule delay", 5.0),
        ("channel line", "set-up", 2.0), ("channel line", "retry interval", 15.0),
        ("channel line", "set-up", 2.0), ("actor b", "answering", 3.0), ("actor b", "off duty", 30.0),
        ("rule b-convenes", "rule delay", 10.0), ("channel council", "convening", 20.0))


def test_the_budget_follows_the_parameters(relay: Scenario) -> None:
    (contact,) = _job(relay, ("contact",), wire_delay="2h", line_setup="5m").run(0, 1)
    assert ("rule wire-reports", "rule delay", 120.0) in contact
    assert ("channel line", "set-up", 5.0) in contact
    assert sum(m for _l, _k, m in contact) == 10 + 120 + 2 + 6 + 4 + 5


def test_budgets_sum_by_link_over_runs(relay: Scenario) -> None:
    job = _job(relay, ("contact",))
    budget = Budget("contact", "A reaches B")
    for rep in range(3):
        budget.add(job.run(0, rep)[0])
    budget.add(None)
    assert (budget.runs, budget.happened) == (4, 3)
    assert budget.rows()[0] == ("rule wire-reports", "rule delay", 30.0, pytest.approx(30 / 55))
    assert budget.links()[-1] == ("channel news", 2.0, pytest.approx(2 / 55))


def test_tracing_only_watches(poland: Scenario) -> None:
    params = resolve_params(poland)
    plain, traced = World(poland, 5, dict(params)), TracingWorld(poland, 5, dict(params))
    plain.run(18 * 60)
    traced.run(18 * 60)
    assert [r.dumps() for r in traced.log] == [r.dumps() for r in plain.log]
    assert len(traced.causes) == len(traced.log)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_minute_to_a_poland_metric_lies_on_one_labelled_wait(poland: Scenario, seed: int) -> None:
    world = TracingWorld(poland, seed, dict(resolve_params(poland)))
    world.run()
    metrics = MetricSet(poland)
    checked = 0
    for metric in poland.metrics:
        if metric.kind not in ("first", "belief_true"):
            continue
        value = metrics.value(metric, world.log, world.truth)
        index = target_index(metrics, metric, world.log, world.truth)
        if value is None or index is None:
            continue
        path = critical_path(world.log, world.causes, index)
        assert sum(w.minutes for w in path) == pytest.approx(value, abs=1e-6), metric.id
        assert not [w for w in path if w.kind == "unexplained"], metric.id
        checked += 1
    assert checked >= 5


def test_a_budget_needs_a_time_to_metric(relay: Scenario, poland: Scenario) -> None:
    with pytest.raises(ParameterError, match="unknown metric 'contacts'"):
        check_metrics(relay, ["contacts"])
    with pytest.raises(ParameterError, match="metric reached-art4 is a reached metric"):
        check_metrics(poland, ["reached-art4"])
