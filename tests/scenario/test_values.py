"""Value types of the language (ids, durations, probabilities, counts, instants) and parameters."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from sim.scenario.models import Parameter, parse_param_value
from sim.scenario.values import (
    CountValue,
    Duration,
    DurationValue,
    FixedProbability,
    Id,
    Probability,
    TimePoint,
)

START = datetime(2022, 11, 15, 12, 0, tzinfo=UTC)


def ok(kind: Any, value: Any) -> Any:
    return TypeAdapter(kind).validate_python(value, context={"start": START})


def error(kind: Any, value: Any, context: dict[str, Any] | None = None) -> str:
    with pytest.raises(ValidationError) as info:
        TypeAdapter(kind).validate_python(value, context={"start": START} if context is None else context)
    (err,) = info.value.errors()
    return err["msg"]


@pytest.mark.parametrize("value", ["pl-president", "cjcs_cgs", "a", "9th-army"])
def test_ids(value: str) -> None:
    assert ok(Id, value) == value


@pytest.mark.parametrize("value", ["PL", "-a", "a b", "$a", "é"])
def test_not_ids(value: str) -> None:
    assert error(Id, value) == (f"{value!r} is not a valid id; expected lower-case letters, digits, "
                                "'-' or '_', starting with a letter or digit")


@pytest.mark.parametrize(("value", "minutes"), [("20m", 20.0), ("+2h", 120.0), ("1d 6h", 1800.0), (0, 0.0)])
def test_durations(value: Any, minutes: float) -> None:
    assert ok(Duration, value) == minutes
    assert ok(DurationValue, value) == minutes


def test_duration_values_may_be_parameters_but_durations_may_not() -> None:
    assert ok(DurationValue, "$setup") == "$setup"
    assert error(Duration, "$setup") == ("'$setup': a parameter cannot be used here; expected a "
                                         "duration like 90s, 20m, 2h or 1d 6h")


@pytest.mark.parametrize(("value", "message"), [
    (12, "12 is not a duration; expected a duration like 90s, 20m, 2h or 1d 6h "
         "(a bare number has no unit)"),
    (1.5, "1.5 is not a duration; expected a duration like 90s, 20m, 2h or 1d 6h "
          "(a bare number has no unit)"),
    (True, "true is not a duration; expected a duration like 90s, 20m, 2h or 1d 6h"),
    (None, "null is not a duration; expected a duration like 90s, 20m, 2h or 1d 6h"),
    ("5 minutes", "'5 minutes' is not a duration; expected a duration like 90s, 20m, 2h or 1d 6h"),
    ("$5", "'$5' is not a parameter reference; expected '$' and a parameter name"),
])
def test_not_durations(value: Any, message: str) -> None:
    assert error(DurationValue, value) == message


@pytest.mark.parametrize("value", [0, 0.25, 1, "$p"])
def test_probabilities(value: Any) -> None:
    assert ok(Probability, value) == value


@pytest.mark.parametrize(("value", "message"), [
    (1.5, "probability 1.5 is out of range; expected a number from 0 to 1"),
    (-0.1, "probability -0.1 is out of range; expected a number from 0 to 1"),
    ("half", "'half' is not a probability; expected a number from 0 to 1"),
    (False, "false is not a probability; expected a number from 0 to 1"),
])
def test_not_probabilities(value: Any, message: str) -> None:
    assert error(Probability, value) == message


def test_fixed_probabilities_refuse_parameters() -> None:
    assert ok(FixedProbability, 0.3) == 0.3
    assert error(FixedProbability, "$p") == ("'$p': a parameter cannot be used here; expected a "
                                             "number from 0 to 1")


@pytest.mark.parametrize(("value", "count"), [(0, 0), (3, 3), (2.0, 2), ("$n", "$n")])
def test_counts(value: Any, count: Any) -> None:
    result = ok(CountValue, value)
    assert result == count
    assert type(result) is type(count)


@pytest.mark.parametrize(("value", "shown"), [(-1, "-1"), (1.5, "1.5"), (True, "true"), ("two", "'two'"),
                                              (float("nan"), "nan")])
def test_not_counts(value: Any, shown: str) -> None:
    assert error(CountValue, value) == f"{shown} is not a count; expected a whole number, 0 or more"


@pytest.mark.parametrize(("value", "minutes"), [
    ("+4h", 240.0),
    ("2022-11-15T14:30:00Z", 150.0),
    ("2022-11-15T15:30:00+01:00", 150.0),
    ("2022-11-15T11:00:00Z", -60.0),
    ("$t", "$t"),
])
def test_time_points_are_offsets_from_the_start(value: str, minutes: Any) -> None:
    assert ok(TimePoint, value) == minutes


@pytest.mark.parametrize(("value", "context", "message"), [
    ("2022-11-15T14:30:00", None,
     "'2022-11-15T14:30:00' has no time zone; expected e.g. 2022-11-15T14:40:00Z"),
    ("2022-11-15 25:00Z", None, "'2022-11-15 25:00Z' is not an instant; expected e.g. 2022-11-15T14:40:00Z"),
    ("2022-11-15T14:30:00Z", {}, "'2022-11-15T14:30:00Z' cannot be placed: the scenario's start is "
                                 "missing or invalid"),
])
def test_not_time_points(value: str, context: dict[str, Any] | None, message: str) -> None:
    assert error(TimePoint, value, context) == message


# -- parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "raw", "value"), [
    ("probability", 0.5, 0.5),
    ("probability", "0.5", 0.5),
    ("duration", "2h", 120.0),
    ("duration", "+30m", 30.0),
    ("duration", 0, 0.0),
    ("number", -3.5, -3.5),
    ("count", 4, 4.0),
    ("count", "4", 4.0),
])
def test_parameter_values_by_type(kind: str, raw: Any, value: float) -> None:
    assert parse_param_value(kind, raw) == value


@pytest.mark.parametrize(("kind", "raw", "message"), [
    ("probability", 1.5, "probability 1.5 is out of range; expected a number from 0 to 1"),
    ("probability", True, "true is not a probability; expected a number"),
    ("count", float("inf"), "inf is not a count; expected a whole number, 0 or more"),
    ("duration", 0.5, "0.5 is not a duration; expected e.g. 20m, 2h, 1d 6h"),
    ("duration", "soon", "'soon' is not a duration; expected a duration like 90s, 20m, 2h or 1d 6h"),
    ("count", 1.5, "1.5 is not a count; expected a whole number, 0 or more"),
    ("count", -1, "-1 is not a count; expected a whole number, 0 or more"),
    ("number", "many", "'many' is not a number; expected a number"),
])
def test_parameter_values_that_do_not_fit_the_type(kind: str, raw: Any, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_param_value(kind, raw)


def test_parameter_value_checks_range() -> None:
    p = Parameter(type="duration", default="1m", range=["0m", "10m"])
    assert p.value("10m") == 10.0
    assert p.value("0m") == 0.0
    assert p.default_value == 1.0
    with pytest.raises(ValueError, match=r"^20m is out of range; expected 0m to 10m$"):
        p.value("20m")


def test_parameter_value_checks_choices() -> None:
    p = Parameter(type="count", default=2, choices=[1, 2, 4])
    assert p.value(4) == 4.0
    with pytest.raises(ValueError, match=r"^3 is not allowed; expected one of \[1, 2, 4\]$"):
        p.value(3)


@pytest.mark.parametrize(("fields", "loc", "message"), [
    ({"type": "probability", "default": 2}, ("default",),
     "probability 2 is out of range; expected a number from 0 to 1"),
    ({"type": "probability", "default": None}, ("default",), "null is not a probability; expected a number"),
    ({"type": "duration", "default": "1m", "range": ["0m", 10]}, ("range",),
     "10 is not a duration; expected e.g. 20m, 2h, 1d 6h"),
    ({"type": "duration", "default": "5m", "range": ["10m", "1m"]}, (),
     "range [10m, 1m] runs from high to low; expected [lowest, highest]"),
    ({"type": "probability", "default": 0.9, "range": [0, 0.5]}, (),
     "default 0.9 lies outside the range [0, 0.5]; expected a default within it"),
    ({"type": "count", "default": 3, "choices": [1, 2]}, (),
     "default 3 is not one of the choices [1, 2]; expected one of them"),
])
def test_bad_parameters_point_at_the_field_at_fault(fields: dict[str, Any], loc: tuple[str, ...],
                                                     message: str) -> None:
    with pytest.raises(ValidationError) as info:
        Parameter(**fields)
    (err,) = info.value.errors()
    assert (err["loc"], err["msg"]) == (loc, message)
