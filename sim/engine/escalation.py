"""Escalation measures and alliance rules, as pure functions of votes and of the event log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sim.engine.records import Record


def decide(votes: Sequence[bool], rule: str) -> bool:
    """Whether a decision passes: `any` member for it, a strict `majority`, or `all` (consensus).

    With nobody present to vote nothing passes, consensus included.
    """
    if not votes:
        return False
    yes = sum(votes)
    if rule == "any":
        return yes > 0
    if rule == "majority":
        return 2 * yes > len(votes)
    return yes == len(votes)


def false_premise_minutes(log: Iterable[Record], truth: str, start_levels: Mapping[str, int],
                          start_beliefs: Mapping[str, Mapping[str, float]], at_least: int,
                          end: float, actor: str | None = None) -> float:
    """Minutes actors spent at rung `at_least` or above while their leading hypothesis was wrong.

    Walks the log once, keeping each actor's rung and leading hypothesis, and adds up the spans
    in which both held; summed over actors (or for `actor` alone) up to minute `end`.
    """
    level = {a: lv for a, lv in start_levels.items() if actor is None or a == actor}
    wrong = {a: _leader(start_beliefs[a]) != truth for a in level}
    since: dict[str, float] = {a: 0.0 for a in level if level[a] >= at_least and wrong[a]}
    total = 0.0
    for r in log:
        a = r.actor
        if a not in level or r.kind not in ("posture", "belief"):
            continue
        if r.kind == "posture":
            level[a] = r.data["rung"]
        else:
            wrong[a] = _leader(r.data["belief"]) != truth
        exposed = level[a] >= at_least and wrong[a]
        if exposed and a not in since:
            since[a] = r.t
        elif not exposed and a in since:
            total += r.t - since.pop(a)
    return total + sum(end - t for t in since.values())


def _leader(belief: Mapping[str, float]) -> str:
    return max(belief, key=lambda h: belief[h])


__all__ = ["decide", "false_premise_minutes"]
