"""Paired comparisons: both arms on the same seeds, so untouched components draw the same."""

from __future__ import annotations

import csv
import io

import pytest

from sim.engine.params import ParameterError
from sim.engine.world import World
from sim.scenario import load_scenario
from sim.whatif.runner import Arm, Options, compare

from .conftest import DATA


@pytest.fixture(scope="module")
def noisy():
    return load_scenario(DATA / "paired.yaml")


@pytest.fixture(scope="module")
def compared(noisy):
    buffer = io.StringIO()
    summary = compare(noisy, Arm("A", overrides={"answer_p": "0.4"}),
                      Arm("B", overrides={"answer_p": "0.6"}), reps=200, seed=5,
                      options=Options(workers=1, csv=buffer))
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    return summary, rows


def test_arms_share_every_seed(compared):
    _, rows = compared
    a = [r for r in rows if r["point"] == "0"]
    b = [r for r in rows if r["point"] == "1"]
    assert len(a) == len(b) == 200
    assert [r["seed"] for r in a] == [r["seed"] for r in b]
    assert [r["rep"] for r in rows[:4]] == ["0", "0", "1", "1"]  # pairs arrive together


def test_untouched_components_draw_the_same(compared):
    _, rows = compared
    a = {r["rep"]: r for r in rows if r["point"] == "0"}
    b = {r["rep"]: r for r in rows if r["point"] == "1"}
    # the wire's report (its own random delay) does not depend on the line: equal in every pair
    assert all(a[k]["report"] == b[k]["report"] for k in a)
    assert len({r["report"] for r in a.values()}) > 50  # and it is random


def test_world_streams_are_independent_of_the_change(noisy):
    low = World(noisy, 123, {"answer_p": 0.1})
    high = World(noisy, 123, {"answer_p": 0.9})
    low.run()
    high.run()

    def before_call(world):
        return [r for r in world.log if r.t < next(x.t for x in world.log if x.kind == "call_attempt")]

    assert before_call(low) == before_call(high)


def test_pairing_narrows_the_interval(compared):
    summary, _ = compared
    comp = summary.to_json()["comparison"]
    report = comp["metrics"]["report"]
    assert report["diff"] == 0.0
    assert report["ci"] == [0.0, 0.0]
    assert report["unpaired_ci"][0] < -1.0  # independent samples would see noise here
    contact = comp["metrics"]["contact"]
    assert contact["narrowing"] > 0.5
    assert contact["variance_ratio"] > 2
    happened = comp["happened"]["contact"]
    assert happened["diff"] > 0  # a line that answers more often connects more often


def test_comparison_means_match_arm_statistics(compared):
    summary, _ = compared
    data = summary.to_json()
    failed = data["comparison"]["metrics"]["failed"]
    assert failed["a"] == data["points"][0]["metrics"]["failed"]["mean"]
    assert failed["b"] == data["points"][1]["metrics"]["failed"]["mean"]
    assert failed["diff"] == pytest.approx(failed["b"] - failed["a"], abs=1e-5)


def test_bad_arm_is_a_parameter_error(noisy):
    with pytest.raises(ParameterError, match="unknown variant 'nope'"):
        compare(noisy, Arm("A", variant="nope"), Arm("B"), reps=2)
    with pytest.raises(ParameterError, match="out of range"):
        compare(noisy, Arm("A"), Arm("B", overrides={"answer_p": "2"}), reps=2)
