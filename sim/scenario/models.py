"""The scenario: header, key question, ladder, parameters, variants, metrics, and the parts."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sim.durations import DurationError, parse_duration
from sim.scenario.actors import Actor, Source, check_timezone
from sim.scenario.channels import Channel
from sim.scenario.common import STRICT, Sourced
from sim.scenario.discussion import DebriefQuestion
from sim.scenario.escalation import Observation
from sim.scenario.events import EventPattern, Inject, Rule
from sim.scenario.evidence import EvidenceSource
from sim.scenario.values import Duration, FixedProbability, Id, TimePoint, invalid, shown

ParamType = Literal["probability", "duration", "number", "count"]

_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def parse_param_value(kind: str, value: Any) -> float:
    """Read a parameter's value by its type: `2h` for durations, 0.3 for probabilities.

    Raises:
        ValueError: the value does not fit the type; the message says what was expected.
    """
    if kind == "duration":
        if isinstance(value, str):
            try:
                return parse_duration(value.lstrip("+"))
            except DurationError as exc:
                raise ValueError(str(exc)) from None
        if value == 0 and not isinstance(value, bool):
            return 0.0
        raise ValueError(f"{shown(value)} is not a duration; expected e.g. 20m, 2h, 1d 6h")
    if isinstance(value, str):
        try:
            value = float(value) if kind != "count" else int(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a {kind}; expected a number") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{shown(value)} is not a {kind}; expected a number")
    if kind == "probability" and not 0 <= value <= 1:
        raise ValueError(f"probability {value} is out of range; expected a number from 0 to 1")
    if kind == "count" and not (float(value).is_integer() and value >= 0):
        raise ValueError(f"{value!r} is not a count; expected a whole number, 0 or more")
    return float(value)


def _written(values: list[Any] | None) -> str:
    return "[" + ", ".join(str(v) for v in values or []) + "]"


def _param_name(name: Any) -> Any:
    if isinstance(name, str) and not _PARAM_NAME.match(name):
        raise invalid(
            "param_name", "{name!r} is not a parameter name; expected letters, digits, _ or -, "
            "starting with a letter or _", {"name": name},
        )
    return name


#: A parameter's name, as `$name` refers to it.
ParamName = Annotated[str, BeforeValidator(_param_name)]


class Parameter(Sourced):
    """A named knob that sweeps and variants move; values are referred to as `$name`."""

    type: ParamType
    """probability, duration (written `20m`), number, or count."""
    default: Any
    """Value when no variant or override sets it."""
    range: list[Any] | None = Field(default=None, min_length=2, max_length=2)
    """Lowest and highest value a sweep or override may use."""
    choices: list[Any] | None = Field(default=None, min_length=1)
    """The only values allowed, if the parameter is a choice."""
    unit: str = ""
    """Unit, for people (`minutes`, `calls`)."""
    description: str = ""
    """What it means in the world."""

    @field_validator("default", "range", "choices")
    @classmethod
    def _of_type(cls, value: Any, info: ValidationInfo) -> Any:
        # checked field by field, so that a message points at the value at fault
        kind = info.data.get("type")
        if kind is not None and (value is not None or info.field_name == "default"):
            try:
                for item in value if isinstance(value, list) else [value]:
                    parse_param_value(kind, item)
            except ValueError as exc:
                raise invalid("param_value", "{message}", {"message": str(exc)}) from None
        return value

    @model_validator(mode="after")
    def _ranged(self) -> Parameter:
        default = parse_param_value(self.type, self.default)
        bounds = [parse_param_value(self.type, v) for v in self.range or []]
        choices = [parse_param_value(self.type, v) for v in self.choices or []]
        if bounds and bounds[1] < bounds[0]:
            raise invalid(
                "param_range", "range {r} runs from high to low; expected [lowest, highest]",
                {"r": _written(self.range)},
            )
        if bounds and not bounds[0] <= default <= bounds[1]:
            raise invalid(
                "param_range", "default {d} lies outside the range {r}; expected a default within it",
                {"d": self.default, "r": _written(self.range)},
            )
        if choices and default not in choices:
            raise invalid(
                "param_range", "default {d} is not one of the choices {c}; expected one of them",
                {"d": self.default, "c": _written(self.choices)},
            )
        return self

    def value(self, raw: Any) -> float:
        """A value of this parameter, read by its type and checked against range and choices.

        Raises:
            ValueError: the value does not fit; the message says what was expected.
        """
        value = parse_param_value(self.type, raw)
        if self.range:
            low, high = (parse_param_value(self.type, v) for v in self.range)
            if not low <= value <= high:
                raise ValueError(f"{raw} is out of range; expected {self.range[0]} to {self.range[1]}")
        if self.choices:
            allowed = [parse_param_value(self.type, v) for v in self.choices]
            if value not in allowed:
                raise ValueError(f"{raw} is not allowed; expected one of {self.choices}")
        return value

    @property
    def default_value(self) -> float:
        """The default, read by the parameter's type."""
        return parse_param_value(self.type, self.default)


class Variant(BaseModel):
    """A named what-if: parameter values that replace the defaults."""

    model_config = STRICT
    description: str = ""
    """What the variant asks."""
    set: dict[str, Any] = {}
    """Parameter name to value."""
    truth: Id | None = None
    """Another ground truth (a hypothesis id) for this variant: the reverse case."""


class Hypothesis(Sourced):
    """One possible answer to the key question."""

    id: Id
    """Id that claims and beliefs use."""
    label: str
    """The answer in words."""
    deliberate: bool | None = None
    """Whether this answer means a deliberate attack."""
    blames: Id | None = None
    """The side this answer blames: its actors take a claim of it as an accusation."""


class Question(Sourced):
    """The key question everybody is trying to answer, and its ground truth."""

    id: Id | None = None
    """Needed for a further question (`questions`), which beliefs and metrics name."""
    text: str
    """The question."""
    hypotheses: list[Hypothesis] = Field(min_length=2)
    """The possible answers."""
    truth: Id
    """Id of the hypothesis that is true in this scenario."""


class Level(BaseModel):
    """A rung of the posture (escalation) ladder, lowest first."""

    model_config = STRICT
    id: Id
    """Id that rules and metrics use."""
    label: str
    """What it means."""
    description: str = ""
    """More words."""


HistoricalRole = Literal["fitted", "held-out", "anchored"]


class Historical(Sourced):
    """What really happened, to set beside the simulated value of a metric."""

    role: HistoricalRole = "fitted"
    """What the value is for. `fitted`: it was used to set parameters, so matching it is a
    fit, not a test. `held-out`: nothing was set from it; it tests the model. `anchored`: an
    inject or a fixed schedule sets this time, so it tests nothing and is never counted as
    calibration. Files written before roles existed read as `fitted`."""
    at: TimePoint | None = None
    """For time metrics: the moment (offset or instant) or delay it happened."""
    at_most: TimePoint | None = None
    """For time metrics: it happened no later than this (most sourced times are bounds)."""
    at_least: TimePoint | None = None
    """For time metrics: it happened no earlier than this; with `at_most`, between the two."""
    never: bool | None = None
    """For time metrics: it never happened."""
    count: int | None = None
    """For counts."""
    reached: bool | None = None
    """For reached metrics."""


class MetricBase(BaseModel):
    """What every metric has."""

    model_config = STRICT
    id: Id
    """Id that objectives and reports use."""
    label: str
    """What it measures, in words."""
    description: str = ""
    """More words."""
    historical: Historical | None = None
    """The 2022 value, sourced."""


class FirstEventMetric(MetricBase):
    """Minutes from the start to the first record matching `event`."""

    kind: Literal["first"]
    """A time-to-first metric."""
    event: EventPattern
    """Which records count."""


class ContactMetric(MetricBase):
    """Minutes to the first contact between two actors (a connected call or a shared meeting)."""

    kind: Literal["contact"]
    """A time-to-contact metric."""
    between: list[Id] = Field(min_length=2, max_length=2)
    """The two actors."""
    since: Literal["start", "first_attempt"] = "start"
    """Count from the scenario's start, or from the first call attempt between them."""


class FailedCallsMetric(MetricBase):
    """Number of call attempts that did not connect."""

    kind: Literal["failed_calls"]
    """A count of failed attempts."""
    actor: Id | None = None
    """Only this caller's attempts."""
    channel: Id | None = None
    """Only attempts over this channel."""


class BeliefTrueMetric(MetricBase):
    """Minutes until an actor's belief in the ground truth reaches a threshold."""

    kind: Literal["belief_true"]
    """A time-to-truth metric."""
    actor: Id
    """Whose belief."""
    question: Id | None = None
    """A further question's id; none: the key question."""
    threshold: FixedProbability = 0.5
    """Probability of the true hypothesis that counts as knowing."""


class PeakPostureMetric(MetricBase):
    """The highest ladder level (as a rung number from 0) an actor, or anyone, reached."""

    kind: Literal["peak_posture"]
    """A peak posture metric."""
    actor: Id | None = None
    """Only this actor; None: any actor."""


class FalsePremiseMetric(MetricBase):
    """Minutes actors spent at or above a rung while their leading hypothesis was wrong."""

    kind: Literal["false_premise"]
    """False-premise exposure: escalation resting on a wrong answer."""
    actor: Id | None = None
    """Only this actor; None: summed over every actor."""
    at_least: Id | None = None
    """The lowest rung that counts as escalated; None: the ladder's second."""


class DecidedMetric(MetricBase):
    """Whether a meeting took a decision (an alliance step)."""

    kind: Literal["decided"]
    """A yes/no metric on a decision."""
    decision: Id
    """The decision's id."""


class ReachedMetric(MetricBase):
    """Whether an actor, or anyone, reached a ladder level."""

    kind: Literal["reached"]
    """A threshold-crossed metric."""
    level: Id
    """The ladder level."""
    actor: Id | None = None
    """Only this actor; None: any actor."""


#: Any metric, told apart by `kind`.
Metric = Annotated[
    FirstEventMetric | ContactMetric | FailedCallsMetric | BeliefTrueMetric
    | PeakPostureMetric | ReachedMetric | FalsePremiseMetric | DecidedMetric,
    Field(discriminator="kind"),
]

TIME_METRICS = ("first", "contact", "belief_true")

#: Metrics whose value is yes or no: over runs, a probability.
YES_NO_METRICS = ("reached", "decided")


class Objective(BaseModel):
    """A named target on a metric, for the report: met or missed."""

    model_config = STRICT
    id: Id
    """Unique id."""
    label: str
    """The target in words."""
    metric: Id
    """The metric it judges."""
    within: Duration | None = None
    """Time metrics: met when it happens no later than this."""
    at_most: float | None = None
    """Counts and levels: met when the value is at most this."""
    at_least: float | None = None
    """Counts and levels: met when the value is at least this."""
    expect: bool | None = None
    """Reached metrics: met when the outcome equals this."""


class Scenario(Sourced):
    """A whole crisis: who, over which channels, what happens, and what to measure."""

    hotline: Literal[1]
    """Version of the scenario language."""
    id: Id
    """Unique id of the scenario."""
    title: str
    """Title for pickers and reports."""
    summary: str = ""
    """A paragraph on what the exercise is about."""
    start: AwareDatetime
    """The instant scenario time 0 stands for, with its offset, e.g. 2022-11-15T14:30:00Z."""
    timezone: str = "UTC"
    """Zone in which the scenario's clock is shown besides UTC."""
    duration: Duration
    """How long the scenario runs."""
    turn: Duration = 30.0
    """Length of one turn of play."""
    sourcing: Literal["required", "optional"] = "optional"
    """`required`: every actor, channel, inject and historical value must cite a source."""
    sources: list[Source] = []
    """The sources facts cite."""
    parameters: dict[ParamName, Parameter] = {}
    """Knobs for variants and sweeps, referred to as `$name`."""
    variants: dict[Id, Variant] = {}
    """Named what-ifs."""
    default_variant: Id | None = None
    """Variant used when none is chosen."""
    question: Question
    """The key question and its ground truth."""
    questions: list[Question] = []
    """Further questions actors form beliefs on (was it deliberate? will the crew be freed?);
    every hypothesis id is unique across all questions, so a claim's hypothesis names its question."""
    ladder: list[Level] = Field(min_length=1)
    """The posture ladder, lowest level first."""
    actors: list[Actor] = Field(min_length=1)
    """Everyone in the crisis."""
    channels: list[Channel] = []
    """How they can reach each other."""
    observation: list[Observation] = []
    """Who watches whose actual posture, how late and how accurately."""
    evidence: list[EvidenceSource] = []
    """Sensors, investigations and witnesses, whose outcomes the ground truth decides."""
    injects: list[Inject] = []
    """The master events list."""
    rules: list[Rule] = []
    """How automated actors behave."""
    metrics: list[Metric] = []
    """What to measure."""
    objectives: list[Objective] = []
    """Targets on the metrics."""
    pause_on: list[EventPattern] = []
    """Records that pause play mid-turn for the facilitator."""
    discussion: list[str | DebriefQuestion] = []
    """Questions for the debrief; a `DebriefQuestion` names the metrics it needs (`discussion.py`)."""
    record_label: str | None = None
    """What tables call what really happened (default: the year the scenario starts, `2022`)."""

    @property
    def history_name(self) -> str:
        """The column and line label for historical values: `record_label`, or the start's year."""
        return self.record_label or str(self.start.year)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("start", mode="before")
    @classmethod
    def _instant_text(cls, value: Any) -> Any:
        # pydantic would read a bare number as seconds since 1970
        if not isinstance(value, str):
            raise invalid(
                "instant", "{value} is not an instant; expected e.g. 2022-11-15T14:30:00Z",
                {"value": shown(value)},
            )
        return value

    @field_validator("duration", "turn")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise invalid("duration", "expected a duration longer than 0", {})
        return value

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id."""
        return next(a for a in self.actors if a.id == actor_id)

    def channel(self, channel_id: str) -> Any:
        """The channel with this id."""
        return next(c for c in self.channels if c.id == channel_id)

    def level_index(self, level_id: str) -> int:
        """The rung number of a ladder level, 0 for the lowest."""
        return next(i for i, lv in enumerate(self.ladder) if lv.id == level_id)
