"""Decisions that are re-considered: a no is not final, rules that keep checking, waiting for duty."""

from __future__ import annotations

from .helpers import actor, build, run, trace

RAISE = {"posture": {"raise": 1}}


def _red(inject_id: str, at: str) -> dict:
    return {"id": inject_id, "title": inject_id, "at": at, "to": ["a"],
            "claim": {"hypothesis": "red", "confidence": 0.9}}


def test_a_rule_whose_draw_says_no_stays_armed_for_the_next_trigger() -> None:
    injects = [_red(f"i{k}", f"{10 * k}m") for k in range(1, 9)]
    rule = {"id": "maybe", "actor": "a", "when": {"received": {"hypothesis": "red"}},
            "probability": 0.3, "do": RAISE}
    moves = [seed for seed in range(20)
             if trace(run(build(injects=injects, rules=[rule]), seed=seed), kinds=("posture",))]
    # once used up by a no, a rule that is tried 8 times at 0.3 would act in 30% of worlds;
    # re-armed, it acts unless all 8 draws say no (0.7**8 ≈ 6%)
    assert len(moves) >= 16
    # and it acts once: a rule without `repeat` is used up by acting
    for seed in moves:
        assert len(trace(run(build(injects=injects, rules=[rule]), seed=seed), kinds=("posture",))) == 1


def test_a_rule_whose_conditions_fail_when_it_would_act_is_not_used_up() -> None:
    rule = {"id": "wait-and-see", "actor": "a", "when": {"received": {"hypothesis": "red"}},
            "if": [{"after": "25m"}], "delay": "0m", "do": RAISE}
    injects = [_red("early", "10m"), _red("late", "30m")]
    # the first trigger finds the condition false; the second fires it
    assert trace(run(build(injects=injects, rules=[rule])), kinds=("posture",)) == [
        (30.0, "posture a level=alert")]
    delayed = {**rule, "if": [{"before": "20m"}], "delay": "15m"}
    # conditions hold at 10m, fail at 25m when it would act: the 30m trigger is too late too
    assert trace(run(build(injects=injects, rules=[delayed])), kinds=("posture",)) == []


def test_a_rule_with_every_keeps_checking_its_conditions_while_they_hold() -> None:
    injects = [_red("i1", "50m"), _red("i2", "55m")]
    watcher = {"id": "watch", "actor": "a", "when": {"start": True}, "every": "30m",
               "if": [{"belief": {"hypothesis": "red", "above": 0.8}}], "do": RAISE}
    # no crossing trigger: red passes 0.8 at 55m and the next check, at 60m, finds it
    assert trace(run(build(injects=injects, rules=[watcher])), kinds=("posture",)) == [
        (60.0, "posture a level=alert")]
    # with a chance per check, a no waits for the next check rather than ending the rule
    maybe = {**watcher, "probability": 0.5}
    times = {trace(run(build(injects=injects, rules=[maybe]), seed=s), kinds=("posture",))[0][0]
             for s in range(12)}
    assert times <= {60.0 + 30.0 * k for k in range(30)}
    assert len(times) > 1


def test_an_action_can_wait_for_the_next_working_hours() -> None:
    # the scenario starts at 12:00 UTC; b works 14:00-18:00 UTC
    b_hours = {"working_hours": {"start": "14:00", "end": "18:00"},
               "off_duty_delay": {"fixed": "10m"}}
    act = {"id": "act", "actor": "b", "when": {"at": "7h"}, "do": RAISE}
    actors = [actor("a"), actor("b", **b_hours)]
    # 19:00 is off duty: `delay` adds the off-duty delay; `wait` acts at 14:00 the next day
    assert trace(run(build(actors=actors, rules=[act], duration="1d 6h")), kinds=("posture",)) == [
        (430.0, "posture b level=alert")]
    assert trace(run(build(actors=actors, rules=[{**act, "off_duty": "wait"}], duration="1d 6h")),
                 kinds=("posture",)) == [(26 * 60.0, "posture b level=alert")]
