"""What is said on a connected call: the moves an actor may make, as data."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, model_validator

from sim.scenario.common import STRICT
from sim.scenario.events import Claim, Condition
from sim.scenario.values import Id, NumberValue, as_list, empty, invalid

#: What a move does: say (a claim, or its whole assessment), share evidence it holds, deny,
#: ask, warn, reassure, stall, propose a step; accept and refuse answer a proposal.
MoveKind = Literal["say", "share", "deny", "ask", "warn", "reassure", "stall", "propose",
                   "accept", "refuse"]

#: Moves that answer a proposal rather than open a turn.
ANSWERS = ("accept", "refuse")


class Move(BaseModel):
    """One move an actor may make on a connected call, chosen by weight among those that hold."""

    model_config = STRICT
    move: MoveKind
    """What it does."""
    weight: NumberValue = 1.0
    """Relative chance among the moves whose conditions hold."""
    if_: list[Condition] = Field(default_factory=list, alias="if", json_schema_extra={"default": []})
    """When the actor may make it (its own state)."""
    with_: Annotated[list[Id], BeforeValidator(as_list)] = Field(
        default_factory=list, alias="with", json_schema_extra={"default": []})
    """Only on calls with these actors, or in these meetings (their ids); empty: anywhere."""
    claim: Claim | None = None
    """For say and deny: what it asserts (without one, say passes the whole assessment)."""
    evidence: Annotated[list[Id], BeforeValidator(as_list)] = empty(list)
    """For share: the evidence sources it passes on, if it holds them; empty: all it may share."""
    measure: Id | None = None
    """For propose, accept and refuse: the step (a stand-down, a joint investigation)."""
    text: str = ""
    """Words for the feed."""

    @model_validator(mode="after")
    def _measure(self) -> Move:
        if self.move in ("propose", *ANSWERS) and self.measure is None:
            raise invalid("move", "a {move} move names its 'measure'; expected e.g. "
                          "measure: joint-investigation", {"move": self.move})
        return self


__all__ = ["ANSWERS", "Move", "MoveKind"]
