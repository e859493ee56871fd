"""`hotline run`: one headless run as a readable timeline or JSON lines, or many replications."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sim.durations import DurationError, format_hm, parse_duration
from sim.loadflags import add_load_flags, load_limits


def register(sub: Any) -> None:
    """Add the `run` subcommand to the `hotline` parser."""
    p = sub.add_parser(
        "run", help="play a scenario headless: a timeline, JSON lines, or replication statistics",
        description="Run a scenario with no one at the keyboard: every actor follows the "
        "scenario's rules. Prints a timeline and the metrics, the event log as JSON lines "
        "(--json), or statistics over many replications (--reps).")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    add_run_flags(p)
    p.add_argument("--until", metavar="DURATION", help="stop after this much scenario time (e.g. 12h)")
    p.add_argument("--reps", type=int, metavar="N", help="run N replications and summarise metrics")
    p.add_argument("--workers", type=int, default=1, metavar="K",
                   help="with --reps: run on K processes, as `sweep` does; the results are the "
                   "same for any K (default: 1)")
    p.add_argument("--json", action="store_true", help="JSON lines (one record a line), or JSON "
                   "statistics with --reps")
    add_load_flags(p)
    p.add_argument("--save", metavar="FILE", help="also save the run as a journal, for "
                   "`hotline report` (and to replay it); must not exist")
    p.add_argument("--force", action="store_true", help="let --save replace an existing file "
                   "(never the scenario itself)")
    p.set_defaults(func=cmd_run)


def add_run_flags(p: argparse.ArgumentParser) -> None:
    """The flags that pick what runs: seed, variant, parameter overrides."""
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--variant", metavar="NAME", help="a variant of the scenario (default: its own)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="overrides",
                   help="override a parameter (repeatable), e.g. --set cgs_answer=0.5")


def load_for_run(args: argparse.Namespace) -> tuple[Any, dict[str, float], float | None]:
    """The scenario, its parameter values and the end time the flags ask for.

    Raises:
        UsageError: a bad flag value, variant or parameter.
        ScenarioError: an invalid scenario file.
    """
    from sim.cli import UsageError
    from sim.engine.params import ParameterError, parse_overrides, resolve_params
    from sim.scenario import load_scenario

    scenario = load_scenario(args.scenario, load_limits(args))
    try:
        params = resolve_params(scenario, args.variant, parse_overrides(args.overrides))
    except ParameterError as exc:
        raise UsageError(str(exc)) from None
    until = None
    if getattr(args, "until", None) is not None:  # `--until ""` is a mistake, not "the whole run"
        until = parse_until(args.until)
    if getattr(args, "reps", None) is not None and args.reps < 1:
        raise UsageError("--reps must be at least 1")
    if getattr(args, "workers", 1) < 1:
        raise UsageError("--workers must be at least 1")
    return scenario, params, until


def parse_until(text: str) -> float:
    """An `--until` value: a duration after the start, more than zero.

    Raises:
        UsageError: not a duration, or zero.
    """
    from sim.cli import UsageError

    try:
        until = parse_duration(text)
    except DurationError as exc:
        raise UsageError(f"--until: {exc}") from None
    if until <= 0:
        raise UsageError(f"--until {text}: expected a duration after the start, e.g. 12h")
    return until


def cmd_run(args: argparse.Namespace) -> int:
    """Run the scenario as the flags say."""
    if getattr(args, "save", None):
        from sim.cli import UsageError
        from sim.outputs import OutputError, check_output

        try:
            check_output("--save", args.save, force=args.force, protect=[args.scenario])
        except OutputError as exc:
            raise UsageError(str(exc)) from None
    scenario, params, until = load_for_run(args)
    if args.reps and getattr(args, "save", None):
        from sim.cli import UsageError

        raise UsageError("--save keeps one run; it cannot be used with --reps")
    if args.reps:
        from sim.whatif.progress import ProgressBar
        from sim.whatif.replications import format_summary, run_replications

        bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
        try:
            summary = run_replications(scenario, params, args.reps, args.seed, until=until,
                                       workers=args.workers, progress=bar)
        finally:
            if bar is not None:
                bar.close()
        if args.json:
            print(json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False))
        else:
            print(format_summary(scenario, summary, variant=args.variant or scenario.default_variant))
        if summary["partial"]:
            sys.stderr.write(f"interrupted: kept the {summary['done']} of {args.reps} runs that "
                             "finished; the results are partial\n")
            return 130
        return 0
    from sim.engine.metrics import MetricSet
    from sim.engine.timeline import format_metrics, format_record
    from sim.engine.world import World

    saved = _saved_run(args, scenario) if getattr(args, "save", None) else None
    world = saved.world if saved else World(scenario, args.seed, params)
    run = saved.run if saved else world.run
    out = sys.stdout
    if args.json:
        world.listeners.append(lambda r: out.write(r.dumps() + "\n"))
        run(until)
        return 0
    world.listeners.append(lambda r: out.write(format_record(scenario, r) + "\n")
                           if format_record(scenario, r) else None)
    variant = args.variant or scenario.default_variant or "-"
    print(f"{scenario.title}\nseed {args.seed} · variant {variant} · start "
          f"{scenario.start:%Y-%m-%d %H:%M %Z}\n")
    run(until)
    print()
    print(format_metrics(scenario, MetricSet(scenario).compute(world.log, world.truths), params))
    return 0


class _SavedRun:
    """A run driven through a `Session` whose journal is written as it goes (`--save`)."""

    def __init__(self, session: Any, journal: Any) -> None:
        self.session = session
        self.journal = journal
        self.world = session.world

    def run(self, until: float | None) -> None:
        """Run to `until` or the end; the journal holds the same run, so it replays the same log.

        A session stops at the scenario's pauses; a headless run goes on, so each stop is
        one more `advance` in the journal.
        """
        end = self.session.scenario.duration if until is None else until
        try:
            self.session.advance(end)
            while self.session.paused and self.session.now < end and not self.session.halted:
                self.session.advance(end)
        finally:
            self.journal.close()
        if self.session.halted:
            from sim.engine.runaway import RunawayError

            raise RunawayError(self.session.halted)


def _saved_run(args: argparse.Namespace, scenario: Any) -> _SavedRun:
    """A session for this run with its journal at `--save`; the journal's header is written."""
    from pathlib import Path

    from sim.cli import UsageError
    from sim.engine.journal import Journal
    from sim.engine.params import parse_overrides
    from sim.engine.session import Session
    from sim.scenario.loader import read_scenario_text

    path = Path(args.scenario)
    text = read_scenario_text(path, load_limits(args))
    session = Session(scenario, seed=args.seed, variant=args.variant,
                      overrides=parse_overrides(args.overrides))
    try:
        journal = Journal.create(args.save, session, path, text)
    except OSError as exc:
        raise UsageError(f"--save: cannot write {args.save}: {exc.strerror}") from None
    return _SavedRun(session, journal)


__all__ = ["add_run_flags", "format_hm", "load_for_run", "parse_until", "register"]
