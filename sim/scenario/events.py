"""Injects and rules: what happens from outside, and how automated actors react, as data."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, model_validator

from sim.scenario.common import STRICT, OneOf, Sourced
from sim.scenario.distributions import Distribution
from sim.scenario.values import (
    CountValue,
    Duration,
    DurationValue,
    FixedProbability,
    Id,
    Probability,
    TimePoint,
    as_list,
    empty,
    instants_to_offsets,
    invalid,
)

#: Kinds of record in the event log, as patterns and metrics name them.
EVENT_KINDS = (
    "inject",            # an inject fired
    "received",          # a claim or inject reached an actor
    "call_attempt",      # a caller dialled
    "call_connected",    # both ends on the line
    "call_failed",       # an attempt ended unconnected (down, busy, unreachable, unanswered)
    "call_gave_up",      # the caller stopped retrying
    "call_ended",        # a connected call finished
    "call_missed",       # the callee sees a call that rang and was not taken
    "call_requested",    # a caller's staff asked the far end's staff for a call
    "call_arranged",     # the far end's staff agreed a slot
    "call_declined",     # the far end's staff refused, or no slot could be found
    "message_sent",
    "message_delivered",
    "message_lost",
    "statement",         # published on a broadcast channel
    "statement_failed",  # not published: the broadcast channel was down
    "meeting_requested",
    "meeting_convened",
    "meeting_ended",
    "belief",            # an actor's belief on the key question changed
    "question_belief",   # an actor's belief on a further question changed
    "posture",           # an actor moved on the ladder
    "posture_observed",  # an observer saw another actor's posture (late, maybe a rung off)
    "decision",          # a meeting decided by a rule over its members' votes
    "call_move",         # one side's move on a connected call
    "agreed",            # the two ends of a call agreed a step
    "evidence",          # an evidence source's result came in
    "trust",             # an actor's trust in a source moved with its track record
    "note",              # a facilitator's note
    "pause",             # play paused for the facilitator
)

EventKind = Literal[EVENT_KINDS]  # type: ignore[valid-type]


class Claim(BaseModel):
    """An assertion about the key question: `hypothesis` is true, with this confidence."""

    model_config = STRICT
    hypothesis: Id
    """Id of one of the key question's hypotheses."""
    confidence: FixedProbability = 0.8
    """How strongly the claim asserts it, from 0 to 1."""
    cites: Literal["inherit"] | Annotated[list[Id], BeforeValidator(as_list)] | None = None
    """What it rests on: evidence source ids the speaker holds; `inherit`, the basis of what
    set the speaker off (a relay); none, the speaker's own opinion."""


class EventPattern(BaseModel):
    """Matches records of the event log; every field given must match."""

    model_config = STRICT
    kind: Annotated[list[EventKind], BeforeValidator(as_list)] = empty(list)
    """Record kinds that match; empty: any."""
    actor: Id | None = None
    """The acting actor."""
    counterpart: Id | None = None
    """The other end (callee, recipient)."""
    channel: Id | None = None
    """The channel used."""
    inject: Id | None = None
    """The inject involved."""
    hypothesis: Id | None = None
    """The hypothesis a carried claim asserts."""
    measure: Id | None = None
    """The step a move proposes or answers, or that two actors agreed (`call_move` and `agreed`
    records): `{kind: agreed, measure: joint-investigation}`."""
    public: bool | None = None
    """Only statements on public broadcast channels (true) or only private records (false)."""
    correct: bool | None = None
    """Only claims that match the ground truth (true) or that do not (false)."""


class BeliefTest(BaseModel):
    """An actor's probability of a hypothesis above and/or below a threshold."""

    model_config = STRICT
    hypothesis: Id
    """Which hypothesis."""
    above: FixedProbability | None = None
    """Holds when the probability is at least this."""
    below: FixedProbability | None = None
    """Holds when the probability is below this."""

    @model_validator(mode="after")
    def _bound(self) -> BeliefTest:
        if self.above is None and self.below is None:
            raise invalid("belief", "expected 'above' or 'below' (or both)", {})
        return self


class PostureTest(BaseModel):
    """An actor's posture at least and/or at most a ladder level."""

    model_config = STRICT
    at_least: Id | None = None
    """Holds at this level or higher."""
    at_most: Id | None = None
    """Holds at this level or lower."""

    @model_validator(mode="after")
    def _bound(self) -> PostureTest:
        if self.at_least is None and self.at_most is None:
            raise invalid("posture", "expected 'at_least' or 'at_most' (or both)", {})
        return self


class LocalTimeTest(BaseModel):
    """A time of day on the actor's own clock: from `after` up to `before` (may wrap midnight)."""

    model_config = STRICT
    after: str = "00:00"
    """Local time from which it holds, HH:MM."""
    before: str = "24:00"
    """Local time up to which it holds, HH:MM (24:00: midnight)."""

    @model_validator(mode="after")
    def _clock(self) -> LocalTimeTest:
        for text in (self.after, self.before):
            if not (len(text) == 5 and text[2] == ":" and text[:2].isdigit() and text[3:].isdigit()
                    and int(text[:2]) * 60 + int(text[3:]) <= 24 * 60 and int(text[3:]) < 60):
                raise invalid("clock", "{value!r} is not a time of day; expected HH:MM, e.g. 07:30",
                              {"value": text})
        return self

    def minutes(self) -> tuple[int, int]:
        """`after` and `before` as minutes after local midnight."""
        return tuple(int(t[:2]) * 60 + int(t[3:]) for t in (self.after, self.before))  # type: ignore[return-value]


class ObservedPostureTest(PostureTest):
    """Another actor's posture as the actor has observed it, at least and/or at most a level."""

    of: Id
    """Whose posture."""


class AccusedTest(BaseModel):
    """A claim that blames the actor's side reaching it (the hypothesis's `blames`)."""

    model_config = STRICT
    public: bool | None = None
    """Only public statements (true), only private claims (false), or either."""
    min_confidence: FixedProbability = 0.0
    """Only claims at least this confident."""


class MoveTest(BaseModel):
    """A move made to the actor on a call."""

    model_config = STRICT
    move: Id | None = None
    """Only this kind of move (say, share, deny, ask, warn, reassure, stall, propose...)."""
    from_: Id | None = Field(default=None, alias="from")
    """Only moves by this actor."""
    measure: Id | None = None
    """Only moves about this step."""


class DecisionTest(BaseModel):
    """A meeting the actor sits in took, or failed to take, a decision."""

    model_config = STRICT
    id: Id
    """Which decision."""
    passed: bool = True
    """Whether it passed (true) or failed (false)."""


class ReceivedTest(BaseModel):
    """A claim reaching the actor."""

    model_config = STRICT
    hypothesis: Id | None = None
    """Only claims of this hypothesis."""
    origin: Id | None = None
    """Only claims from this source (an actor id)."""
    min_confidence: FixedProbability = 0.0
    """Only claims at least this confident."""
    channel: Id | None = None
    """Only what came over this channel."""
    inject: Id | None = None
    """Only this inject."""
    rule: Id | None = None
    """Only what this rule's action said."""
    tag: Id | None = None
    """Only messages and statements with this tag."""


class MissedTest(BaseModel):
    """A call to the actor that rang and was not taken, optionally from one actor or on one line."""

    model_config = STRICT
    from_: Id | None = Field(default=None, alias="from")
    """Only calls from this actor."""
    channel: Id | None = None
    """Only calls over this channel."""


class CallTest(BaseModel):
    """One of the actor's calls, optionally to one actor or over one channel."""

    model_config = STRICT
    to: Id | None = None
    """Only calls to this actor."""
    channel: Id | None = None
    """Only calls over this channel."""


class Trigger(OneOf):
    """What sets a rule off (exactly one key)."""

    start: Literal[True] | None = None
    """The scenario's start."""
    at: TimePoint | None = None
    """A moment: an offset like `+6h` or an ISO instant."""
    inject: Id | None = None
    """The actor received this inject."""
    received: ReceivedTest | None = None
    """The actor received a matching claim."""
    belief: BeliefTest | None = None
    """The actor's belief crossed into the stated range."""
    contact: Id | None = None
    """The actor made contact (a connected call or a meeting) with this actor."""
    call_failed: CallTest | None = None
    """The actor gave up on a call after all its retries."""
    posture: PostureTest | None = None
    """The actor's posture moved into the stated range."""
    meeting: Id | None = None
    """A meeting of this channel convened with the actor in it."""
    evidence: Id | None = None
    """The result of this evidence source reached the actor (directly or relayed)."""
    missed_call: MissedTest | None = None
    """A call to the actor rang and was not taken (it may call back)."""
    observed_posture: ObservedPostureTest | None = None
    """The actor saw another's posture move into the stated range."""
    accused: AccusedTest | None = None
    """A claim blaming the actor's side reached it."""
    decision: DecisionTest | None = None
    """A meeting the actor sits in took (or failed to take) this decision."""
    move: MoveTest | None = None
    """The other end of a call made a matching move to the actor."""
    agreed: Id | None = None
    """The actor agreed this step with someone on a call (either side proposed it)."""


class Condition(OneOf):
    """What must hold when a rule fires and again when it acts (exactly one key)."""

    belief: BeliefTest | None = None
    """The actor's belief is in the stated range."""
    posture: PostureTest | None = None
    """The actor's posture is in the stated range."""
    contacted: Id | None = None
    """The actor has had contact with this actor."""
    not_contacted: Id | None = None
    """The actor has had no contact with this actor."""
    after: TimePoint | None = None
    """Scenario time is at or after this moment."""
    before: TimePoint | None = None
    """Scenario time is before this moment."""
    observed_posture: ObservedPostureTest | None = None
    """Another's posture, as the actor last saw it, is in the stated range."""
    happened: EventPattern | None = None
    """A record matching the pattern is already in the log (anyone's, not only the actor's)."""
    in_contact: Annotated[list[Id], Field(min_length=2, max_length=2)] | None = None
    """These two actors have been in contact (a connected call or a meeting)."""
    on_duty: bool | None = None
    """The actor is on duty now (true) or off duty (false), by its working hours."""
    local_time: LocalTimeTest | None = None
    """The actor's local time of day is in the stated range."""


def _move(value: Any) -> Any:
    # `Move` rests on `Claim` and `Condition` from this module, so it is looked up when used
    from sim.scenario.moves import Move

    if isinstance(value, Move):
        return value
    if not isinstance(value, dict):
        raise invalid("move", "{value} is not a move; expected e.g. {{move: warn, text: ...}}",
                      {"value": value})
    return Move.model_validate(value)


class CallAction(BaseModel):
    """Place a call."""

    model_config = STRICT
    to: Id
    """Whom to call."""
    channel: Id
    """Over which call channel."""
    say: list[Annotated[Any, BeforeValidator(_move)]] | None = None
    """The caller's moves if it connects, one a turn (a player's choice); none: its own moves."""
    retry: bool | None = None
    """Retry as the line's staff do (its `retry`); default: yes for rules, no for a player,
    who decides for itself whether to call again."""
    """The caller's moves if it connects, one a turn (a player's choice); none: its own moves."""


class ArrangeAction(BaseModel):
    """Ask the far end's staff, over a staff channel, for a call at an agreed slot."""

    model_config = STRICT
    to: Id
    """Whom to call."""
    channel: Id
    """Over which call channel, once the slot comes."""
    via: Id
    """The message channel the request travels over (the staffs')."""
    prep: DurationValue = 30.0
    """Time the staffs need before the slot can be."""
    within: DurationValue = 48 * 60.0
    """How far ahead of the request a slot may be found."""


class _Says(BaseModel):
    """What a message or a statement asserts: a claim, the sender's assessment, or nothing."""

    model_config = STRICT
    claim: Claim | None = None
    """What it asserts; without one, see the action."""
    holding: bool = False
    """A holding line ("we are verifying"): it asserts nothing about the key question."""
    text: str = ""
    """Words for the feed."""
    tag: Id | None = None
    """A label receivers' rules may filter on (`received: {tag: ...}`)."""

    @model_validator(mode="after")
    def _claim_or_holding(self) -> _Says:
        if self.holding and self.claim is not None:
            raise invalid("says", "a holding line carries no claim; expected 'claim' or "
                          "'holding: true', not both")
        return self


class MessageAction(_Says):
    """Send a message; without a claim it shares the sender's whole current assessment."""

    to: Annotated[list[Id], BeforeValidator(as_list)] = Field(min_length=1)
    """Recipients."""
    channel: Id
    """Over which message channel."""


class StatementAction(_Says):
    """Publish on a broadcast channel; without a claim it states the speaker's leading answer."""

    channel: Id
    """Which broadcast channel."""


class PostureAction(OneOf):
    """Move on the posture ladder (exactly one key)."""

    set: Id | None = None
    """Go to this level."""
    raise_: CountValue | None = Field(default=None, alias="raise")
    """Go up this many levels."""
    lower: CountValue | None = None
    """Go down this many levels."""


class Action(OneOf):
    """What an actor does (exactly one key); rules and players use the same actions."""

    call: CallAction | None = None
    """Place a call."""
    arrange: ArrangeAction | None = None
    """Ask for a call at a slot both sides agree."""
    message: MessageAction | None = None
    """Send a message."""
    statement: StatementAction | None = None
    """Make a public statement."""
    posture: PostureAction | None = None
    """Change posture."""
    convene: Id | None = None
    """Request a meeting of this meeting channel."""


class Inject(Sourced):
    """An event from outside the modelled actors: the strike, a report from the ground, a leak."""

    id: Id
    """Unique id."""
    title: str
    """One line for the feed."""
    text: str = ""
    """What the recipients learn."""
    at: Annotated[Distribution | None, BeforeValidator(instants_to_offsets)] = None
    """When it fires, after the start; a distribution where the sources leave it uncertain."""
    when: Trigger | None = None
    """Fire when this happens (for the `to` actors, or anyone if `to` is empty)."""
    optional: bool = False
    """Only the facilitator drops it; it never fires by itself."""
    probability: Probability = 1.0
    """Chance it happens at all (variants may set it to 0)."""
    to: Annotated[list[Id], BeforeValidator(as_list)] = empty(list)
    """Actors who receive it directly."""
    via: Id | None = None
    """A broadcast channel that carries it to its audience."""
    origin: Id | None = None
    """The actor recipients treat as its source, for trust."""
    claim: Claim | None = None
    """The claim it carries, if any."""
    pause: bool = False
    """Pause play for the facilitator when it fires."""

    @model_validator(mode="after")
    def _timing(self) -> Inject:
        if not self.optional and (self.at is None) == (self.when is None):
            raise invalid(
                "inject", "expected exactly one of 'at' or 'when' (or 'optional: true')", {}
            )
        if not self.to and self.via is None:
            raise invalid(
                "inject", "the inject reaches nobody; expected 'to' (actors) or 'via' (a broadcast)",
                {},
            )
        return self


class Rule(Sourced):
    """How an automated actor reacts: when a trigger fires and conditions hold, maybe act."""

    id: Id
    """Unique id."""
    actor: Id
    """Who acts."""
    description: str = ""
    """What the rule stands for, in words."""
    when: Trigger
    """What sets it off."""
    if_: list[Condition] = Field(default_factory=list, alias="if", json_schema_extra={"default": []})
    """Conditions, checked when triggered and again when acting."""
    probability: Probability = 1.0
    """Chance the actor acts when triggered."""
    delay: Distribution = Distribution(fixed=0.0)
    """Time from trigger to action."""
    do: Action
    """The action."""
    repeat: bool = False
    """Whether it may fire again; by default a rule fires once (a draw that says no, or
    conditions that fail when it would act, do not use it up)."""
    every: Duration | None = None
    """Keep re-considering: from its trigger on, check the conditions at this interval and
    act (with `probability` at each check) while they hold, instead of only on the crossing."""
    off_duty: Literal["delay", "wait"] = "delay"
    """When the action falls outside working hours: add the actor's off-duty delay (`delay`),
    or act at the start of its next working hours (`wait`)."""
