"""Channels: calls, messages, broadcasts and meetings, with their delays, failures and windows."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from sim.scenario.common import STRICT, Sourced, Window
from sim.scenario.distributions import Distribution
from sim.scenario.escalation import Decision
from sim.scenario.values import (
    CountValue,
    DurationValue,
    Id,
    NumberValue,
    Probability,
    _probability,
    empty,
    invalid,
    shown,
)

_NOW = Distribution(fixed=0.0)


class ChannelBase(Sourced):
    """What every channel has: an id, a name, and the windows when it works."""

    id: Id
    """Unique id, used by rules, actions and metrics."""
    name: str = ""
    """What people call it, e.g. `Milley–Gerasimov line`."""
    description: str = ""
    """What it is and how it was used."""
    up: list[Window] | None = None
    """If given, the channel works only within these spans."""
    down: list[Window] = empty(list)
    """Spans when the channel does not work at all."""


class Retry(BaseModel):
    """How a caller tries again after an unanswered or failed call."""

    model_config = STRICT
    attempts: CountValue = 0
    """Further attempts after the first one."""
    interval: Distribution = Distribution(fixed="30m")
    """Wait between one attempt's end and the next."""


class AnswerModel(BaseModel):
    """The chance that the far end answers, by the situation: a logistic model.

    log-odds = logit(base) + arranged·[an agreed slot] + off_duty·[callee off duty]
    + trust·(callee's trust in the caller − 0.5) + posture_gap·(rungs the caller stands above
    the callee) + busy·(calls and meetings the callee had in the last hour).
    """

    model_config = STRICT
    base: Probability
    """Chance for a cold call in working hours, at trust 0.5, with no posture gap."""
    arranged: NumberValue = 0.0
    """Log-odds added for a call at a slot both sides agreed."""
    off_duty: NumberValue = 0.0
    """Log-odds added when the callee is off duty."""
    trust: NumberValue = 0.0
    """Log-odds per unit of the callee's trust in the caller above 0.5."""
    posture_gap: NumberValue = 0.0
    """Log-odds per rung the caller stands above the callee on the ladder."""
    busy: NumberValue = 0.0
    """Log-odds per call or meeting the callee had in the last hour."""


def _answer(value: Any) -> Any:
    # a mapping is the model; anything else is read as a plain probability, with one message
    return AnswerModel.model_validate(value) if isinstance(value, dict) else _probability(value)


class CallChannel(ChannelBase):
    """A point-to-point line: needs both ends free, rings, may go unanswered."""

    kind: Literal["call"]
    """A call channel."""
    ends: list[Id] = Field(min_length=2, max_length=2)
    """The two actors it links; either may call the other."""
    setup: Distribution = _NOW
    """Time to set the call up (switchboards, staff connecting the principals)."""
    capacity: CountValue | None = Field(None, json_schema_extra={"deprecated": True})
    """Retired and ignored (the loader warns): both ends are busy on a call, so a line never
    carries more than one at a time. Still accepted so that older files load."""
    answer: Annotated[AnswerModel | Probability, BeforeValidator(_answer)] = 1.0
    """Probability the other end picks up when it can (the far side's willingness): a number,
    or a model of the situation (`base`, `arranged`, `off_duty`, `trust`, `posture_gap`, `busy`)."""
    accept_request: Probability = 1.0
    """Chance the far end's staff agrees a slot when asked to arrange a call (`arrange`)."""
    ring_timeout: DurationValue = 2.0
    """How long the call rings before the caller gives up this attempt."""
    retry: Retry = Retry()
    """What the caller does after a failed attempt."""
    duration: Distribution = Distribution(fixed="15m")
    """How long a connected call lasts."""
    turns: CountValue = 1
    """Moves each side makes on a connected call, the caller first."""


class MessageChannel(ChannelBase):
    """Written messages between members: latency, possible loss, an inbox at the far end."""

    kind: Literal["message"]
    """A message channel."""
    members: list[Id] = Field(min_length=2)
    """Actors who may send to each other over it."""
    latency: Distribution = _NOW
    """Time from sending to arriving."""
    loss: Probability = 0.0
    """Probability a message never arrives."""


def _audience(value: Any) -> Any:
    # one clear message instead of one for each member of the union
    if isinstance(value, list) or value == "all":
        return value
    raise invalid(
        "audience", "{value} is not an audience; expected a list of actor ids, or 'all'",
        {"value": shown(value)},
    )


class BroadcastChannel(ChannelBase):
    """Press wire, social media, official statements: fast, wide, not always true."""

    kind: Literal["broadcast"]
    """A broadcast channel."""
    publishers: list[Id] = Field(min_length=1)
    """Actors who may publish on it."""
    audience: Annotated[list[Id] | Literal["all"], BeforeValidator(_audience)] = "all"
    """Actors who follow it; `all` for every actor."""
    latency: Distribution = _NOW
    """Time from publishing to reaching a follower."""
    public: bool = True
    """Whether what is published here is public (counts as a public attribution)."""


class MeetingChannel(ChannelBase):
    """A meeting of members that convenes after a delay and pools what each knows."""

    kind: Literal["meeting"]
    """A meeting channel."""
    members: list[Id] = Field(min_length=2)
    """Actors who sit in it."""
    convene: Distribution = Distribution(fixed="1h")
    """Time from the request to the meeting's start."""
    decisions: list[Decision] = empty(list)
    """What it decides when it sits, each by a rule over its members (see `Decision`)."""
    duration: Distribution = Distribution(fixed="1h")
    """How long it sits; members are busy meanwhile."""


#: Any channel, told apart by `kind`.
Channel = Annotated[
    CallChannel | MessageChannel | BroadcastChannel | MeetingChannel, Field(discriminator="kind")
]

CHANNEL_KINDS = ("call", "message", "broadcast", "meeting")
