"""What-if from a live exercise: replay the session so far, then run the rest many times.

The UI calls `run_from_session` from a worker thread with a progress and a cancel callback;
nothing here imports Textual.

**The past stays as played** (history="kept", the default). Each replication replays the
session's operations on its own seed and parameters, so the log up to the fork minute is the
one the players saw, byte for byte. At the fork minute the change is applied to the parameter
values and every random stream is reseeded from (session seed, replication), so from then on
each replication draws its own future. Both arms (as is, and changed) use the same future seeds,
so they are compared paired. What was already under way at the fork minute keeps the timing it
drew in the past (a call already ringing rings out), and structures fixed when the world was
built (an actor's unreachable spells) keep their original values.

**The past replayed** (history="replayed") asks the other question: had the change held from
the start, with the players doing the same things at the same minutes, how would it have gone?
Each replication then runs from minute 0 on its own seed under the changed parameters, with the
session's actions put in at the minutes they were taken; the past may differ from what was seen.

Actors played by people (seats) stay passive after the fork: nobody plays them in the futures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from sim.engine.params import ParameterError, resolve_params
from sim.engine.session import Session, SessionAction
from sim.engine.world import World
from sim.scenario.models import Scenario
from sim.whatif.gcpolicy import release
from sim.whatif.jobs import Measure, Row
from sim.whatif.plan import Plan, Point
from sim.whatif.runner import Options, run_job
from sim.whatif.summary import Summary

History = Literal["kept", "replayed"]


def ops_until(ops: Sequence[Mapping[str, Any]], at: float) -> list[dict[str, Any]]:
    """The operations before minute `at`, the last advance cut at `at`."""
    out: list[dict[str, Any]] = []
    for op in ops:
        if op.get("op") == "act" and float(op["t"]) >= at:
            break
        if op.get("op") == "advance" and float(op["until"]) >= at:
            out.append({"op": "advance", "until": at})
            break
        out.append(dict(op))
    return out


@dataclass(frozen=True)
class ForkJob:
    """Replications that share a session's past and each play their own future."""

    scenario: Scenario
    plan: Plan
    """Arms (as is, changed) on common seeds."""
    ops: tuple[dict[str, Any], ...]
    """The session's operations up to the fork minute."""
    seed: int
    """The session's seed: it decides the past."""
    variant: str | None
    overrides: Mapping[str, Any]
    """The session's own overrides."""
    changes: tuple[Mapping[str, Any], ...]
    """Each arm's change, as given (resolved values are in `plan`)."""
    seats: tuple[str, ...]
    at: float
    """The fork minute."""
    history: History = "kept"
    until: float | None = None
    """Stop at this minute (default: the scenario's end)."""
    answering: bool = False
    """The past rang calls for players (the session's `answering`); futures have no players."""

    @cached_property
    def measure(self) -> Measure:
        """The row maker, built once per worker."""
        return Measure(self.scenario)

    def run(self, point: int, rep: int) -> Row:
        """Replay the past, then play replication `rep`'s future under `point`'s parameters.

        The future is a batch run: it logs only what the row reads.
        """
        world = self.world(point, rep, batch=True)
        row = self.measure(world.log, world.truths, end=world.last_t)
        release(world.env)
        return row

    def world(self, point: int, rep: int, *, batch: bool = False) -> World:
        """The finished world of one future: its whole log, past and future (for a timeline).

        With `batch`, the future (from the last operation on) logs only what the metrics read.
        """
        params = self.plan.points[point].params
        future_seed = self.plan.seed_of(point, rep)
        if self.history == "kept":
            session = Session(self.scenario, self.seed, self.variant, self.overrides, self.seats,
                              answering=self.answering)
            session.replay(self.ops)
            world = session.world
            world.change(params, seed=future_seed)
        else:
            session = Session(self.scenario, future_seed, self.variant,
                              {**self.overrides, **self.changes[point]}, self.seats)
            world = session.world
            for op in self.ops:  # actions at the minutes they were taken, whatever paused
                if op.get("op") == "act":
                    if float(op["t"]) > world.now:
                        world.env.run(until=float(op["t"]))
                    session.act_again(SessionAction.model_validate(op["action"]))
        world.switchboard.live = set()  # no player answers in a future: the answer model does
        end = self.scenario.duration if self.until is None else self.until
        if batch:
            world.dropped = self.measure.recording.dropped
        if world.now < end:
            world.run(end)
        return world

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "measure"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)


def run_from_session(source: Session | Any | Sequence[Mapping[str, Any]], scenario: Scenario,
                     seed: int | None = None, variant: str | None = None,
                     overrides: Mapping[str, Any] | None = None,
                     change: Mapping[str, Any] | None = None, reps: int = 100,
                     progress: Callable[[int, int], None] | None = None,
                     cancelled: Callable[[], bool] | None = None, *,
                     at: float | None = None, until: float | None = None,
                     seats: Sequence[str] | None = None, history: History = "kept",
                     baseline: bool = True, workers: int = 1, backend: str = "local") -> Summary:
    """Fork a live exercise: `reps` futures as is and under `change`, paired on the same seeds.

    Args:
        source: the live `Session`, a journal's `JournalContents`, or its list of operations.
        scenario: the session's scenario.
        seed: the session's seed; default: from `source` (a Session or a journal), else 0.
        variant: the session's variant; default: from `source`, else the scenario's own.
        overrides: the session's parameter overrides; default: from `source`, else none.
        change: parameter values from the fork on, e.g. {"cgs_answer": 0.9}; {} runs as is.
        reps: futures per arm.
        progress: called with (futures done, total), from the calling thread.
        cancelled: polled between chunks; True stops early and keeps what finished
            (the summary is then marked partial).
        at: the fork minute; default: where the session is now (the end of its operations).
        until: stop the futures at this minute; default: the scenario's end.
        history: "kept" (the past stays as played) or "replayed" (see the module docstring).
        seats: actors people played; default: from `source`, else none.
        baseline: also run the futures as is, and compare the two arms paired.
        workers: 1 runs in the calling thread (what a UI wants); more use a process pool.
        backend: `local` or `dask`.

    Returns:
        Per-arm statistics (arm 0 "as is", arm 1 the change) and their paired comparison;
        with baseline=False, the changed arm alone.

    Raises:
        ParameterError: an unknown parameter or a value out of its range, or reps < 1.
        ActionError: the operations do not replay on this scenario.
    """
    ops, defaults = _source(source)
    seed = defaults.get("seed", 0) if seed is None else seed
    variant = defaults.get("variant") if variant is None else variant
    overrides = dict(defaults.get("overrides") or {} if overrides is None else overrides)
    seats = tuple(defaults.get("seats") or () if seats is None else seats)
    change = dict(change or {})
    if reps < 1:
        raise ParameterError("reps must be at least 1")
    if history not in ("kept", "replayed"):
        raise ParameterError(f"history {history!r}; expected 'kept' or 'replayed'")
    past = ops if at is None else ops_until(ops, at)
    answering = bool(defaults.get("answering"))
    probe = Session(scenario, seed, variant, overrides, seats, answering=answering)
    probe.replay(past)  # fails early, in the caller, if the operations do not replay
    fork_at = probe.now if at is None else at
    as_is = resolve_params(scenario, variant, overrides)
    changed = resolve_params(scenario, variant, {**overrides, **change})
    label = " ".join(f"{k}={v}" for k, v in change.items()) or "as is"
    setting = {k: changed[k] for k in change}
    points = [Point(0, "as is", {}, as_is), Point(1, label, setting, changed)] if baseline \
        else [Point(0, label, setting, changed)]
    changes = ({}, change) if baseline else (change,)
    plan = Plan(points=tuple(points), reps=reps, seed=seed, swept=tuple(change),
                common_seeds=True, paired=baseline)
    job = ForkJob(scenario, plan, tuple(past), seed, variant, overrides, changes, seats, fork_at,
                  history, until, answering)
    options = Options(backend=backend, workers=workers, progress=progress, cancelled=cancelled,
                      extra={"fork": {"at": fork_at, "history": history, "change": change}})
    return run_job(job, options, variant=variant or scenario.default_variant)


def _source(source: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Operations and the session's settings from a Session, journal contents, or a list."""
    if isinstance(source, Session):
        return list(source.ops), {"seed": source.seed, "variant": source.variant,
                                  "overrides": source.overrides, "seats": source.seats,
                                  "answering": source.answering}
    if hasattr(source, "header") and hasattr(source, "ops"):  # journal contents
        header = source.header
        return list(source.ops), {k: header.get(k) for k in ("seed", "variant", "overrides", "seats",
                                                             "answering")}
    return [dict(op) for op in source], {}
