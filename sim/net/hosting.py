"""Setting up a hosted exercise: a new session, journal and tokens, or all three resumed."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.engine.journal import Journal, read_journal, resume
from sim.engine.session import FACILITATOR, Session
from sim.net.exercise import Exercise
from sim.net.seats import SeatTokens, seats_path
from sim.scenario import Scenario
from sim.scenario.loader import read_scenario_text


def new_exercise(scenario_path: Path, scenario: Scenario, journal_path: Path, *,
                 seats: Sequence[str], seed: int = 0, variant: str | None = None,
                 overrides: Mapping[str, Any] | None = None, turns: str = "facilitator",
                 timer: float | None = None, clock: Callable[[], float] = time.monotonic) -> Exercise:
    """A new exercise from minute 0: its journal and seats file are written at once.

    Raises:
        ActionError: a seat that is not a playable actor.
        ParameterError: an unknown variant or parameter.
    """
    session = Session(scenario, seed=seed, variant=variant, overrides=overrides, seats=seats,
                      answering=True)  # a call between seats rings on the callee's screen
    journal = Journal.create(journal_path, session, scenario_path, read_scenario_text(scenario_path))
    tokens = SeatTokens.new([FACILITATOR, *session.seats])
    tokens.save(seats_path(journal_path))
    return Exercise(session, journal, tokens, scenario_path, turns=turns, timer=timer, clock=clock)


def resumed_exercise(journal_path: Path, *, turns: str = "facilitator",
                     timer: float | None = None) -> tuple[Exercise, list[str]]:
    """The exercise a journal holds, replayed, with the seats' tokens it was hosted with.

    Raises:
        JournalError: the journal cannot be replayed.
        SeatFileError: the seats file beside it is missing or damaged.
    """
    tokens = SeatTokens.load(seats_path(journal_path))
    session, journal, warnings = resume(journal_path)
    scenario_path = Path(read_journal(journal_path).header["scenario"])
    return Exercise(session, journal, tokens, scenario_path, turns=turns, timer=timer), warnings
