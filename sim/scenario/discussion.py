"""Debrief questions that ask about what happened: a question may name the metrics it needs.

A plain string is asked after every run, as before. A question written as
`{ask: TEXT, if: [METRIC...], unless: [METRIC...]}` is asked only when every `if` metric
happened and no `unless` metric did, so a debrief does not ask about an alert that never went
out. A metric "happened" when its time is not never, its level was reached, or its count is
above zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field

from sim.scenario.common import STRICT

#: Metric kinds whose value is a time (None: never).
TIME_KINDS = ("first", "contact", "belief_true")


class DebriefQuestion(BaseModel):
    """A debrief question asked only when the metrics it names happened (or did not)."""

    model_config = STRICT
    ask: str
    """The question."""
    if_: list[str] = Field(default=[], alias="if")
    """Metric ids that must all have happened for the question to be asked."""
    unless: list[str] = []
    """Metric ids none of which may have happened."""


def happened(kind: str, value: Any) -> bool:
    """Whether a metric's value says its event happened."""
    if kind in TIME_KINDS:
        return value is not None
    return bool(value)


def questions_for(discussion: Sequence[str | DebriefQuestion], kinds: Mapping[str, str],
                  values: Mapping[str, Any] | None) -> list[str]:
    """The questions to ask after a run with these metric values (None: ask them all).

    Args:
        discussion: the scenario's `discussion` list.
        kinds: each metric's kind, by id.
        values: each metric's value in the run, by id; None when unknown.
    """
    out = []
    for q in discussion:
        if isinstance(q, str):
            out.append(q)
            continue
        if values is None or (all(happened(kinds[m], values.get(m)) for m in q.if_)
                              and not any(happened(kinds[m], values.get(m)) for m in q.unless)):
            out.append(q.ask)
    return out
