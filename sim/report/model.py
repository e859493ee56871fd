"""The after-action report as plain data: what happened, ready for the HTML and Markdown writers.

Every time is in minutes since the scenario's start, as in the event log; the writers turn
them into clock times with `Report.stamp` and `Report.local`. Nothing here draws or formats
pages, so both writers show the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sim.durations import format_hm


@dataclass(frozen=True)
class ActorInfo:
    """One actor of the scenario, as the report names it."""

    id: str
    name: str
    title: str
    side: str
    timezone: str
    seated: bool
    """Whether a person played it in this session."""


@dataclass(frozen=True)
class Summary:
    """What was played: scenario, seed, variant, seats, how long."""

    title: str
    scenario_id: str
    description: str
    """The scenario's summary paragraph."""
    start: datetime
    """The instant scenario minute 0 stands for."""
    timezone: str
    """The scenario's own display zone besides UTC."""
    seed: int | str | None
    """None where the source did not record it (a `hotline run --json` log)."""
    variant: str | None
    overrides: Mapping[str, object]
    seats: tuple[str, ...]
    """Actor ids played by people; empty for a headless run."""
    played: float
    """Minutes of scenario time the session covered."""
    duration: float
    """Minutes the scenario is written to last."""
    events: int
    """Records in the event log."""
    question: str
    truth: str
    """Id of the true hypothesis."""
    source: str
    """The file the report was made from, or a description of the session."""
    source_kind: str
    """`journal`, `saved run`, `run log` or `session`."""
    warnings: tuple[str, ...] = ()
    """Problems met reading the source that did not stop the report."""
    stopped_early: bool = False
    """Whether play stopped before the scenario's end (known for sessions, not bare logs)."""
    history_name: str = ""
    """What the scenario calls what really happened (`2022`); default: the start's year."""

    @property
    def history(self) -> str:
        """The label of historical values in tables and headings."""
        return self.history_name or str(self.start.year)


@dataclass(frozen=True)
class ObjectiveRow:
    """One objective, met or missed, with the 2022 outcome beside it."""

    id: str
    label: str
    metric: str
    """The judged metric's label."""
    target: str
    """The target in words, e.g. `within 2h00m`."""
    value: str
    """The session's value, shown for people."""
    met: bool | None
    """None while it is still open: play stopped before its deadline, and it has not happened."""
    historical: str
    """The 2022 value shown for people; empty where the scenario gives none."""
    historical_met: bool | None
    """Whether 2022 met it; None where the scenario gives no 2022 value."""


@dataclass(frozen=True)
class CallAttempt:
    """One dialled attempt: when it started, how it ended, and the call it became."""

    t: float
    """When the caller dialled."""
    caller: str
    callee: str
    channel: str
    attempt: int
    outcome: str
    """`connected`, or the failure's reason (unanswered, busy, line down, unreachable...)."""
    t_outcome: float | None
    """When it connected or failed; None if the session ended first."""
    t_ended: float | None = None
    """When a connected call ended; None if it did not (yet)."""
    gave_up: bool = False
    """Whether the caller stopped retrying after this attempt."""

    @property
    def failed(self) -> bool:
        """Whether the attempt ended unconnected."""
        return self.outcome not in ("connected", "pending")


@dataclass(frozen=True)
class Message:
    """One message from sender to one recipient."""

    t: float
    sender: str
    to: str
    channel: str
    t_outcome: float | None
    """When it arrived or was found lost; None if still under way."""
    lost: bool
    claim: str
    """The claim it carried, e.g. `russia 75%`, or empty."""
    text: str


@dataclass(frozen=True)
class Meeting:
    """A meeting: requested, convened with its members, ended."""

    channel: str
    chair: str
    t_requested: float
    t_convened: float | None
    t_ended: float | None
    members: tuple[str, ...]


@dataclass(frozen=True)
class Mark:
    """A point event on an actor's lane (or the scenario's lane when `actor` is None)."""

    t: float
    actor: str | None
    kind: str
    """`inject`, `statement`, `posture`, `decision`, `note`, `pause`."""
    label: str
    correct: bool | None = None
    """For claims: whether they match the ground truth."""


@dataclass(frozen=True)
class PairContact:
    """Who reached whom: one pair of actors that tried or managed to talk."""

    a: str
    b: str
    first_attempt: float | None
    """First call attempt either way."""
    first_contact: float | None
    """First connected call or shared meeting; None: never."""
    via: str
    """The channel of the first contact."""
    attempts: int
    failed: int
    """Failed call attempts, both directions."""
    failed_by: Mapping[str, int]
    """Failed attempts by caller id."""
    reasons: Mapping[str, int]
    """Failed attempts by reason."""
    messages: int
    """Messages delivered either way."""
    messages_lost: int

    @property
    def wait(self) -> float | None:
        """Minutes from the first attempt to contact, where both happened."""
        if self.first_contact is None or self.first_attempt is None:
            return None
        return max(0.0, self.first_contact - self.first_attempt)


@dataclass(frozen=True)
class BeliefSeries:
    """One actor's probability of every hypothesis, from the start to the end."""

    actor: str
    points: tuple[tuple[float, Mapping[str, float]], ...]
    """(minute, belief) from minute 0, one point per change."""
    knew_at: float | None
    """First minute the true hypothesis led with at least one half; None: never."""


@dataclass(frozen=True)
class PostureSeries:
    """One actor's rung on the ladder over time."""

    actor: str
    steps: tuple[tuple[float, int], ...]
    """(minute, rung) from minute 0, one step per change."""
    changes: tuple[tuple[float, str, str, str], ...]
    """(minute, from level, to level, why)."""


@dataclass(frozen=True)
class Attribution:
    """A public statement about the key question."""

    t: float
    actor: str
    channel: str
    hypothesis: str
    confidence: float
    correct: bool
    text: str


@dataclass(frozen=True)
class HistoricalRow:
    """A metric of the session beside its 2022 value, with the sources for that value."""

    metric: str
    session: str
    historical: str
    sources: tuple[tuple[str, str | None], ...]
    """(title, url) of each cited source."""
    confidence: str
    """The scenario's confidence code: C confirmed, R reported, E estimate, X conflicting."""
    note: str
    role: str = ""
    """fitted, held-out or anchored ("" when the metric has no historical value)."""


@dataclass(frozen=True)
class Decision:
    """A player's action or the facilitator's note or inject, at its minute."""

    t: float
    who: str
    """An actor id, or `facilitator`."""
    kind: str
    """`action`, `note`, `inject`, `pass`, or `abandoned_note` (kept from a rewound branch)."""
    text: str


@dataclass(frozen=True)
class Report:
    """Everything an after-action report shows."""

    summary: Summary
    actors: tuple[ActorInfo, ...]
    ladder: tuple[tuple[str, str], ...]
    """(id, label) of each rung, lowest first."""
    hypotheses: tuple[tuple[str, str], ...]
    """(id, label) of each answer to the key question."""
    objectives: tuple[ObjectiveRow, ...]
    calls: tuple[CallAttempt, ...]
    messages: tuple[Message, ...]
    meetings: tuple[Meeting, ...]
    marks: tuple[Mark, ...]
    pairs: tuple[PairContact, ...]
    beliefs: tuple[BeliefSeries, ...]
    postures: tuple[PostureSeries, ...]
    first_public: Attribution | None
    first_public_correct: Attribution | None
    historical: tuple[HistoricalRow, ...]
    decisions: tuple[Decision, ...]
    discussion: tuple[str, ...]
    end: float
    """The last minute the report covers."""
    statement_metrics: tuple[tuple[str, Attribution | None], ...] = ()
    """The scenario's `first` metrics on statements (label, the record that set them): the
    same records, by the same rule, as the metric values elsewhere in the report."""
    _names: dict[str, ActorInfo] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._names.update({a.id: a for a in self.actors})

    def name(self, actor: str | None) -> str:
        """An actor's name, or the id where the scenario does not know it."""
        if actor is None:
            return "facilitator"
        info = self._names.get(actor)
        return info.name if info else actor

    def hypothesis(self, hypothesis_id: str) -> str:
        """The label of a hypothesis."""
        return dict(self.hypotheses).get(hypothesis_id, hypothesis_id)

    def clock(self, t: float) -> str:
        """Minute `t` as a UTC date and time, e.g. `15 Nov 15:45 UTC`."""
        when = (self.summary.start + timedelta(minutes=t)).astimezone(ZoneInfo("UTC"))
        return f"{when:%d %b %H:%M} UTC"

    def stamp(self, t: float) -> str:
        """Minute `t` as `+1h05m (15 Nov 15:45 UTC)`."""
        return f"+{format_hm(t)} ({self.clock(t)})"

    def local(self, actor: str | None, t: float) -> str:
        """Minute `t` on the actor's own clock, e.g. `09:56 EST`; empty for no actor."""
        info = self._names.get(actor or "")
        if info is None:
            return ""
        when = (self.summary.start + timedelta(minutes=t)).astimezone(ZoneInfo(info.timezone))
        return f"{when:%H:%M} {when.tzname()}"
