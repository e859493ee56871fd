"""Parts shared across the language: sourcing, time windows, an exactly-one-of check."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, model_validator

from sim.scenario.values import STRICT, Id, TimePoint, as_list, empty, invalid

#: The timeline's confidence code of a fact.
Confidence = Literal["C", "R", "E", "X"]


class Sourced(BaseModel):
    """Something that may rest on sources: historical facts must say which, and how sure."""

    model_config = STRICT
    source: Annotated[list[Id], BeforeValidator(as_list)] = empty(list)
    """Ids of entries in the scenario's `sources` list."""
    confidence: Confidence | None = None
    """C confirmed, R reported once, E estimate (say how in `note`), X conflicting reports."""
    note: str | None = None
    """How the value was derived, especially for estimates."""


class Window(BaseModel):
    """A span of scenario time, from `start` to `end` (offsets like `+2h` or ISO instants)."""

    model_config = STRICT
    start: TimePoint
    """When the span begins."""
    end: TimePoint
    """When it ends; must not come before `start`."""
    note: str | None = None
    """Why the span is there."""

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if isinstance(self.start, float) and isinstance(self.end, float) and self.end < self.start:
            raise invalid("window", "the window ends before it starts", {})
        return self


class OneOf(BaseModel):
    """A mapping of which exactly one key is set, as in `when: {inject: strike}`."""

    model_config = STRICT

    @model_validator(mode="after")
    def _exactly_one(self) -> OneOf:
        fields = type(self).model_fields
        chosen = [f.alias or n for n, f in fields.items() if getattr(self, n) is not None]
        if len(chosen) != 1:
            names = ", ".join(f.alias or n for n, f in fields.items())
            raise invalid(
                "one_of",
                "expected exactly one of: {names}; got {got}",
                {"names": names, "got": ", ".join(chosen) or "none"},
            )
        return self

    @cached_property
    def kind(self) -> str:
        """The one key that is set (looked up once: the engine asks on every event)."""
        return next(n for n in type(self).model_fields if getattr(self, n) is not None)


__all__ = ["STRICT", "Confidence", "Id", "OneOf", "Sourced", "Window"]
