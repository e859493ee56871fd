"""Every shipped scenario and every good scenario kept as test data loads and runs to its end."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine.params import resolve_params
from sim.engine.world import World
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
#: The hostile folder holds scenarios built to run away: `test_runaway.py` runs those.
SCENARIOS = sorted([*ROOT.glob("scenarios/*.yaml"),
                    *(p for p in ROOT.glob("tests/data/scenarios/**/*.yaml") if "hostile" not in p.parts),
                    ROOT / "tests/whatif/data/paired.yaml", ROOT / "tests/whatif/data/setup.yaml"])
#: Several seeds, so a variant whose rare branch breaks a run is not hidden by one lucky world.
SEEDS = (1, 2, 3)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_scenario_runs_under_every_variant(path: Path) -> None:
    scenario = load_scenario(path)
    for variant in [None, *scenario.variants]:
        for seed in SEEDS:
            world = World(scenario, seed, resolve_params(scenario, variant))
            world.run()
            assert world.now <= scenario.duration
            assert all(abs(sum(state.belief.values()) - 1) < 1e-9
                       for state in world.actors.values())
