"""Sweep plans: points, seeds, sampling, flag parsing, and how work is cut into chunks."""

from __future__ import annotations

import pytest

from sim.engine.params import ParameterError
from sim.whatif.execute import Chunker
from sim.whatif.plan import (
    Plan,
    Point,
    SweepSpec,
    build_plan,
    parse_grid_flag,
    parse_sample_flag,
)


def test_grid_points_in_order_with_labels(tiny):
    plan = build_plan(tiny, SweepSpec(grid={"answer_p": ["0.1", "0.5", 1]}, reps=3, seed=9))
    assert [p.label for p in plan.points] == ["answer_p=0.1", "answer_p=0.5", "answer_p=1"]
    assert [p.params["answer_p"] for p in plan.points] == [0.1, 0.5, 1.0]
    assert plan.total == 9
    assert plan.swept == ("answer_p",)


def test_seeds_derive_from_seed_point_and_rep(tiny):
    """Rule: a replication's seed is the first 15 hex digits of sha256("seed/point/rep").

    The literals pin the scheme: published sweeps stay reproducible only while it holds.
    """
    plan = build_plan(tiny, SweepSpec(grid={"answer_p": ["0.1", "0.5"]}, reps=3, seed=9,
                                      common_seeds=False))
    assert plan.seed_of(1, 2) == 0x7902945241E0617  # sha256("9/1/2")
    assert plan.seed_of(0, 2) == 0x2C1E51CE56F1E05                       # sha256("9/0/2")
    shared = build_plan(tiny, SweepSpec(grid={"answer_p": ["0.1", "0.5"]}, reps=3, seed=9))
    assert shared.seed_of(1, 2) == shared.seed_of(0, 2) == 0x2C1E51CE56F1E05  # the default: point 0's


def test_no_sweep_is_one_base_point(tiny):
    plan = build_plan(tiny, SweepSpec(reps=5, variant="dead-line"))
    assert [p.label for p in plan.points] == ["base"]
    assert plan.points[0].params["answer_p"] == 0.0


def test_samples_are_reproducible_and_in_range(tiny):
    spec = SweepSpec(sample={"answer_p": ("0.2", "0.4")}, points=6, seed=4)
    first, again = build_plan(tiny, spec), build_plan(tiny, spec)
    values = [p.setting["answer_p"] for p in first.points]
    assert values == [p.setting["answer_p"] for p in again.points]
    assert all(0.2 <= v <= 0.4 for v in values)
    assert len(set(values)) == 6
    other = build_plan(tiny, SweepSpec(sample={"answer_p": ("0.2", "0.4")}, points=6, seed=5))
    assert values != [p.setting["answer_p"] for p in other.points]


def test_sample_uses_the_parameters_own_range(tiny):
    plan = build_plan(tiny, SweepSpec(sample={"answer_p": None}, points=20))
    assert all(0 <= p.setting["answer_p"] <= 1 for p in plan.points)


@pytest.mark.parametrize(("spec", "message"), [
    (SweepSpec(grid={"answer": ["0.1"]}), "unknown parameter 'answer' (did you mean 'answer_p'?)"),
    (SweepSpec(grid={"answer_p": ["1.5"]}), "parameter answer_p: probability 1.5 is out of range"),
    (SweepSpec(grid={"answer_p": ["x"]}), "'x' is not a probability"),
    (SweepSpec(grid={"answer_p": ["0.1"]}, overrides={"answer_p": "0.2"}), "both fixed"),
    (SweepSpec(sample={"answer_p": ("0.9", "0.1")}), "low end is above the high end"),
    (SweepSpec(variant="nope"), "unknown variant 'nope'"),
    (SweepSpec(reps=0), "--reps must be at least 1"),
    (SweepSpec(sample={"answer_p": None}, points=0), "--points must be at least 1"),
])
def test_bad_sweeps_say_why(tiny, spec, message):
    with pytest.raises(ParameterError) as info:
        build_plan(tiny, spec)
    assert message in str(info.value)


def test_flag_parsing():
    assert parse_grid_flag("cgs_answer=0.1, 0.5,0.9") == ("cgs_answer", ["0.1", "0.5", "0.9"])
    assert parse_sample_flag("delay") == ("delay", None)
    assert parse_sample_flag("delay=10m..2h") == ("delay", ("10m", "2h"))
    for bad in ("cgs_answer", "=1,2", "x="):
        with pytest.raises(ParameterError, match="expected name=value1,value2"):
            parse_grid_flag(bad)
    with pytest.raises(ParameterError, match=r"LOW\.\.HIGH"):
        parse_sample_flag("delay=10m")


def _plan(points: int, reps: int, paired: bool = False) -> Plan:
    pts = tuple(Point(i, str(i), {}, {}) for i in range(points))
    return Plan(points=pts, reps=reps, seed=0, common_seeds=paired, paired=paired)


@pytest.mark.parametrize("paired", [False, True])
@pytest.mark.parametrize(("workers", "size"), [(1, None), (2, None), (3, 1), (2, 7), (4, 1000)])
def test_chunks_cover_every_run_once_in_order(paired, workers, size):
    plan = _plan(3 if not paired else 2, 37, paired)
    chunker = Chunker(plan, workers, size)
    cells = []
    while (chunk := chunker.next()) is not None:
        cells += list(chunk.cells(point_major=not paired))
        chunker.observe(chunk.count * len(chunk.points), 0.001 * chunk.count)
    if paired:
        assert cells == [(p, r) for r in range(37) for p in range(2)]
    else:
        assert cells == [(p, r) for p in range(3) for r in range(37)]


def test_chunks_grow_to_the_target_time():
    chunker = Chunker(_plan(1, 100_000), workers=2)
    first = chunker.next()
    assert first.count == 4
    chunker.observe(4, 0.0004)  # 0.1 ms a run: aim at 0.25 s
    assert chunker.next().count == 2500


def test_a_parameter_with_only_choices_is_sampled_from_its_choices():
    """Rule: sampling a parameter that has choices but no range draws each point from the choices."""
    from tests.engine.helpers import build

    scenario = build(parameters={"setup": {"type": "duration", "default": "5m",
                                           "choices": ["5m", "20m", "1h"]}})
    plan = build_plan(scenario, SweepSpec(sample={"setup": None}, points=30, seed=2))
    drawn = [p.setting["setup"] for p in plan.points]
    assert set(drawn) == {5.0, 20.0, 60.0}  # every choice, and nothing in between
    assert {p.label.split("=")[1] for p in plan.points} == {"5m", "20m", "1h"}
