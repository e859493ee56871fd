"""Value types of the scenario language: ids, durations, probabilities, parameter references."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from sim.durations import DURATION_EXAMPLE, DURATION_PATTERN, DurationError, parse_duration


def invalid(kind: str, template: str, context: dict[str, Any] | None = None) -> PydanticCustomError:
    """A validation error whose message is `template` formatted with `context` (str.format)."""
    return PydanticCustomError(kind, template.format(**(context or {})))


#: Every model of the language is immutable and rejects fields it does not know; the docstring
#: under each field becomes its description in the JSON Schema, which editors show on hover.
STRICT = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, use_attribute_docstrings=True)

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
PARAM_PATTERN = r"^\$[A-Za-z_][A-Za-z0-9_-]*$"
_ID = re.compile(ID_PATTERN)
_PARAM = re.compile(PARAM_PATTERN)


def _id(value: Any) -> Any:
    if isinstance(value, str) and not _ID.match(value):
        raise invalid(
            "id",
            "{value!r} is not a valid id; expected lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit",
            {"value": value},
        )
    return value


#: An identifier: `pl-president`, `cjcs-cgs`.
Id = Annotated[str, BeforeValidator(_id), WithJsonSchema({
    "type": "string", "pattern": ID_PATTERN,
    "patternErrorMessage": "expected lower-case letters, digits, '-' or '_', starting with a letter or digit",
})]


def is_param(value: Any) -> bool:
    """Tell whether a value is a parameter reference such as `$cgs_answer`."""
    return isinstance(value, str) and value.startswith("$")


def _param(value: str) -> str:
    if not _PARAM.match(value):
        raise invalid(
            "param_ref",
            "{value!r} is not a parameter reference; expected '$' and a parameter name",
            {"value": value},
        )
    return value


def shown(value: Any) -> str:
    """A value as the YAML file spells it, for messages: `true`, `null`, `'5 minutes'`, `12`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else repr(value)


class Minutes(float):
    """An offset in minutes already computed from an ISO instant, which a duration accepts as is."""


def _duration(value: Any) -> Any:
    if isinstance(value, Minutes):
        return float(value)
    if isinstance(value, str):
        if value.startswith("$"):
            return _param(value)
        if value.startswith("+"):
            value = value[1:]
        try:
            return parse_duration(value)
        except DurationError:
            raise invalid(
                "duration", "{value!r} is not a duration; expected " + DURATION_EXAMPLE,
                {"value": value},
            ) from None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != 0:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        unit = " (a bare number has no unit)" if number else ""
        raise invalid(
            "duration", "{value} is not a duration; expected " + DURATION_EXAMPLE + unit,
            {"value": shown(value)},
        )
    return 0.0


_INSTANT = re.compile(r"^\d{4}-\d\d-\d\d[T ]")


def _timepoint(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, str) and _INSTANT.match(value):
        return _instant_offset(value, info)
    return _duration(value)


def instants_to_offsets(value: Any, info: ValidationInfo) -> Any:
    """Turn every ISO instant inside a raw value into minutes after the scenario's start."""
    if isinstance(value, str) and _INSTANT.match(value):
        minutes = _instant_offset(value, info)
        if minutes < 0:
            raise invalid(
                "instant", "{value!r} is before the scenario's start; expected an instant at or "
                "after {start}", {"value": value, "start": info.context["start"].isoformat()},
            )
        return Minutes(minutes)
    if isinstance(value, dict):
        return {k: instants_to_offsets(v, info) for k, v in value.items()}
    if isinstance(value, list):
        return [instants_to_offsets(v, info) for v in value]
    return value


def _instant_offset(text: str, info: ValidationInfo) -> float:
    """Minutes from the scenario's start (given in the validation context) to an ISO instant."""
    start: datetime | None = (info.context or {}).get("start")
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(
            "instant", "{value!r} is not an instant; expected e.g. 2022-11-15T14:40:00Z",
            {"value": text},
        ) from None
    if when.tzinfo is None:
        raise invalid(
            "instant", "{value!r} has no time zone; expected e.g. 2022-11-15T14:40:00Z",
            {"value": text},
        )
    if start is None:
        raise invalid(
            "instant", "{value!r} cannot be placed: the scenario's start is missing or invalid",
            {"value": text},
        )
    return (when - start).total_seconds() / 60


# The written forms of the value types: what the JSON Schema says a file may hold where a model
# has one of these types. Each is given once, here, so that every field of the type, now or
# later, gets it; sim/scenario/schema.py adds the forms that before-validators allow.

#: A duration as written: `90s`, `+4h`, `1d 6h`, or `0` (text or number).
DURATION_FORM: dict[str, Any] = {
    "anyOf": [
        # `_duration` drops one leading `+` (an offset, `+4h`) before parsing
        {"type": "string", "pattern": "^\\+?" + DURATION_PATTERN.removeprefix("^"),
         "errorMessage": "expected " + DURATION_EXAMPLE},  # shown by yaml-language-server
        {"const": 0},
    ],
    "description": "A duration: a number with a unit s, m, h or d, e.g. 90s, 20m, 2h, 1d 6h; or 0.",
    "examples": ["90s", "20m", "2h", "1d 6h"],
}
#: A `$parameter` reference as written.
PARAM_FORM: dict[str, Any] = {
    "type": "string",
    "pattern": PARAM_PATTERN,
    "patternErrorMessage": "expected '$' and a parameter name",
    "description": "A `$name` reference to one of the scenario's parameters.",
}
#: An ISO instant with its zone, as written; `_instant_offset` reads it.
INSTANT_FORM: dict[str, Any] = {
    "type": "string",
    "pattern": r"^\d{4}-\d\d-\d\d[T ]\d\d.*(Z|[+-]\d\d(:?\d\d)?(:?\d\d(\.\d+)?)?)$",
    "patternErrorMessage": "expected an ISO instant with a zone, e.g. 2022-11-15T14:40:00Z",
    "description": "An ISO instant with a zone, e.g. 2022-11-15T14:40:00Z.",
    "examples": ["2022-11-15T14:40:00Z"],
}
#: A duration or a `$parameter` holding one.
DURATION_VALUE_FORM: dict[str, Any] = {"anyOf": [DURATION_FORM, PARAM_FORM]}
#: A moment: an offset from the start, a `$parameter`, or an instant.
TIME_POINT_FORM: dict[str, Any] = {"anyOf": [DURATION_FORM, PARAM_FORM, INSTANT_FORM]}
_PROBABILITY_FORM: dict[str, Any] = {
    "type": "number", "minimum": 0, "maximum": 1, "description": "A probability from 0 to 1.",
}
_COUNT_FORM: dict[str, Any] = {"type": "integer", "minimum": 0, "description": "A whole number, 0 or more."}


def _fixed_duration(value: Any) -> Any:
    if is_param(value):
        raise invalid(
            "duration", "{value!r}: a parameter cannot be used here; expected " + DURATION_EXAMPLE,
            {"value": value},
        )
    return _duration(value)


#: A duration in minutes, written `20m`; never a parameter.
Duration = Annotated[float, BeforeValidator(_fixed_duration), WithJsonSchema(DURATION_FORM)]

#: A duration in minutes, or a `$parameter` holding one.
DurationValue = Annotated[
    float | str,
    BeforeValidator(_duration),
    WithJsonSchema(DURATION_VALUE_FORM),
]

#: A moment of the scenario: an offset from its start (`+4h`) or, where allowed, an ISO instant.
TimePoint = Annotated[
    float | str,
    BeforeValidator(_timepoint),
    WithJsonSchema(TIME_POINT_FORM),
]


def _probability(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        return _param(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(
            "probability", "{value} is not a probability; expected a number from 0 to 1",
            {"value": shown(value)},
        )
    if not 0 <= value <= 1:
        raise invalid(
            "probability", "probability {value} is out of range; expected a number from 0 to 1",
            {"value": value},
        )
    return float(value)


#: A probability from 0 to 1, or a `$parameter` holding one.
Probability = Annotated[
    float | str,
    BeforeValidator(_probability),
    WithJsonSchema({"anyOf": [_PROBABILITY_FORM, PARAM_FORM]}),
]


def _fixed_probability(value: Any) -> Any:
    if is_param(value):
        raise invalid(
            "probability", "{value!r}: a parameter cannot be used here; expected a number from 0 to 1",
            {"value": value},
        )
    return _probability(value)


#: A probability that parameters cannot move (starting beliefs, trust).
FixedProbability = Annotated[
    float,
    BeforeValidator(_fixed_probability),
    WithJsonSchema(_PROBABILITY_FORM),
]


def _number(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        return _param(value)
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole or value < 0:
        raise invalid("count", "{value} is not a count; expected a whole number, 0 or more",
                      {"value": shown(value)})
    return int(value)


#: A count that a parameter may move.
CountValue = Annotated[
    int | str,
    BeforeValidator(_number),
    WithJsonSchema({"anyOf": [_COUNT_FORM, PARAM_FORM]}),
]

def _real(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        return _param(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise invalid("number", "{value} is not a number; expected e.g. 1.5 or -2",
                      {"value": shown(value)})
    return float(value)


#: Any number, or a `$parameter` holding one (a coefficient, a weight).
NumberValue = Annotated[
    float | str,
    BeforeValidator(_real),
    WithJsonSchema({"anyOf": [{"type": "number", "description": "A number."}, PARAM_FORM]}),
]

#: The timeline's confidence codes: Confirmed, Reported once, Estimate, conflicting (X).
CONFIDENCE_CODES = ("C", "R", "E", "X")


def empty(kind: type[list[Any]] | type[dict[Any, Any]]) -> Any:
    """An empty list or dict as a field's default, shown as such in the JSON Schema.

    Made fresh for each model by a factory: pydantic deep-copies a literal `[]` default for every
    model it builds, which is most of the validation time of a scenario with 10,000 actors.
    """
    return Field(default_factory=kind, json_schema_extra={"default": kind()})


def as_list(value: Any) -> Any:
    """Let a single item stand for a list of one (`source: ap` means `source: [ap]`)."""
    return [value] if isinstance(value, str) else value
