"""Pure policy: which triggers match and which conditions hold. No SimPy here.

Beliefs update in `sim.engine.ledger`; this module reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.scenario.events import BeliefTest, Condition, PostureTest, Trigger

Belief = dict[str, float]


def leading(belief: Mapping[str, float]) -> tuple[str, float]:
    """The most probable hypothesis and its probability (first in order on ties)."""
    best = max(belief, key=lambda h: belief[h])
    return best, belief[best]


def belief_holds(test: BeliefTest, belief: Mapping[str, float]) -> bool:
    """Whether the belief is in the tested range."""
    p = belief.get(test.hypothesis, 0.0)
    return (test.above is None or p >= test.above) and (test.below is None or p < test.below)


def posture_holds(test: PostureTest, level: int, index: Mapping[str, int]) -> bool:
    """Whether a ladder rung is in the tested range."""
    return ((test.at_least is None or level >= index[test.at_least])
            and (test.at_most is None or level <= index[test.at_most]))


def trigger_matches(trigger: Trigger, kind: str, info: Mapping[str, Any]) -> bool:
    """Whether an occurrence of `kind` with `info` sets off `trigger`.

    Args:
        trigger: the rule's or inject's trigger.
        kind: which trigger field the occurrence is (`inject`, `received`, ...).
        info: the occurrence's details (inject id, hypothesis, origin, confidence, counterpart,
            channel, old and new belief or level).
    """
    if trigger.kind != kind:
        return False
    if kind in ("start", "at"):
        return True
    if kind == "inject":
        return trigger.inject == info.get("inject")
    if kind == "received":
        test = trigger.received
        return ((test.hypothesis is None or test.hypothesis == info.get("hypothesis"))
                and (test.origin is None or test.origin == info.get("origin"))
                and info.get("confidence", 0.0) >= test.min_confidence
                and all(want is None or want == info.get(name) for name, want in (
                    ("channel", test.channel), ("inject", test.inject), ("rule", test.rule),
                    ("tag", test.tag))))
    if kind == "belief":
        return (belief_holds(trigger.belief, info["new"])
                and not belief_holds(trigger.belief, info["old"]))
    if kind == "contact":
        return trigger.contact == info.get("counterpart")
    if kind == "call_failed":
        test = trigger.call_failed
        return ((test.to is None or test.to == info.get("counterpart"))
                and (test.channel is None or test.channel == info.get("channel")))
    if kind == "posture":
        index = info["index"]
        return (posture_holds(trigger.posture, info["new"], index)
                and not posture_holds(trigger.posture, info["old"], index))
    if kind == "meeting":
        return trigger.meeting == info.get("channel")
    if kind == "evidence":
        return trigger.evidence == info.get("evidence")
    if kind == "observed_posture":
        test = trigger.observed_posture
        index = info["index"]
        return (test.of == info.get("of") and posture_holds(test, info["new"], index)
                and not posture_holds(test, info["old"], index))
    if kind == "accused":
        test = trigger.accused
        return ((test.public is None or test.public == info.get("public"))
                and info.get("confidence", 0.0) >= test.min_confidence)
    if kind == "decision":
        return trigger.decision.id == info.get("decision") and trigger.decision.passed == info.get("passed")
    if kind == "move":
        test = trigger.move
        return ((test.move is None or test.move == info.get("move"))
                and (test.from_ is None or test.from_ == info.get("counterpart"))
                and (test.measure is None or test.measure == info.get("measure")))
    if kind == "agreed":
        return trigger.agreed == info.get("measure")
    if kind == "missed_call":
        test = trigger.missed_call
        return ((test.from_ is None or test.from_ == info.get("counterpart"))
                and (test.channel is None or test.channel == info.get("channel")))
    return False


def condition_holds(cond: Condition, *, now: float, belief: Mapping[str, float], level: int,
                    index: Mapping[str, int], contacts: set[str], value: Any,
                    perceived: Mapping[str, int] | None = None) -> bool:
    """Whether a rule's condition holds for its actor now.

    `perceived` is the rung at which the actor last saw each other actor's posture; an actor it
    has not observed stands, for it, at the ladder's foot.
    """
    if cond.observed_posture is not None:
        seen = (perceived or {}).get(cond.observed_posture.of, 0)
        return posture_holds(cond.observed_posture, seen, index)
    if cond.belief is not None:
        return belief_holds(cond.belief, belief)
    if cond.posture is not None:
        return posture_holds(cond.posture, level, index)
    if cond.contacted is not None:
        return cond.contacted in contacts
    if cond.not_contacted is not None:
        return cond.not_contacted not in contacts
    if cond.after is not None:
        return now >= value(cond.after)
    return now < value(cond.before)
