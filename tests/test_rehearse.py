"""Choosing a seed to rehearse: the world closest to 2022 among those with the key events."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine.metrics import MetricSet
from sim.engine.params import resolve_params
from sim.engine.world import World
from sim.rehearse import RehearsalError, choose_seed
from sim.scenario import load_scenario

NOISY = Path(__file__).resolve().parents[0] / "data" / "scenarios" / "engine" / "noisy.yaml"


@pytest.fixture(scope="module")
def noisy():
    return load_scenario(NOISY)


def _crisis(scenario, seed):
    world = World(scenario, seed, resolve_params(scenario))
    world.run()
    return MetricSet(scenario).compute(world.log)["crisis"]


def test_the_chosen_world_has_the_key_events(noisy):
    params = resolve_params(noisy)
    with_crisis = [seed for seed in range(12) if _crisis(noisy, seed)]
    assert 0 < len(with_crisis) < 12  # some worlds reach the crisis, some do not
    choice = choose_seed(noisy, params, 12, ["crisis"])
    assert choice.best.seed in with_crisis
    assert choice.qualified == len(with_crisis)
    assert f"({len(with_crisis)} of 12 seeds had them all)" in choice.explain()
    assert choice.explain().startswith(f"seed {choice.best.seed}, of 12 tried, is the closest")


def test_log_patterns_name_an_actor_and_a_kind(noisy):
    choice = choose_seed(noisy, resolve_params(noisy), 5, ["a:call_attempt"])
    assert choice.qualified == 5


def test_unknown_events_and_impossible_ones_are_refused(noisy):
    params = resolve_params(noisy)
    with pytest.raises(RehearsalError, match="--require nope: not a metric of noisy"):
        choose_seed(noisy, params, 3, ["nope"])
    with pytest.raises(RehearsalError, match="none of seeds 0 to 2 has all of c-knows"):
        choose_seed(noisy, params, 3, ["c-knows"])  # C never comes to believe the truth
