"""Parts shared across the language: sourcing, time windows, an exactly-one-of check."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

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


def exactly_one_key(schema: JsonSchemaValue) -> None:
    """Make an object's JSON Schema say what `OneOf` checks: exactly one key is set, not to null.

    One alternative per key, each requiring that key with a value; `oneOf` holds when exactly one
    alternative does. (`maxProperties: 1` would also refuse `{at: 2h, inject: null}`, which the
    loader takes.)
    """
    schema["oneOf"] = [{"required": [key], "properties": {key: {"not": {"type": "null"}}}}
                       for key in schema["properties"]]


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

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler,
                                     ) -> JsonSchemaValue:
        json_schema = handler(core_schema)
        exactly_one_key(handler.resolve_ref_schema(json_schema))
        return json_schema

    @cached_property
    def kind(self) -> str:
        """The one key that is set (looked up once: the engine asks on every event)."""
        return next(n for n in type(self).model_fields if getattr(self, n) is not None)


__all__ = ["STRICT", "Confidence", "Id", "OneOf", "Sourced", "Window", "exactly_one_key"]
