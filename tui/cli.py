"""`hotline play`: the terminal UI's subcommand, registered through the `hotline.commands` entry point.

Only the command function imports Textual, so `hotline --help` and the other subcommands
start without it. Every mistake in the arguments is found before the app starts, and
reported as one line on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

#: Why `hotline play` stops when its standard input is not a terminal.
NO_TERMINAL = ("standard input is not a terminal, and the play screen reads its keys there; run "
               "it from a terminal (not a pipe or a script), or use `hotline run SCENARIO` for a "
               "run without a screen")


def register(sub: Any) -> None:
    """Add the `play` subcommand to the `hotline` parser."""
    from sim.runcli import add_run_flags

    p = sub.add_parser(
        "play", help="run an exercise in the terminal, as facilitator or as one actor",
        description="Play a scenario turn by turn in the terminal. The facilitator sees "
        "everything, the ground truth included; a player takes one actor and sees only what "
        "reaches it, against the automated actors. Every action is written to a journal as it "
        "is done: --resume carries on after a crash or a break.")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO",
                   help="scenario YAML file (default: the Przewodów 2022 scenario)")
    p.add_argument("--pick", action="store_true", help="choose among the shipped scenarios first")
    p.add_argument("--seat", metavar="ACTOR|facilitator",
                   help="take this seat at once instead of choosing it on screen")
    add_run_flags(p)
    p.add_argument("--rehearse", nargs="?", type=int, const=20, metavar="N",
                   help="instead of seed 0, play the world closest to the historical record "
                   "among seeds 0 to N-1 (default N: 20); the seed and why are shown")
    p.add_argument("--require", action="append", default=[], metavar="EVENT",
                   help="with --rehearse: a key event the world must have, a metric id or "
                   "ACTOR:KIND[:HYPOTHESIS] (e.g. ap:statement:russia-deliberate); repeatable")
    p.add_argument("--journal", metavar="PATH", help="write the journal here (default: "
                   "$XDG_DATA_HOME/hotline/journals/<scenario>-<time>.jsonl); must not exist")
    p.add_argument("--resume", metavar="JOURNAL", help="carry on from a journal: the scenario, "
                   "seed, variant and seat come from it; with --variant or --set, play on "
                   "under them from where the journal stopped (recorded in the journal)")
    p.set_defaults(func=cmd_play, seed=None)  # None: not given, which --resume must know


def prepare(args: argparse.Namespace) -> Any:
    """Check the arguments and load what they name, before any screen opens.

    Returns:
        The app's `PlayOptions`.

    Raises:
        UsageError: a bad flag, seat or journal.
        ScenarioError: an invalid scenario file.
    """
    from sim.catalog import default_scenario, shipped
    from sim.cli import UsageError
    from sim.engine.journal import JournalError
    from sim.engine.params import ParameterError, parse_overrides, resolve_params
    from sim.engine.session import FACILITATOR
    from sim.scenario import load_scenario
    from tui.app import PlayOptions
    from tui.game import Game

    if args.require and args.rehearse is None:
        raise UsageError("--require names key events for --rehearse; add --rehearse")
    if args.rehearse is not None and (args.resume or args.seed is not None):
        raise UsageError("--rehearse chooses the seed; leave out --seed and --resume")
    if args.rehearse is not None and args.rehearse < 1:
        raise UsageError("--rehearse N: expected at least 1 candidate seed")
    if args.resume:
        if args.scenario or args.pick or args.journal:
            raise UsageError("--resume takes the scenario and journal from the journal; "
                             "leave out SCENARIO, --pick and --journal")
        try:
            game, warnings = Game.resume(args.resume)
        except (JournalError, ParameterError) as exc:
            raise UsageError(str(exc)) from None
        if args.seat and args.seat != game.seat.id:
            game.close()
            raise UsageError(f"--seat {args.seat}: the journal was played from the seat "
                             f"{game.seat.id!r}")
        if args.seed is not None:
            game.close()
            raise UsageError("--seed: a journal keeps the seed it was played with; leave it "
                             "out with --resume")
        if args.variant or args.overrides:
            _switch(game, args.variant, args.overrides)
        for warning in warnings:
            sys.stderr.write(f"hotline play: warning: {warning}\n")
        return PlayOptions(game=game, warnings=warnings)

    try:
        overrides = parse_overrides(args.overrides)
    except ParameterError as exc:
        raise UsageError(str(exc)) from None
    journal = Path(args.journal).expanduser() if args.journal else None
    if journal is not None and journal.exists():
        raise UsageError(f"--journal {journal}: the file exists; choose a new file, or carry on "
                         f"with --resume {journal}")
    if journal is not None:
        try:
            journal.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"--journal {journal}: cannot create its folder: {exc.strerror}") from None
    path = Path(args.scenario) if args.scenario else default_scenario()
    pick = args.pick
    if not args.scenario and not path.exists():
        if not shipped():
            raise UsageError(f"no scenario given and the default {path} is missing; "
                             "name a scenario file")
        pick = True
    scenario = None if pick and not args.scenario else load_scenario(path)
    if scenario is not None:
        try:
            resolve_params(scenario, args.variant, overrides)
        except ParameterError as exc:
            raise UsageError(str(exc)) from None
        if args.seat and args.seat != FACILITATOR:
            playable = [a.id for a in scenario.actors if a.playable]
            if args.seat not in playable:
                raise UsageError(f"--seat {args.seat}: not a playable actor of {scenario.id}; "
                                 f"expected facilitator or one of: {', '.join(playable)}")
    seed, notices = args.seed or 0, []
    if args.rehearse is not None:
        if scenario is None:
            raise UsageError("--rehearse needs a scenario: name it (not --pick)")
        seed, notice = _rehearse(scenario, args, overrides)
        sys.stderr.write(f"hotline play: rehearsal: {notice}\n")
        notices.append(notice)
    return PlayOptions(scenario_path=path if scenario is not None else None, scenario=scenario,
                       seat=args.seat, seed=seed, variant=args.variant, overrides=overrides,
                       journal_path=journal, pick=pick, notices=notices)


def _rehearse(scenario: Any, args: argparse.Namespace, overrides: dict[str, str]) -> tuple[int, str]:
    """The seed `--rehearse` chooses, and why.

    Raises:
        UsageError: an unknown key event, or no candidate with every key event.
    """
    from sim.cli import UsageError
    from sim.engine.params import resolve_params
    from sim.engine.session import FACILITATOR
    from sim.rehearse import RehearsalError, choose_seed

    seats = [args.seat] if args.seat and args.seat != FACILITATOR else []
    try:
        choice = choose_seed(scenario, resolve_params(scenario, args.variant, overrides),
                             args.rehearse, args.require, seats)
    except RehearsalError as exc:
        raise UsageError(str(exc)) from None
    return choice.best.seed, choice.explain()


def _switch(game: Any, variant: str | None, pairs: list[str]) -> None:
    """Play a resumed journal on under another variant or parameter values, from now.

    `--variant` replaces the variant and the overrides in force; `--set` alone adds to them.

    Raises:
        UsageError: an unknown variant or parameter, or a bad value.
    """
    from sim.cli import UsageError
    from sim.durations import format_hm
    from sim.engine.params import ParameterError, parse_overrides, resolve_params

    session = game.session
    try:
        given = parse_overrides(pairs)
        overrides = given if variant else {**session.overrides, **given}
        resolve_params(session.scenario, variant or session.variant, overrides)
    except ParameterError as exc:
        game.close()
        raise UsageError(str(exc)) from None
    if not sys.stdin.isatty():  # the switch is written to the journal: only for a real game
        game.close()
        raise UsageError(NO_TERMINAL)
    game.change(variant, overrides)
    setting = " ".join(f"{k}={v}" for k, v in overrides.items())
    sys.stderr.write(f"hotline play: from +{format_hm(session.now)} on, playing variant "
                     f"{session.variant}{' with ' + setting if setting else ''} "
                     "(recorded in the journal)\n")


def cmd_play(args: argparse.Namespace) -> int:
    """Run the app; say where the journal is when it closes."""
    options = prepare(args)
    if not sys.stdin.isatty():
        # Textual would wait forever for keys that cannot come
        if options.game is not None:
            options.game.close()
        from sim.cli import UsageError

        raise UsageError(NO_TERMINAL)
    from tui.app import HotlineApp

    app = HotlineApp(options)
    try:
        app.run()
    finally:
        if app.game is not None:
            app.game.close()
    path = app.journal_path
    if path is not None:
        sys.stdout.write(f"journal: {path}\n  carry on: hotline play --resume {path}\n"
                         f"  report:   hotline report {path}\n")
    return 0
