"""Which move an actor makes on a call, and how it answers a proposal. No SimPy here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sim.scenario.moves import ANSWERS, Move

#: What an actor with no move that holds does: it passes on what it holds.
SAY = Move(move="say")


def open_moves(moves: Sequence[Move], other: str) -> list[Move]:
    """The moves that may open a turn with `other`: an actor on a call, or a meeting's id.

    Answers to proposals (accept, refuse) are left out: they only answer.
    """
    return [m for m in moves if m.move not in ANSWERS and (not m.with_ or other in m.with_)]


def choose(moves: Sequence[Move], holds: Callable[[Move], bool], weight: Callable[[Any], float],
           u: float) -> Move:
    """A move drawn by weight among those whose conditions hold; `SAY` if none does.

    `u` is one keyed uniform number: the choice is the inverse CDF over the candidates' weights,
    in the scenario's order.
    """
    candidates = [(m, max(weight(m.weight), 0.0)) for m in moves if holds(m)]
    total = sum(w for _, w in candidates)
    if total <= 0:
        return SAY
    u *= total
    for move, w in candidates:
        u -= w
        if u < 0:
            return move
    return candidates[-1][0]


def answer(moves: Sequence[Move], measure: str, other: str, holds: Callable[[Move], bool]) -> str:
    """`accept` if one of the actor's accept moves for the step holds, else `refuse`."""
    for m in moves:
        if m.move == "accept" and m.measure == measure and (not m.with_ or other in m.with_) \
                and holds(m):
            return "accept"
    return "refuse"


__all__ = ["SAY", "answer", "choose", "open_moves"]
