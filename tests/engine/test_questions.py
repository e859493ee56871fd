"""More than one key question: a ledger per question, claims and evidence find theirs by hypothesis."""

from __future__ import annotations

import pytest

from sim.engine.metrics import MetricSet
from sim.engine.params import resolve_params
from sim.engine.world import World
from sim.scenario import ScenarioError

from .helpers import actor, build, trace

INTENT = {"id": "intent", "text": "Was it deliberate?", "truth": "accident",
          "hypotheses": [{"id": "deliberate", "label": "On purpose"},
                         {"id": "accident", "label": "By accident"}]}
#: An inquiry into intent that cannot be wrong, so the truth picks its outcome.
INQUIRY = {"id": "inquiry", "title": "Inquiry", "at": "1h", "to": ["a"],
           "outcomes": {"planned": {"deliberate": 1.0, "accident": 0.0},
                        "mishap": {"deliberate": 0.0, "accident": 1.0}}}


def _world(variant: str | None = None, **parts: object) -> World:
    scenario = build(questions=[INTENT], **parts)
    world = World(scenario, 0, resolve_params(scenario, variant))
    world.run()
    return world


def test_evidence_on_a_further_question_moves_that_belief_only() -> None:
    world = _world(evidence=[INQUIRY], actors=[actor("a", beliefs={"intent": {"deliberate": 0.7,
                                                                              "accident": 0.3}}),
                                             actor("b")])
    assert trace(world.log) == [
        (60.0, "evidence evidence=inquiry outcome=mishap hypothesis=accident"),
        (60.0, "received a hypothesis=accident"),
        (60.0, "question_belief a"),
    ]
    assert world.log[2].data["question"] == "intent"
    a = world.actors["a"]
    assert a.beliefs[1]["accident"] == pytest.approx(1.0, abs=1e-9)
    assert a.belief == {"red": 0.5, "blue": 0.5}  # the key question is untouched
    assert world.log[0].data["correct"] is True


def test_a_claim_finds_its_question_and_a_condition_reads_any_question() -> None:
    world = _world(
        injects=[{"id": "rumour", "title": "Rumour", "at": "10m", "to": ["a"], "origin": "b",
                  "claim": {"hypothesis": "deliberate", "confidence": 0.9}}],
        rules=[{"id": "alarm", "actor": "a", "when": {"belief": {"hypothesis": "deliberate",
                                                                 "above": 0.6}},
                "do": {"posture": {"raise": 1}}}])
    # the claim is b's opinion on intent: (0.9, 0.1) at trust 0.5 is (0.7, 0.3)
    assert world.actors["a"].beliefs[1] == pytest.approx({"deliberate": 0.7, "accident": 0.3})
    assert trace(world.log, kinds=("question_belief", "posture")) == [
        (10.0, "question_belief a>b"), (10.0, "posture a level=alert")]


def test_a_variant_may_set_a_further_questions_truth_and_metrics_read_it() -> None:
    metrics = [{"id": "knows", "kind": "belief_true", "label": "A knows the intent", "actor": "a",
                "question": "intent", "threshold": 0.9}]
    world = _world(evidence=[INQUIRY], metrics=metrics)
    assert MetricSet(world.scenario).compute(world.log)["knows"] == 60.0
    reverse = _world("planned", evidence=[INQUIRY], metrics=metrics,
                     variants={"planned": {"truth": "deliberate"}})
    assert trace(reverse.log, kinds=("evidence",)) == [
        (60.0, "evidence evidence=inquiry outcome=planned hypothesis=deliberate")]
    # the metric reads the variant's truth of the further question, not the file's
    assert MetricSet(reverse.scenario).compute(reverse.log, reverse.truths)["knows"] == 60.0
    assert MetricSet(reverse.scenario).compute(reverse.log)["knows"] is None  # the file's: never


def test_hypothesis_ids_are_unique_across_questions_and_further_questions_have_ids() -> None:
    clash = {**INTENT, "hypotheses": [{"id": "red", "label": "x"}, {"id": "accident", "label": "y"}]}
    with pytest.raises(ScenarioError, match="hypothesis id 'red' is already used"):
        build(questions=[clash])
    with pytest.raises(ScenarioError, match="a further question needs an 'id'"):
        build(questions=[{k: v for k, v in INTENT.items() if k != "id"}])
    with pytest.raises(ScenarioError, match=r"starting beliefs on .intent. add up to 0\.500"):
        build(questions=[INTENT], actors=[actor("a", beliefs={"intent": {"deliberate": 0.5}}),
                                          actor("b")])
