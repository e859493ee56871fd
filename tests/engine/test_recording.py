"""Batch runs log only what their metrics read, and their metrics equal a full run's."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine.metrics import MetricSet
from sim.engine.params import resolve_params
from sim.engine.recording import Recording
from sim.engine.world import World
from sim.scenario import load_scenario
from sim.scenario.loader import load_scenario_text
from sim.scenario.models import Scenario
from tests.engine.test_every_scenario_runs import SCENARIOS

ROOT = Path(__file__).resolve().parents[2]
POLAND = ROOT / "scenarios/poland-2022.yaml"


def _both(scenario: Scenario, seed: int, params: dict[str, float]) -> tuple[World, World, Recording]:
    full = World(scenario, seed, dict(params))
    full.run()
    recording = Recording.for_metrics(scenario)
    batch = World(scenario, seed, dict(params), recording=recording)
    batch.run()
    return full, batch, recording


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: str(p.relative_to(ROOT)))
def test_batch_and_full_runs_give_the_same_metrics(path: Path) -> None:
    scenario = load_scenario(path)
    metrics = MetricSet(scenario)
    seeds = range(3) if path == POLAND else range(25)  # Poland: 12 variants, ~0.1 s a run
    for variant in [None, *scenario.variants]:
        params = resolve_params(scenario, variant)
        for seed in seeds:
            full, batch, recording = _both(scenario, seed, params)
            # the kept records are the full run's, in order: nothing else in the run moved
            assert batch.log == [r for r in full.log if recording.keeps(r.kind)]
            assert metrics.compute(batch.log, batch.truth, end=batch.last_t) == \
                metrics.compute(full.log, full.truth), (variant, seed)


def test_poland_batch_runs_leave_out_the_bulk_of_the_log() -> None:
    scenario = load_scenario(POLAND)
    full, batch, recording = _both(scenario, 4, resolve_params(scenario))
    assert {"received", "trust"} <= recording.dropped
    assert len(batch.log) < len(full.log) / 2
    assert batch.last_t == full.log[-1].t


_HAPPENED = """
hotline: 1
id: happened
title: A rule that reads the log
start: 2022-11-15T15:40:00+01:00
duration: 2h
question:
  text: Who?
  truth: a
  hypotheses: [{id: a, label: A}, {id: b, label: B}]
ladder: [{id: calm, label: Calm}, {id: alert, label: Alert}]
actors:
  - {id: x, name: X, side: s, timezone: Europe/Warsaw}
  - {id: y, name: Y, side: s, timezone: Europe/Warsaw}
channels:
  - {id: line, kind: message, members: [x, y], latency: {fixed: 5m}}
injects:
  - {id: start, title: Start, at: {fixed: 10m}, to: [x]}
rules:
  - id: tell
    actor: x
    when: {inject: start}
    do: {message: {channel: line, to: [y], text: hello}}
  - id: alarm
    actor: y
    when: {at: 1h}
    if: [{happened: {kind: message_delivered, actor: x}}]
    do: {posture: {set: alert}}
metrics:
  - {id: alert, label: Alert, kind: reached, level: alert}
"""


def test_kinds_the_engine_reads_back_are_kept() -> None:
    scenario = load_scenario_text(_HAPPENED, "happened.yaml")
    recording = Recording.for_metrics(scenario)
    assert recording.keeps("message_delivered")  # a `happened` condition reads it
    assert not recording.keeps("message_sent")
    full, batch, _ = _both(scenario, 0, resolve_params(scenario))
    metrics = MetricSet(scenario)
    assert metrics.compute(batch.log)["alert"] is True
    assert metrics.compute(full.log)["alert"] is True


def test_a_pattern_of_any_kind_keeps_everything() -> None:
    scenario = load_scenario_text(_HAPPENED.replace("{kind: message_delivered, actor: x}",
                                                    "{actor: x}"), "any.yaml")
    assert Recording.for_metrics(scenario).dropped == frozenset()
