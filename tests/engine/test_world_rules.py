"""Rules, posture and injects with exact logs: delays, probabilities, conditions, repeats,
the ladder's ends, triggered and optional injects."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import actor, build, run, start_rule, trace

RAISE = {"posture": {"raise": 1}}


def at(rule_id: str, when: str, do: dict[str, Any], who: str = "a", **fields: Any) -> dict[str, Any]:
    return {"id": rule_id, "actor": who, "when": {"at": when}, "do": do, **fields}


def red_inject(inject_id: str, when: str, to: str = "a") -> dict[str, Any]:
    return {"id": inject_id, "title": inject_id, "at": when, "to": [to],
            "claim": {"hypothesis": "red", "confidence": 0.9}}


def test_rule_delay_probability_and_conditions() -> None:
    s = build(actors=[actor("a"), actor("b"), actor("c"), actor("d")], rules=[
        start_rule("acts", "a", RAISE, delay="7m", probability=1),
        start_rule("never-acts", "b", RAISE, probability=0),
        # holds when triggered at 0, no longer when it would act at 7m: checked twice
        start_rule("too-late", "c", RAISE, delay="7m", **{"if": [{"before": "5m"}]}),
        start_rule("too-early", "d", RAISE, **{"if": [{"after": "1h"}]}),
    ])
    assert trace(run(s)) == [(7.0, "posture a level=alert")]


def test_rule_stopped_by_its_own_condition_after_another_rule_acted() -> None:
    s = build(rules=[
        at("calm", "10m", {"posture": {"set": "crisis"}}),
        # triggered at 5m while at routine; by the time it acts (15m) a is no longer routine
        at("alarm", "5m", RAISE, delay="10m", **{"if": [{"posture": {"at_most": "routine"}}]}),
    ])
    assert trace(run(s)) == [(10.0, "posture a level=crisis")]


def test_rule_fires_once_unless_repeat() -> None:
    injects = [red_inject("i1", "10m"), red_inject("i2", "20m"), red_inject("i3", "30m")]
    once = {"id": "once", "actor": "a", "when": {"received": {"hypothesis": "red"}}, "do": RAISE}
    assert trace(run(build(injects=injects, rules=[once])), kinds=("posture",)) == [
        (10.0, "posture a level=alert")]
    again = {**once, "repeat": True}
    # the third raise would go past the top rung: clamped, so nothing changes and nothing is logged
    assert trace(run(build(injects=injects, rules=[again])), kinds=("posture",)) == [
        (10.0, "posture a level=alert"), (20.0, "posture a level=crisis")]


def test_received_trigger_honours_min_confidence_and_origin() -> None:
    injects = [red_inject("weak", "10m"), {**red_inject("strong", "20m"), "origin": "b"}]
    injects[0]["claim"]["confidence"] = 0.3
    rules = [{"id": "sure", "actor": "a", "when": {"received": {"min_confidence": 0.5}}, "do": RAISE},
             {"id": "from-b", "actor": "a", "when": {"received": {"origin": "b"}}, "do": RAISE,
              "delay": "1m"}]
    assert trace(run(build(injects=injects, rules=rules)), kinds=("posture",)) == [
        (20.0, "posture a level=alert"), (21.0, "posture a level=crisis")]


def test_posture_set_raise_lower_clamped_to_the_ladder() -> None:
    s = build(actors=[actor("a", posture="alert"), actor("b")], rules=[
        at("up", "10m", {"posture": {"raise": 5}}),
        at("down", "20m", {"posture": {"lower": 1}}),
        at("floor", "30m", {"posture": {"lower": 9}}),
        at("same", "40m", {"posture": {"set": "routine"}}),
        at("top", "50m", {"posture": {"set": "crisis"}}),
    ])
    log = run(s)
    assert [(r.t, r.data["previous"], r.data["level"], r.data["rung"]) for r in log] == [
        (10.0, "alert", "crisis", 2),
        (20.0, "crisis", "alert", 1),
        (30.0, "alert", "routine", 0),
        (50.0, "routine", "crisis", 2),  # setting the level it is at already logs nothing
    ]
    assert log[0].data["why"] == "rule up"


def test_posture_trigger_fires_on_crossing_into_its_range() -> None:
    s = build(rules=[at("up", "10m", RAISE), at("up2", "20m", RAISE),
                     {"id": "escalated", "actor": "b", "when": {"posture": {"at_least": "alert"}},
                      "do": RAISE}])
    # b's rule watches b, not a: a's moves set off nothing
    assert trace(run(s)) == [(10.0, "posture a level=alert"), (20.0, "posture a level=crisis")]
    s = build(rules=[at("up", "10m", RAISE), at("up2", "20m", RAISE),
                     {"id": "escalated", "actor": "a", "when": {"posture": {"at_least": "crisis"}},
                      "do": {"posture": {"lower": 2}}}])
    assert trace(run(s)) == [(10.0, "posture a level=alert"), (20.0, "posture a level=crisis"),
                             (20.0, "posture a level=routine")]


def test_belief_trigger_fires_when_the_belief_crosses() -> None:
    injects = [red_inject("i1", "10m"), red_inject("i2", "20m")]
    rules = [{"id": "convinced", "actor": "a", "when": {"belief": {"hypothesis": "red", "above": 0.8}},
              "do": RAISE, "repeat": True}]
    # two injects are two roots, each (0.45 + 0.25, 0.05 + 0.25) at r = 0.5:
    # red 0.5 → 0.7 → 0.49 / 0.58 = 0.845, crossing 0.8 once
    assert trace(run(build(injects=injects, rules=rules)), kinds=("posture",)) == [
        (20.0, "posture a level=alert")]


def test_timed_inject_with_claim_and_its_records() -> None:
    s = build(injects=[red_inject("boom", "10m")])
    log = run(s)
    assert trace(log) == [(10.0, "inject inject=boom hypothesis=red"),
                          (10.0, "received a inject=boom hypothesis=red"),
                          (10.0, "belief a")]
    assert log[0].data == {"inject": "boom", "title": "boom", "hypothesis": "red", "confidence": 0.9,
                           "correct": False, "basis": {"op:inject:boom": ["inject:boom"]}}


def test_triggered_inject_fires_for_its_recipients_only() -> None:
    s = build(injects=[
        red_inject("boom", "10m"),
        {"id": "follow", "title": "Follow-up", "when": {"inject": "boom"}, "to": ["a"]},
        # a receiving red does not set this off: only b's receiving would
        {"id": "b-hears", "title": "B hears", "when": {"received": {"hypothesis": "red"}}, "to": ["b"]},
    ])
    assert trace(run(s)) == [
        (10.0, "inject inject=boom hypothesis=red"),
        (10.0, "received a inject=boom hypothesis=red"),
        (10.0, "belief a"),
        (10.0, "inject inject=follow"),
        (10.0, "received a inject=follow"),
    ]


def test_inject_timed_by_a_when_at_or_start_trigger_fires() -> None:
    s = build(injects=[{"id": "later", "title": "Later", "when": {"at": "30m"}, "to": ["a"]},
                       {"id": "first", "title": "First", "when": {"start": True}, "to": ["b"]}])
    assert trace(run(s)) == [(0.0, "inject inject=first"), (0.0, "received b inject=first"),
                             (30.0, "inject inject=later"), (30.0, "received a inject=later")]


def test_optional_inject_never_fires_by_itself() -> None:
    s = build(injects=[{**red_inject("spare", "10m"), "optional": True},
                       {"id": "spare2", "title": "Spare", "optional": True, "to": ["a"],
                        "when": {"inject": "spare"}}])
    assert run(s) == []


def test_inject_probability_zero_never_fires() -> None:
    s = build(injects=[{**red_inject("maybe", "10m"), "probability": 0}, red_inject("sure", "20m")])
    assert trace(run(s), kinds=("inject",)) == [(20.0, "inject inject=sure hypothesis=red")]


def test_inject_via_a_broadcast_reaches_the_audience_after_latency() -> None:
    s = build(actors=[actor("a", trust={"wire": 1.0}), actor("b"), actor("wire")],
              channels=[{"id": "news", "kind": "broadcast", "publishers": ["wire"],
                         "audience": ["a"], "latency": "3m"}],
              injects=[{"id": "flash", "title": "Flash", "at": "10m", "via": "news", "origin": "wire",
                        "claim": {"hypothesis": "blue", "confidence": 1.0}, "pause": True}])
    log = run(s)
    assert trace(log) == [(10.0, "inject wire @news inject=flash hypothesis=blue"),
                          (10.0, "pause reason=inject flash"),
                          (13.0, "received a>wire @news inject=flash hypothesis=blue"),
                          (13.0, "belief a>wire")]
    # a fully trusted certain claim: all but certainty (a likelihood floor keeps logs finite)
    assert log[-1].data["belief"] == pytest.approx({"red": 0.0, "blue": 1.0}, abs=1e-9)
