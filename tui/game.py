"""The game being played: a session, its journal, the seat, and what the seat may do.

Nothing here imports Textual, so the rules of play (who may use which channel, how rewind and
fork rewrite journals) are tested without a terminal. The UI calls `act` on its own thread and
the time-advancing methods from one worker at a time; a `Game` is never used from two threads
at once.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sim.engine.journal import Journal, JournalError, fork, notes_after, read_journal, resume
from sim.engine.params import resolve_params
from sim.engine.records import Record
from sim.engine.session import FACILITATOR, Session, SessionAction, View
from sim.scenario import Scenario
from sim.scenario.events import Inject
from sim.scenario.loader import read_scenario_text
from sim.scenario.vocabulary import listened_tags, named_steps

__all__ = ["FACILITATOR", "Game", "JournalError", "default_journal_path"]


def default_journal_path(scenario_id: str, now: datetime | None = None,
                         environ: Mapping[str, str] | None = None) -> Path:
    """Where a new journal goes: `$XDG_DATA_HOME/hotline/journals/<scenario>-<time>.jsonl`.

    Args:
        scenario_id: the scenario's id, the first part of the file name.
        now: the moment in the name (default: now, UTC).
        environ: the environment to read XDG_DATA_HOME from (default: os.environ).
    """
    env = os.environ if environ is None else environ
    base = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    stamp = (now or datetime.now(tz=UTC)).strftime("%Y%m%d-%H%M%S")
    return base / "hotline" / "journals" / f"{scenario_id}-{stamp}.jsonl"


def _unused(path: Path) -> Path:
    """`path`, or the first `name-2.jsonl`, `name-3.jsonl`... that does not exist yet."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


@dataclass(frozen=True)
class Seat:
    """Who sits at the keyboard: the facilitator, or one playable actor."""

    id: str
    """`facilitator` or an actor id."""

    @property
    def is_facilitator(self) -> bool:
        """Whether this seat sees everything and runs the exercise."""
        return self.id == FACILITATOR


class Game:
    """A session being played from one seat, written to a journal as it goes."""

    def __init__(self, session: Session, journal: Journal, scenario_path: Path, seat: str) -> None:
        self.session = session
        """The session; replaced by rewind and fork."""
        self.journal = journal
        """The journal every operation is flushed to; replaced by fork."""
        self.scenario_path = Path(scenario_path)
        """The scenario file the journal names."""
        self.seat = Seat(seat)
        """Who plays: the facilitator or an actor."""
        self.role = seat
        """Whose view is shown; the facilitator may switch it to any actor."""
        self.ended = False
        """Whether the exercise has been ended from the UI."""

    # -- starting ----------------------------------------------------------------------------

    @classmethod
    def start(cls, scenario_path: str | Path, scenario: Scenario, *, seat: str, seed: int = 0,
              variant: str | None = None, overrides: Mapping[str, Any] | None = None,
              journal_path: str | Path | None = None) -> Game:
        """A new session from minute 0, its journal created on disk.

        Raises:
            ActionError: the seat is not a playable actor.
            ParameterError: an unknown variant or parameter.
        """
        path = Path(scenario_path)
        text = read_scenario_text(path)
        seats = () if seat == FACILITATOR else (seat,)
        session = Session(scenario, seed=seed, variant=variant, overrides=overrides, seats=seats,
                          answering=True)  # a call to the player's actor rings for them
        target = Path(journal_path) if journal_path else _unused(default_journal_path(scenario.id))
        journal = Journal.create(target, session, path, text)
        return cls(session, journal, path, seat)

    @classmethod
    def resume(cls, journal_path: str | Path) -> tuple[Game, list[str]]:
        """Reopen a journal and carry on writing to it.

        Returns:
            The game, at the state the journal leads to, and any warnings (a cut-short line).

        Raises:
            JournalError: the journal is damaged, or its scenario is missing or changed.
            ScenarioError: the journal's scenario file is no longer valid.
        """
        session, journal, warnings = resume(journal_path)
        header = read_journal(journal_path).header
        # a hosted exercise's journal names several seats: reopened alone, it is the facilitator's
        seat = session.seats[0] if len(session.seats) == 1 else FACILITATOR
        return cls(session, journal, Path(header["scenario"]), seat), warnings

    # -- looking -----------------------------------------------------------------------------

    @property
    def scenario(self) -> Scenario:
        """The scenario being played."""
        return self.session.scenario

    def view(self) -> View:
        """What the current role sees now."""
        return self.session.view(self.role)

    @property
    def actor(self) -> str | None:
        """The actor whose actions the keyboard takes: the seat's, or the one the facilitator views."""
        if not self.seat.is_facilitator:
            return self.seat.id
        if self.role != FACILITATOR and self.scenario.actor(self.role).playable:
            return self.role
        return None

    def local_clock(self, t: float, role: str | None = None) -> str:
        """Local time at minute `t` of a role: an actor's own zone, or the scenario's zone."""
        role = role or self.role
        zone = self.scenario.timezone if role == FACILITATOR else self.scenario.actor(role).timezone
        local = self.session.clock(t).astimezone(ZoneInfo(zone))
        return f"{local:%H:%M} {local.tzname()}"

    @property
    def last_turn(self) -> int:
        """The number of the scenario's last turn."""
        s = self.scenario
        return max(1, int(-(-s.duration // s.turn)))

    # -- what an actor can use ---------------------------------------------------------------

    def call_partners(self, actor: str) -> dict[str, list[str]]:
        """Whom `actor` can call, and over which call channels."""
        out: dict[str, list[str]] = {}
        for c in self.scenario.channels:
            if c.kind == "call" and actor in c.ends:
                other = c.ends[1] if c.ends[0] == actor else c.ends[0]
                out.setdefault(other, []).append(c.id)
        return out

    def known_tags(self) -> list[str]:
        """The message tags the scenario's rules listen for."""
        return listened_tags(self.scenario)

    def known_steps(self) -> list[str]:
        """The steps the actors' moves propose or answer."""
        return named_steps(self.scenario)

    def message_channels(self, actor: str) -> dict[str, list[str]]:
        """The message channels `actor` is on, each with the other members."""
        return {c.id: [m for m in c.members if m != actor] for c in self.scenario.channels
                if c.kind == "message" and actor in c.members}

    def broadcast_channels(self, actor: str) -> list[str]:
        """The broadcast channels `actor` may publish on."""
        return [c.id for c in self.scenario.channels
                if c.kind == "broadcast" and actor in c.publishers]

    def meeting_channels(self, actor: str) -> list[str]:
        """The meetings `actor` sits in and may ask to convene."""
        return [c.id for c in self.scenario.channels if c.kind == "meeting" and actor in c.members]

    def optional_injects(self) -> list[Inject]:
        """The injects only the facilitator drops."""
        return [i for i in self.scenario.injects if i.optional]

    def dropped(self) -> dict[str, float]:
        """When each inject fired so far, by id (the first time)."""
        out: dict[str, float] = {}
        for r in self.session.log:
            if r.kind == "inject":
                out.setdefault(r.data.get("inject", ""), r.t)
        return out

    def inject_info(self, inject_id: str) -> tuple[str, str]:
        """Title and text of an inject: the scenario's, or a free-form one dropped in play."""
        for inj in self.scenario.injects:
            if inj.id == inject_id:
                return inj.title, inj.text
        # a free-form inject is named after its place among the session's actions
        number = inject_id.removeprefix("free-")
        if number.isdigit() and 0 < int(number) <= len(self.session.actions):
            spec = self.session.actions[int(number) - 1].action.free_inject or {}
            return str(spec.get("title", inject_id)), str(spec.get("text", ""))
        return inject_id, ""

    def words_for(self, received: Record) -> str:
        """The words of the message or statement a `received` record took in ("" if none).

        The recipient did get them, but the `received` record carries only the claim, so the
        words are found on the sender's record, the latest before it that matches.
        """
        if received.kind != "received" or received.counterpart is None:
            return ""
        log = self.session.log
        end = bisect.bisect_right(log, received.t, key=lambda r: r.t)
        for r in reversed(log[max(0, end - 500):end]):
            if (r.actor == received.counterpart and r.channel == received.channel
                    and r.data.get("hypothesis") == received.hypothesis
                    and (r.kind == "statement" or (r.kind == "message_sent"
                                                   and r.counterpart == received.actor))):
                return str(r.data.get("text", ""))
        return ""

    # -- doing -------------------------------------------------------------------------------

    def act(self, action: SessionAction) -> list[Record]:
        """Do an action now; it is on disk when this returns.

        Raises:
            ActionError: the action is not possible.
        """
        return self.session.act(action)

    def rewind(self, turn: int) -> Path:
        """Go back to the start of `turn`, dropping what came after from the journal.

        The journal keeps its path; its old content is kept beside it, and the new one
        replaces it in one rename, so a crash leaves one or the other, whole. The facilitator's
        notes written from `turn` on are kept, marked as written on the abandoned branch.

        Returns:
            The copy of the journal as it was before the rewind.

        Raises:
            JournalError: the journal cannot be read back, or `turn` is not a past turn.
        """
        if not 1 <= turn <= self.session.turn:
            raise JournalError(f"turn {turn} is not a turn played so far (1 to {self.session.turn})")
        path = self.journal.path
        upto = (turn - 1) * self.scenario.turn
        contents = read_journal(path)
        scratch = path.with_name(path.name + ".rewind")
        session, journal = fork(contents, upto, scratch, self.scenario_path)
        branch = f"rewound from turn {self.session.turn} to turn {turn}"
        for t, text in notes_after(contents.ops, upto):
            session.keep_abandoned_note(t, text, branch)
        backup = _unused(path.with_name(f"{path.stem}.before-rewind-to-{turn}{path.suffix}"))
        shutil.copy2(path, backup)
        self.journal.close()
        os.replace(scratch, path)
        _sync_folder(path.parent)
        journal.path = path
        self.session, self.journal = session, journal
        return backup

    def fork(self, new_path: str | Path, turn: int | None = None, *,
             variant: str | None = None, overrides: Mapping[str, Any] | None = None) -> Path:
        """Branch a what-if into a new journal, from now or from the start of `turn`.

        The game continues in the branch; the old journal stays as it was. With `variant` or
        `overrides`, the branch plays on under that variant (default: the one in force) and
        those parameter values from the fork on.

        Returns:
            The old journal's path.

        Raises:
            JournalError: the new path exists, or the journal cannot be read back.
            ParameterError: an unknown variant or parameter, or a value out of range.
        """
        new = Path(new_path)
        if variant is not None or overrides:
            resolve_params(self.scenario, variant or self.session.variant, overrides)
        if new.exists():
            raise JournalError(f"{new} exists already; choose another file for the branch")
        old = self.journal.path
        contents = read_journal(old)
        if turn is None:
            # "from here": the whole history, including what was done at this very minute
            text = read_scenario_text(self.scenario_path)
            s = self.session
            session = Session(s.scenario, seed=s.seed, variant=s.variant, overrides=s.overrides,
                              seats=s.seats, answering=s.answering)
            session.replay(contents.ops)
            journal = Journal.create(new, session, self.scenario_path, text)
        else:
            if not 1 <= turn <= self.session.turn:
                raise JournalError(f"turn {turn} is not a turn played so far "
                                   f"(1 to {self.session.turn})")
            session, journal = fork(contents, (turn - 1) * self.scenario.turn, new,
                                    self.scenario_path)
        if variant is not None or overrides:
            session.change(variant or session.variant, overrides or {})
        self.journal.close()
        self.session, self.journal = session, journal
        return old

    def change(self, variant: str | None, overrides: Mapping[str, Any]) -> None:
        """Play on in this journal under `variant` (default: the one in force) and `overrides`.

        Raises:
            ParameterError: an unknown variant or parameter, or a value out of range.
        """
        self.session.change(variant or self.session.variant, overrides)

    def close(self) -> None:
        """Close the journal (everything is already on disk)."""
        with contextlib.suppress(OSError):
            self.journal.close()


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

