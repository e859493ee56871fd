"""Escalation in the language: who watches whose posture, and decisions a meeting takes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from sim.scenario.common import STRICT, Sourced
from sim.scenario.distributions import Distribution
from sim.scenario.events import Condition
from sim.scenario.values import Id, Probability, as_list, empty


class Observation(Sourced):
    """An actor watching others' actual posture (readiness, moves), late and not always right."""

    observer: Id
    """Who watches."""
    of: Annotated[list[Id], BeforeValidator(as_list)] = Field(min_length=1)
    """Whose posture it watches."""
    delay: Distribution = Distribution(fixed=0.0)
    """Time from a change of posture to the observer's seeing it."""
    error: Probability = 0.0
    """Chance that what it sees is off by one rung, up or down."""


class Decision(BaseModel):
    """A decision a meeting takes by a rule over the members present, each by its own conditions."""

    model_config = STRICT
    id: Id
    """Unique id; triggers and metrics name it."""
    label: str = ""
    """The decision in words."""
    rule: Literal["any", "majority", "all"] = "all"
    """Passes if any member, a majority, or every member present is for it (consensus)."""
    if_: list[Condition] = Field(default_factory=list, alias="if", json_schema_extra={"default": []})
    """What must hold for a member to be for it, checked for each member."""
    members: Annotated[list[Id], BeforeValidator(as_list)] = empty(list)
    """Only these members vote (the allies in a council with guests); empty: all present."""


__all__ = ["Decision", "Observation"]
