"""Whether the far end answers, and when an arranged call can take place. No SimPy here."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sim.scenario.channels import AnswerModel

#: Log-odds are clamped here, so that a base of exactly 0 or 1 stays finite.
_EDGE = 1e-9

#: Arranged calls are put on this grid of minutes, as staffs book them.
SLOT = 15.0


def answer_probability(answer: Any, value: Callable[[Any], float], *, arranged: bool,
                       off_duty: bool, trust: float, gap: int, busy: int) -> float:
    """The chance that the callee answers, from a plain probability or an `AnswerModel`.

    Args:
        answer: the channel's `answer`: a number, a `$parameter`, or a model.
        value: reads numbers and `$parameters`.
        arranged: the call was placed at a slot both sides agreed.
        off_duty: the callee is off duty now.
        trust: the callee's trust in the caller.
        gap: rungs the caller stands above the callee on the ladder (negative: below).
        busy: calls and meetings the callee had in the last hour.
    """
    if not isinstance(answer, AnswerModel):
        return value(answer)
    p = min(max(value(answer.base), _EDGE), 1 - _EDGE)
    z = (math.log(p / (1 - p)) + value(answer.arranged) * arranged
         + value(answer.off_duty) * off_duty + value(answer.trust) * (trust - 0.5)
         + value(answer.posture_gap) * max(gap, 0) + value(answer.busy) * busy)
    return 1 / (1 + math.exp(-z))


def first_slot(earliest: float, latest: float, free: Callable[[float], bool]) -> float | None:
    """The first minute on the 15-minute grid, from `earliest` to `latest`, at which `free` holds."""
    t = math.ceil(earliest / SLOT - 1e-9) * SLOT
    while t <= latest:
        if free(t):
            return t
        t += SLOT
    return None


__all__ = ["SLOT", "answer_probability", "first_slot"]
