"""Actors: who they are, when they can be reached, how fast they respond, whom they trust."""

from __future__ import annotations

import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, BeforeValidator, Field, field_validator

from sim.scenario.common import STRICT, Sourced, Window
from sim.scenario.diagnostics import suggest
from sim.scenario.distributions import Distribution
from sim.scenario.moves import Move
from sim.scenario.values import FixedProbability, Id, Probability, empty, invalid

#: Admiralty (STANAG 2511) source-reliability letters, A completely reliable to F cannot be judged.
Letter = Literal["A", "B", "C", "D", "E", "F"]

_LETTERS = ("A", "B", "C", "D", "E", "F")


def _graded(value: object) -> object:
    """A letter stays a letter; any other text that is not a `$parameter` gets one clear message."""
    if isinstance(value, str) and not value.startswith("$") and value not in _LETTERS:
        raise invalid("reliability", "{value!r} is not a reliability; expected a number from 0 to 1 "
                      "or an Admiralty letter A–F", {"value": value})
    return value


#: A trust that parameters cannot move: a probability, or an Admiralty letter.
GradedTrust = Annotated[Letter | FixedProbability, BeforeValidator(_graded)]

#: A reliability: a probability (or `$parameter`), or an Admiralty letter.
GradedReliability = Annotated[Letter | Probability, BeforeValidator(_graded)]

#: Kinds of incoming contact an actor responds to, each with its own delay.
ResponseKind = Literal["call", "message", "broadcast", "meeting"]


def check_timezone(value: str) -> str:
    """Accept an IANA zone name such as `Europe/Warsaw`."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        long = len(value) > 80
        hint = "" if long else suggest(value, available_timezones())
        shown = value[:40] + "..." if long else value
        raise invalid(
            "timezone", "{value!r} is not a known time zone{hint}; expected an IANA name like "
            "Europe/Warsaw", {"value": shown, "hint": hint},
        ) from None
    return value


_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _clock(value: str) -> str:
    if not isinstance(value, str) or not _CLOCK.match(value):
        raise invalid(
            "clock", "{value!r} is not a time of day; expected HH:MM, e.g. 07:30", {"value": value}
        )
    return value


class WorkingHours(BaseModel):
    """The local hours an actor is on duty; `end` before `start` wraps past midnight."""

    model_config = STRICT
    start: str = Field(json_schema_extra={"pattern": _CLOCK.pattern})
    """Local time the duty day starts, HH:MM."""
    end: str = Field(json_schema_extra={"pattern": _CLOCK.pattern})
    """Local time the duty day ends, HH:MM."""

    _check = field_validator("start", "end")(_clock)

    def minutes(self) -> tuple[int, int]:
        """Start and end as minutes after local midnight."""
        def parse(text: str) -> int:
            return int(text[:2]) * 60 + int(text[3:])
        return parse(self.start), parse(self.end)


class Actor(Sourced):
    """A person or organisation in the crisis, played by a person or by the scenario's rules."""

    id: Id
    """Unique id, used by channels, rules and metrics."""
    name: str
    """Who it is, e.g. `Andrzej Duda`."""
    title: str = ""
    """Office held, e.g. `President of Poland`."""
    side: Id
    """Country or organisation, e.g. `poland`, `nato`, `press`."""
    timezone: str
    """IANA time zone where the actor is (a general's night matters)."""
    playable: bool = False
    """Whether a person may take this seat in play."""
    working_hours: WorkingHours | None = None
    """Local duty hours; outside them the actor is off duty. None: always on duty."""
    off_duty_delay: Distribution = Distribution(fixed=0.0)
    """Extra delay to respond while off duty (being woken, reaching a secure phone)."""
    unreachable: list[Window] = empty(list)
    """Spans when the actor cannot be reached (in the air, in a meeting abroad): calls fail at
    once, meetings go on without it, and messages and news wait unread until the span ends."""
    no_answer: Probability = 0.0
    """Probability of not taking a call that does reach them."""
    response: dict[ResponseKind, Distribution] = empty(dict)
    """Delay before responding, by kind of incoming contact; missing kinds respond at once."""
    trust: dict[Id, GradedTrust] = empty(dict)
    """How much the actor trusts each source (an actor id): from 0 to 1, or an Admiralty letter
    A–F; the starting point of a trust that learns from the source's track record."""
    trust_default: GradedTrust = 0.5
    """Trust in sources not listed in `trust`."""
    conservatism: FixedProbability = 0.0
    """How much less than a full Bayesian update each basis moves the actor (0: none)."""
    sees_provenance: Probability = 1.0
    """Chance of seeing what a relayed claim rests on; when not, the relay counts as the
    relaying speaker's own opinion (how circular reporting happens)."""
    belief: dict[Id, FixedProbability] | None = None
    """Starting probability of each hypothesis of the key question; None: all equal."""
    beliefs: dict[Id, dict[Id, FixedProbability]] = empty(dict)
    """Starting beliefs on further questions, by question id; a question left out: all equal."""
    posture: Id | None = None
    """Starting level on the posture ladder; None: the ladder's first level."""
    moves: list[Move] = empty(list)
    """What the actor may say on a connected call; none: it passes what it holds."""

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("belief")
    @classmethod
    def _sums_to_one(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is not None and abs(sum(value.values()) - 1) > 0.01:
            raise invalid(
                "belief", "starting beliefs add up to {total:.3f}; expected them to add up to 1",
                {"total": sum(value.values())},
            )
        return value


class Source(BaseModel):
    """A public source the scenario's facts rest on."""

    model_config = STRICT
    id: Id
    """Short id that facts cite."""
    title: str
    """What it is: outlet and headline, or document."""
    url: str | None = None
    """Where it was read."""
    date: str | None = None
    """When it was published, as written by the source."""
