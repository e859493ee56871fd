"""The log split once into the slices metrics read: each slice exactly its records, in order."""

from __future__ import annotations

from pathlib import Path

from sim.engine.logindex import LogIndex
from sim.engine.metrics import MetricSet
from sim.engine.params import resolve_params
from sim.engine.records import Record
from sim.engine.world import World
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]

LOG = [
    Record(0.0, "statement", "a", None, "tv"),
    Record(1.0, "posture", "a", None, None, {"rung": 1}),
    Record(2.0, "statement", None, None, "tv"),
    Record(3.0, "belief", "b", None, None),
    Record(4.0, "statement", "b", None, "radio"),
    Record(5.0, "posture", "b", None, None, {"rung": 2}),
]


def test_each_slice_holds_exactly_its_records_in_log_order() -> None:
    index = LogIndex()
    statements = index.want(["statement"])
    by_a = index.want(["statement"], actor="a")
    on_tv = index.want(["statement"], channel="tv")
    mixed = index.want(["posture", "belief"])
    of_b = index.want((), actor="b")
    again = index.want(["statement"], actor="a")
    slices = index.split(LOG)
    assert again == by_a
    assert [r.t for r in slices[statements]] == [0.0, 2.0, 4.0]
    assert [r.t for r in slices[by_a]] == [0.0]  # a record with no actor is not a's
    assert [r.t for r in slices[on_tv]] == [0.0, 2.0]
    assert [r.t for r in slices[mixed]] == [1.0, 3.0, 5.0]
    assert [r.t for r in slices[of_b]] == [3.0, 4.0, 5.0]


def test_indexed_metrics_equal_a_scan_of_the_whole_log() -> None:
    scenario = load_scenario(ROOT / "scenarios/poland-2022.yaml")
    metrics = MetricSet(scenario)
    for variant, seed in ((None, 1), ("reverse-case", 2), ("line-works", 3)):
        world = World(scenario, seed, resolve_params(scenario, variant))
        world.run()
        truth = world.truth
        assert metrics.compute(world.log, truth) == {
            m.id: metrics.value(m, world.log, truth) for m in scenario.metrics}


def test_a_metric_under_another_name_gets_the_same_value_however_the_log_goes() -> None:
    scenario = load_scenario(ROOT / "scenarios/poland-2022.yaml")
    first = scenario.metrics[0]
    twin = first.model_copy(update={"id": "twin", "label": "The same, renamed"})
    doubled = scenario.model_copy(update={"metrics": [*scenario.metrics, twin]})
    world = World(doubled, 5, resolve_params(doubled))
    world.run()
    values = MetricSet(doubled).compute(world.log, world.truth)
    assert values["twin"] == values[first.id]
    assert values["twin"] is not None
