"""Fixtures of the UI tests: apps on the small `play.yaml` scenario, with a fixed seed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sim.scenario import Scenario, load_scenario
from tui.app import HotlineApp, PlayOptions

from .helpers import PLAY, SEED, catalog


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    """The UI test scenario."""
    return load_scenario(PLAY)


@pytest.fixture
def make_app(tmp_path: Path, scenario: Scenario) -> Callable[..., HotlineApp]:
    """Build an app on play.yaml with a fixed seed, its journal in tmp_path."""
    def make(seat: str | None = "facilitator", **options: object) -> HotlineApp:
        opts = PlayOptions(scenario_path=PLAY, scenario=scenario, seat=seat, seed=SEED,
                           journal_path=tmp_path / "journal.jsonl", catalog=catalog)
        for key, value in options.items():
            setattr(opts, key, value)
        return HotlineApp(opts)
    return make


