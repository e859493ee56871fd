"""The JSON Schema of the scenario language as people write it, for editors and tools.

Generated from the models, never kept by hand. The value types carry their written forms
(`sim.scenario.values`: durations, time points, probabilities, counts, `$parameters`), and so do
models with a shorthand (`Distribution`, the exactly-one-key mappings of `OneOf`). What the
before-validators of the language let a file write besides a field's type is added here, by the
validator function a field carries, so that every field using one is covered:
- `as_list`: the item alone stands for a list of one (`to: pl-president`);
- `instants_to_offsets`: every duration inside may be an ISO instant (an inject's `at`).
An instant that must carry its zone (`AwareDatetime`, the scenario's `start`) gets a pattern that
says so: `format: date-time` is only an annotation in draft 2020-12.
Defaults are shown as a file would write them (`30m`, not `30.0`).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonRef, JsonSchemaValue
from pydantic_core import core_schema

from sim.durations import format_duration
from sim.scenario.distributions import Distribution
from sim.scenario.models import Scenario
from sim.scenario.values import (
    DURATION_FORM,
    DURATION_VALUE_FORM,
    INSTANT_FORM,
    TIME_POINT_FORM,
    as_list,
    instants_to_offsets,
)

SCHEMA_ID = "https://hotline.invalid/scenario/v1/hotline.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


class WrittenLanguage(GenerateJsonSchema):
    """Pydantic's JSON Schema generator, taught the written forms that before-validators allow."""

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        """The schema of a field with a before-validator: its type, widened as the validator reads."""
        json_schema = super().function_before_schema(schema)
        function = schema["function"]["function"]
        if function is as_list and json_schema.get("type") == "array":
            return {"anyOf": [json_schema["items"], json_schema]}
        if function is instants_to_offsets:
            return self._with_instants(json_schema)
        return json_schema

    def _with_instants(self, json_schema: JsonSchemaValue) -> JsonSchemaValue:
        """A copy of a schema, definitions inlined, in which every duration may be an instant."""
        if isinstance(json_schema, list):
            return [self._with_instants(item) for item in json_schema]
        if not isinstance(json_schema, dict):
            return json_schema
        if json_schema.get("anyOf") == DURATION_VALUE_FORM["anyOf"]:  # a field's, with its description
            return {**json_schema, "anyOf": copy.deepcopy(TIME_POINT_FORM["anyOf"])}
        if "$ref" in json_schema:
            target = self.get_schema_from_definitions(JsonRef(json_schema["$ref"]))
            if target is None:  # not generated yet: a model must come before the field reading it
                raise LookupError(f"{json_schema['$ref']} is not defined yet")
            rest = {k: v for k, v in json_schema.items() if k != "$ref"}
            return {**self._with_instants(target), **rest}
        return {key: self._with_instants(value) for key, value in json_schema.items()}

    def datetime_schema(self, schema: core_schema.DatetimeSchema) -> JsonSchemaValue:
        """An instant; one that must carry its zone (`AwareDatetime`) says so in its pattern.

        Without `format: date-time`, which editors read as strict RFC 3339 (seconds, a `T`) and
        would flag `2022-11-15 14:30Z`, which the loader takes.
        """
        json_schema = super().datetime_schema(schema)
        if schema.get("tz_constraint") == "aware":
            return {k: v for k, v in {**json_schema, **INSTANT_FORM}.items() if k != "format"}
        return json_schema

    def encode_default(self, dft: Any) -> Any:
        """A model's default as a file would write it: `30m` for a fixed delay, `{}` for defaults."""
        if isinstance(dft, Distribution) and dft.name == "fixed" and not isinstance(dft.fixed, str):
            return format_duration(dft.fixed)
        if isinstance(dft, BaseModel):
            return super().encode_default(dft.model_dump(mode="json", by_alias=True, exclude_defaults=True))
        return super().encode_default(dft)

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        """A field with a default; a duration's default in minutes is written with its unit."""
        json_schema = super().default_schema(schema)
        default = json_schema.get("default")
        number = isinstance(default, int | float) and not isinstance(default, bool)
        if number and _takes_durations(json_schema):
            json_schema["default"] = format_duration(default)
        return json_schema


def _takes_durations(json_schema: JsonSchemaValue) -> bool:
    """Whether a field's schema is a duration's written form, alone or among alternatives."""
    for part in (json_schema, *json_schema.get("anyOf", ())):
        alternatives = part.get("anyOf", ())
        if alternatives == DURATION_FORM["anyOf"] or DURATION_FORM in alternatives:
            return True
    return False


def document_schema(model: type[BaseModel], title: str, schema_id: str) -> dict[str, Any]:
    """The JSON Schema of a YAML file holding one `model`, as an editor reads it."""
    out = model.model_json_schema(mode="validation", schema_generator=WrittenLanguage)
    out["$schema"] = DRAFT
    out["$id"] = schema_id
    out["title"] = title
    return out


def as_text(json_schema: dict[str, Any]) -> str:
    """A schema as stable, indented JSON text, as committed in `scenarios/`."""
    return json.dumps(json_schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file."""
    return document_schema(Scenario, "Hotline scenario", SCHEMA_ID)


def schema_text() -> str:
    """The scenario schema as committed in `scenarios/hotline.schema.json`."""
    return as_text(schema())
