"""Messages the background workers (play, what-if runs) send to the UI thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from sim.engine.session import View


@dataclass
class Advanced(Message):
    """The session moved on; `view` is a snapshot taken in the worker, safe to show."""

    view: View
    """What the role sees now."""
    final: bool = True
    """Whether the worker is done (False: a run-on goes on to the next turn)."""
    reset: bool = False
    """Whether the session was replaced (rewind, fork): rebuild the feed from scratch."""
    note: str = ""
    """Something to tell the person, e.g. where a fork's journal went."""

    def can_replace(self, message: Message) -> bool:
        """Whether this snapshot, not shown yet, may be dropped for a newer one (`message`).

        Textual asks the queued message about the one behind it. An intermediate snapshot of a
        run-on is superseded by any later one: each view holds the whole feed so far.
        """
        return not self.final and not self.reset and isinstance(message, Advanced)


@dataclass
class Failed(Message):
    """A background job was refused (a damaged journal, a bad turn number)."""

    error: str
    """What went wrong, for the person."""


@dataclass
class RunProgress(Message):
    """Replications of a what-if run finished so far."""

    done: int
    """Replications done, both arms together."""
    total: int
    """Replications planned."""
    seconds: float
    """Time since the run started."""

    def can_replace(self, message: Message) -> bool:
        """A newer count, not shown yet, makes this one moot."""
        return isinstance(message, RunProgress)


@dataclass
class RunFinished(Message):
    """A what-if run ended, complete or stopped; `summary` holds what finished."""

    summary: Any
    """The `sim.whatif.summary.Summary` (its `partial` says whether it was stopped)."""


@dataclass
class RunFailed(Message):
    """A what-if run could not start (the change or the operations were refused)."""

    error: str
    """What went wrong, for the person."""
