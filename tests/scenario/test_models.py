"""The models: exactly-one-of mappings, tagged unions by `kind`, frozen values, instants, helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from sim.scenario import load_scenario
from sim.scenario.actors import Actor, WorkingHours
from sim.scenario.channels import BroadcastChannel, CallChannel, Channel, MeetingChannel, MessageChannel
from sim.scenario.common import Window
from sim.scenario.events import Action, Condition, Inject, PostureAction, Trigger
from sim.scenario.models import (
    BeliefTrueMetric,
    ContactMetric,
    FailedCallsMetric,
    FirstEventMetric,
    Metric,
    PeakPostureMetric,
    ReachedMetric,
)

TINY = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "tiny.yaml"
START = datetime(2022, 11, 15, 12, 0, tzinfo=UTC)


def only_error(model: Any, value: Any) -> tuple[tuple[Any, ...], str]:
    with pytest.raises(ValidationError) as info:
        TypeAdapter(model).validate_python(value, context={"start": START})
    (err,) = info.value.errors()
    return err["loc"], err["msg"]


# -- exactly one of -------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "kind"), [
    ({"start": True}, "start"),
    ({"at": "+6h"}, "at"),
    ({"inject": "boom"}, "inject"),
    ({"received": {"hypothesis": "red"}}, "received"),
    ({"belief": {"hypothesis": "red", "above": 0.7}}, "belief"),
    ({"contact": "b"}, "contact"),
    ({"call_failed": {}}, "call_failed"),
    ({"posture": {"at_least": "alert"}}, "posture"),
    ({"meeting": "nac"}, "meeting"),
])
def test_a_trigger_is_exactly_one_key(value: dict[str, Any], kind: str) -> None:
    assert Trigger.model_validate(value, context={"start": START}).kind == kind


def test_a_trigger_with_none_or_two_keys_is_refused() -> None:
    names = ("start, at, inject, received, belief, contact, call_failed, posture, meeting, evidence, "
             "missed_call, observed_posture, accused, decision, move, agreed")
    assert only_error(Trigger, {}) == ((), f"expected exactly one of: {names}; got none")
    assert only_error(Trigger, {"start": True, "contact": "b"}) == (
        (), f"expected exactly one of: {names}; got start, contact")


def test_conditions_and_actions_are_exactly_one_key() -> None:
    assert Condition.model_validate({"not_contacted": "b"}).kind == "not_contacted"
    assert Action.model_validate({"convene": "nac"}).kind == "convene"
    assert only_error(Condition, {"after": "1h", "before": "2h"}) == (
        (), "expected exactly one of: belief, posture, contacted, not_contacted, after, before, "
            "observed_posture, happened, in_contact, on_duty, local_time; got after, before")
    assert only_error(Action, {}) == (
        (), "expected exactly one of: call, arrange, message, statement, posture, convene; got none")


def test_posture_actions_name_the_raise_key_as_written() -> None:
    assert PostureAction.model_validate({"raise": 2}).raise_ == 2
    assert only_error(PostureAction, {"raise": 1, "set": "alert"}) == (
        (), "expected exactly one of: set, raise, lower; got set, raise")


def test_an_inject_is_timed_by_at_or_when_unless_optional() -> None:
    ctx = {"start": START}
    assert Inject.model_validate({"id": "i", "title": "x", "at": "1h", "to": "a"}, context=ctx).to == ["a"]
    assert Inject.model_validate({"id": "i", "title": "x", "optional": True, "to": ["a"]}).at is None
    assert only_error(Inject, {"id": "i", "title": "x", "to": ["a"]}) == (
        (), "expected exactly one of 'at' or 'when' (or 'optional: true')")
    assert only_error(Inject, {"id": "i", "title": "x", "at": "1h"}) == (
        (), "the inject reaches nobody; expected 'to' (actors) or 'via' (a broadcast)")


# -- tagged unions ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "model"), [
    ({"id": "c", "kind": "call", "ends": ["a", "b"]}, CallChannel),
    ({"id": "c", "kind": "message", "members": ["a", "b"]}, MessageChannel),
    ({"id": "c", "kind": "broadcast", "publishers": ["a"]}, BroadcastChannel),
    ({"id": "c", "kind": "meeting", "members": ["a", "b"]}, MeetingChannel),
])
def test_channels_are_told_apart_by_kind(value: dict[str, Any], model: type[BaseModel]) -> None:
    assert type(TypeAdapter(Channel).validate_python(value)) is model


@pytest.mark.parametrize(("value", "model"), [
    ({"kind": "first", "event": {"kind": "statement"}}, FirstEventMetric),
    ({"kind": "contact", "between": ["a", "b"]}, ContactMetric),
    ({"kind": "failed_calls"}, FailedCallsMetric),
    ({"kind": "belief_true", "actor": "a"}, BeliefTrueMetric),
    ({"kind": "peak_posture"}, PeakPostureMetric),
    ({"kind": "reached", "level": "alert"}, ReachedMetric),
])
def test_metrics_are_told_apart_by_kind(value: dict[str, Any], model: type[BaseModel]) -> None:
    metric = TypeAdapter(Metric).validate_python({"id": "m", "label": "M", **value})
    assert type(metric) is model


def test_a_union_member_only_accepts_its_own_fields() -> None:
    loc, msg = only_error(Channel, {"id": "c", "kind": "broadcast", "publishers": ["a"], "ends": ["a", "b"]})
    assert (loc, msg) == (("broadcast", "ends"), "Extra inputs are not permitted")


def test_broadcast_audience_is_a_list_or_all() -> None:
    base = {"id": "c", "kind": "broadcast", "publishers": ["a"]}
    assert TypeAdapter(Channel).validate_python(base).audience == "all"
    assert TypeAdapter(Channel).validate_python({**base, "audience": ["a"]}).audience == ["a"]
    assert only_error(Channel, {**base, "audience": "some"}) == (
        ("broadcast", "audience"), "'some' is not an audience; expected a list of actor ids, or 'all'")


# -- frozen -----------------------------------------------------------------------------------


def test_models_are_frozen() -> None:
    scenario = load_scenario(TINY)
    with pytest.raises(ValidationError, match="frozen"):
        scenario.id = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        scenario.actors[0].name = "Someone"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        scenario.channel("line").retry.attempts = 9  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        scenario.rules[0].when.inject = "other"  # type: ignore[misc]


def test_unknown_fields_are_refused_everywhere() -> None:
    assert only_error(WorkingHours, {"start": "07:00", "end": "17:00", "lunch": "12:00"}) == (
        ("lunch",), "Extra inputs are not permitted")


# -- instants and windows ---------------------------------------------------------------------


def test_inject_times_may_be_instants() -> None:
    ctx = {"start": START}
    inject = Inject.model_validate({"id": "i", "title": "x", "to": ["a"], "at": "2022-11-15T13:40:00+01:00"},
                                   context=ctx)
    assert inject.at is not None
    assert inject.at.fixed == 40.0
    spread = Inject.model_validate({"id": "i", "title": "x", "to": ["a"], "at": {
        "uniform": {"low": "2022-11-15T12:10:00Z", "high": "1h"}}}, context=ctx)
    assert spread.at is not None
    assert spread.at.uniform is not None
    assert (spread.at.uniform.low, spread.at.uniform.high) == (10.0, 60.0)


def test_an_inject_cannot_come_before_the_start() -> None:
    assert only_error(Inject, {"id": "i", "title": "x", "to": ["a"], "at": "2022-11-15T11:00:00Z"}) == (
        ("at",), "'2022-11-15T11:00:00Z' is before the scenario's start; expected an instant at or "
                 "after 2022-11-15T12:00:00+00:00")


def test_windows_are_ordered() -> None:
    assert Window.model_validate({"start": "+1h", "end": "2022-11-15T14:00:00Z"},
                                 context={"start": START}).end == 120.0
    assert only_error(Window, {"start": "2h", "end": "1h"}) == ((), "the window ends before it starts")


# -- actors -------------------------------------------------------------------------------------


def actor(**fields: Any) -> dict[str, Any]:
    return {"id": "a", "name": "A", "side": "x", "timezone": "UTC", **fields}


def test_actor_defaults() -> None:
    a = Actor.model_validate(actor())
    assert (a.playable, a.no_answer, a.trust_default, a.belief, a.posture) == (False, 0.0, 0.5, None, None)
    assert a.off_duty_delay.fixed == 0.0


def test_starting_beliefs_add_up_to_one() -> None:
    close_enough = {"red": 0.3, "blue": 0.705}
    assert Actor.model_validate(actor(belief=close_enough)).belief == close_enough
    assert only_error(Actor, actor(belief={"red": 0.3, "blue": 0.3})) == (
        ("belief",), "starting beliefs add up to 0.600; expected them to add up to 1")


def test_working_hours() -> None:
    hours = WorkingHours(start="07:30", end="17:00")
    assert hours.minutes() == (450, 1020)
    assert only_error(WorkingHours, {"start": "7:30", "end": "17:00"}) == (
        ("start",), "'7:30' is not a time of day; expected HH:MM, e.g. 07:30")


# -- the scenario -----------------------------------------------------------------------------


def test_scenario_helpers() -> None:
    scenario = load_scenario(TINY)
    assert scenario.actor("b").name == "General B"
    assert scenario.channel("news").kind == "broadcast"
    assert scenario.level_index("routine") == 0
    assert scenario.level_index("alert") == 1
    assert scenario.start == START
    assert scenario.turn == 60.0


# -- the role of a historical value ----------------------------------------------------------


@pytest.mark.parametrize("role", ["fitted", "held-out", "anchored"])
def test_a_historical_value_declares_its_role(role: str) -> None:
    metric = TypeAdapter(Metric).validate_python(
        {"id": "m", "kind": "first", "label": "M", "event": {"kind": "statement"},
         "historical": {"role": role, "at": "2h"}}, context={"start": START})
    assert metric.historical.role == role


def test_a_historical_value_without_a_role_is_fitted_as_before_roles_existed() -> None:
    assert [m.historical.role for m in load_scenario(TINY).metrics if m.historical] == ["fitted"]


def test_an_unknown_role_names_the_three_that_exist() -> None:
    loc, msg = only_error(Metric, {"id": "m", "kind": "first", "label": "M",
                                   "event": {"kind": "statement"},
                                   "historical": {"role": "guessed", "at": "2h"}})
    assert loc[-2:] == ("historical", "role")
    assert "'fitted', 'held-out' or 'anchored'" in msg
