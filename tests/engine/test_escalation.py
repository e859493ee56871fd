"""Posture as a signal, reactions to accusations, alliance decisions, and escalation measures."""

from __future__ import annotations

import pytest

from sim.engine.escalation import decide, false_premise_minutes
from sim.engine.metrics import MetricSet
from sim.engine.records import Record
from sim.scenario import ScenarioError

from .helpers import QUESTION, actor, build, run, trace

RAISE = {"posture": {"raise": 1}}


def _at(rule_id: str, who: str, at: str, do: dict) -> dict:
    return {"id": rule_id, "actor": who, "when": {"at": at}, "do": do}


def test_observed_posture_arrives_with_its_delay_and_sets_off_the_observers_rules() -> None:
    s = build(actors=[actor("a"), actor("b"), actor("c")],
              observation=[{"observer": "b", "of": "a", "delay": "45m"}],
              rules=[_at("a-up", "a", "1h", RAISE),
                     {"id": "b-answers", "actor": "b", "when": {"observed_posture": {"of": "a",
                                                                                       "at_least": "alert"}},
                      "do": RAISE}])
    assert trace(run(s)) == [
        (60.0, "posture a level=alert"),
        (105.0, "posture_observed b>a level=alert"),  # 45m later, and only b watches a
        (105.0, "posture b level=alert"),
    ]


def test_an_observer_may_see_a_rung_off_and_a_condition_reads_what_it_saw() -> None:
    s = build(actors=[actor("a"), actor("b")],
              observation=[{"observer": "b", "of": "a", "delay": "10m", "error": 1.0}],
              rules=[_at("a-up", "a", "1h", RAISE),
                     {"id": "b-checks", "actor": "b", "when": {"at": "2h"},
                      "if": [{"observed_posture": {"of": "a", "at_least": "crisis"}}], "do": RAISE}])
    observed = [r for r in run(s) if r.kind == "posture_observed"]
    # always wrong by a rung: alert (1) is seen as routine (0) or crisis (2)
    assert [r.data["rung"] for r in observed] in ([0], [2])
    moved = trace(run(s), kinds=("posture",))
    assert (moved[-1] == (120.0, "posture b level=alert")) == (observed[0].data["rung"] == 2)


def test_an_accusation_aimed_at_the_actors_side_sets_off_its_denial() -> None:
    question = {**QUESTION, "hypotheses": [{"id": "red", "label": "Red did it", "blames": "east"},
                                           {"id": "blue", "label": "Blue did it", "blames": "west"}]}
    s = build(question=question,
              actors=[actor("a", side="west"), actor("b", side="east"), actor("c", side="press")],
              channels=[{"id": "news", "kind": "broadcast", "publishers": ["a", "b", "c"],
                         "latency": "1m"}],
              rules=[_at("accuse", "a", "10m", {"statement": {"channel": "news",
                                                              "claim": {"hypothesis": "red"}}}),
                     {"id": "deny", "actor": "b", "when": {"accused": {"public": True}},
                      "delay": "30m", "do": {"statement": {"channel": "news",
                                                         "claim": {"hypothesis": "blue"}}}},
                     {"id": "c-denies-too", "actor": "c", "when": {"accused": {}}, "do": RAISE}])
    assert trace(run(s), kinds=("statement", "posture")) == [
        (10.0, "statement a @news hypothesis=red"),
        (41.0, "statement b @news hypothesis=blue"),  # only b's side is blamed by red
    ]


COUNCIL = {"id": "nac", "kind": "meeting", "members": ["a", "b", "c"], "convene": "30m",
           "decisions": [{"id": "art5", "rule": "all",
                          "if": [{"belief": {"hypothesis": "red", "above": 0.6}}]},
                         {"id": "art4", "rule": "any",
                          "if": [{"belief": {"hypothesis": "red", "above": 0.6}}]}]}


def test_a_consensus_decision_fails_when_one_members_conditions_fail() -> None:
    s = build(actors=[actor("a", belief={"red": 0.9, "blue": 0.1}),
                      actor("b", belief={"red": 0.8, "blue": 0.2}),
                      actor("c", belief={"red": 0.3, "blue": 0.7})],
              channels=[COUNCIL],
              rules=[{"id": "ask", "actor": "a", "when": {"start": True}, "do": {"convene": "nac"}},
                     {"id": "go", "actor": "a", "when": {"decision": {"id": "art5"}}, "do": RAISE},
                     {"id": "consult", "actor": "b", "when": {"decision": {"id": "art4"}}, "do": RAISE}])
    log = run(s)
    decisions = {r.data["decision"]: (r.data["passed"], r.data["votes"]) for r in log if r.kind == "decision"}
    assert decisions == {"art5": (False, {"a": True, "b": True, "c": False}),
                         "art4": (True, {"a": True, "b": True, "c": False})}
    assert trace(log, kinds=("posture",)) == [(30.0, "posture b level=alert")]


@pytest.mark.parametrize(("votes", "any_", "majority", "all_"), [
    ([True, False, False], True, False, False),
    ([True, True, False], True, True, False),
    ([True, True], True, True, True),
    ([True, False], True, False, False),
    ([], False, False, False),
])
def test_decision_rules(votes: list[bool], any_: bool, majority: bool, all_: bool) -> None:
    assert (decide(votes, "any"), decide(votes, "majority"), decide(votes, "all")) == (any_, majority, all_)


def test_false_premise_exposure_counts_escalated_minutes_on_a_wrong_answer() -> None:
    def rec(t: float, kind: str, who: str, **data: object) -> Record:
        return Record(t, kind, who, None, None, data)

    log = [rec(10, "posture", "a", rung=1), rec(30, "belief", "a", belief={"red": 0.7, "blue": 0.3}),
           rec(50, "belief", "a", belief={"red": 0.2, "blue": 0.8}), rec(60, "posture", "b", rung=2),
           rec(90, "posture", "a", rung=0), rec(100, "belief", "b", belief={"red": 0.1, "blue": 0.9})]
    starts = {"a": {"red": 0.5, "blue": 0.5}, "b": {"red": 0.9, "blue": 0.1}}
    # truth blue. a: escalated from 10, wrong from 30 to 50 (ties lead with red: wrong 10 to 30
    # as well) -> 10..50 = 40. b: escalated from 60, wrong until 100 -> 40
    assert false_premise_minutes(log, "blue", {"a": 0, "b": 0}, starts, 1, 120.0) == 80.0
    assert false_premise_minutes(log, "blue", {"a": 0, "b": 0}, starts, 1, 120.0, actor="b") == 40.0
    assert false_premise_minutes(log, "blue", {"a": 0, "b": 0}, starts, 2, 120.0) == 40.0


def test_the_escalation_metrics_read_the_log() -> None:
    red = {"red": 0.9, "blue": 0.1}
    s = build(actors=[actor("a", belief=red), actor("b", belief=red), actor("c", belief=red)],
              channels=[COUNCIL],
              rules=[{"id": "ask", "actor": "a", "when": {"at": "1h"}, "do": {"convene": "nac"}},
                     _at("a-up", "a", "2h", RAISE)],
              metrics=[{"id": "art5", "kind": "decided", "label": "Article 5", "decision": "art5"},
                       {"id": "fpe", "kind": "false_premise", "label": "FPE"}])
    log = run(s)
    values = MetricSet(s).compute(log)
    assert values["art5"] is True  # everyone above 0.6 on red: consensus
    # a escalated at 2h on red (the truth is blue) until the log's last record, the meeting's
    # end at 1h + 30m + 1h
    assert log[-1].t == 150.0
    assert values["fpe"] == 30.0


def test_a_decision_voter_must_sit_in_the_meeting() -> None:
    bad = {**COUNCIL, "decisions": [{"id": "x", "members": ["d"]}]}
    with pytest.raises(ScenarioError, match="'d' does not sit in meeting 'nac'"):
        build(actors=[actor("a"), actor("b"), actor("c"), actor("d")], channels=[bad])
