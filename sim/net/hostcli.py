"""`hotline host`: run one exercise and serve its seats over the network.

It prints one join line per seat (each with its own token) and runs until interrupted; every
action is in the journal before anyone is told of it, so `hotline host --resume JOURNAL`
after a crash brings the same exercise back under the same tokens, and the seats reconnect.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from sim.net.exercise import TURN_MODES

#: The port `hotline host` listens on unless told otherwise.
DEFAULT_PORT = 8765


def register(sub: Any) -> None:
    """Add the `host` subcommand to the `hotline` parser."""
    from sim.runcli import add_run_flags

    p = sub.add_parser(
        "host", help="serve an exercise to several seats (terminals and browsers)",
        description="Run one exercise and serve it: each seat joins with `hotline join` (or a "
        "browser, with --web) and its own token, and sees only what reaches its actor. The "
        "facilitator's seat moves the clock. Every action is on disk before anyone is told.")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO",
                   help="scenario YAML file (default: the Przewodów 2022 scenario)")
    add_run_flags(p)
    p.add_argument("--seats", metavar="ACTOR,...",
                   help="the actors people play (default: every playable actor); the others "
                   "follow the scenario's rules")
    p.add_argument("--journal", metavar="PATH", help="write the journal here (default: "
                   "$XDG_DATA_HOME/hotline/journals/<scenario>-<time>.jsonl); must not exist")
    p.add_argument("--resume", metavar="JOURNAL", help="carry on a hosted exercise from its "
                   "journal, with the same seats and tokens (kept in JOURNAL.seats.json)")
    p.add_argument("--rehearse", nargs="?", type=int, const=20, metavar="N",
                   help="instead of seed 0, the seed among 0 to N-1 closest to the historical "
                   "record (default N: 20)")
    p.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port to listen on (default: {DEFAULT_PORT}; 0: any free port)")
    p.add_argument("--turns", choices=TURN_MODES, default="facilitator",
                   help="how a turn ends: when the facilitator says (default), or also once "
                   "every connected player says ready")
    p.add_argument("--turn-timer", metavar="DURATION",
                   help="wall-clock time after which a turn ends by itself, e.g. 5m")
    p.add_argument("--web", type=int, metavar="PORT",
                   help="also serve the seats to browsers on this port (textual-serve)")
    p.set_defaults(func=cmd_host, seed=None)


def _seconds(text: str | None) -> float | None:
    """A `--turn-timer` value in seconds."""
    from sim.cli import UsageError
    from sim.durations import DurationError, parse_duration

    if text is None:
        return None
    try:
        minutes = parse_duration(text)
    except DurationError:
        raise UsageError(f"--turn-timer {text!r}: expected a duration like 90s, 5m or 1h") from None
    if minutes <= 0:
        raise UsageError(f"--turn-timer {text!r}: expected a duration above zero")
    return minutes * 60


def prepare(args: argparse.Namespace) -> tuple[Any, list[str]]:
    """The exercise the flags ask for, and warnings to show.

    Raises:
        UsageError: a bad flag, seat, journal or seats file.
        ScenarioError: an invalid scenario file.
    """
    from sim.catalog import default_scenario
    from sim.cli import UsageError
    from sim.engine.journal import JournalError
    from sim.engine.params import ParameterError, parse_overrides, resolve_params
    from sim.engine.session import ActionError
    from sim.net.hosting import new_exercise, resumed_exercise
    from sim.net.seats import SeatFileError
    from sim.scenario import load_scenario

    timer = _seconds(args.turn_timer)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: expected 0 to 65535")
    if args.resume:
        if args.scenario or args.journal or args.seats or args.seed is not None or args.rehearse:
            raise UsageError("--resume takes the scenario, seed, seats and journal from the "
                             "journal; leave out SCENARIO, --seed, --seats, --journal, --rehearse")
        if args.variant or args.overrides:
            raise UsageError("--resume plays on as the journal was played; leave out "
                             "--variant and --set")
        try:
            return resumed_exercise(Path(args.resume), turns=args.turns, timer=timer)
        except (JournalError, SeatFileError, ParameterError) as exc:
            raise UsageError(str(exc)) from None
    path = Path(args.scenario) if args.scenario else default_scenario()
    scenario = load_scenario(path)
    try:
        overrides = parse_overrides(args.overrides)
        resolve_params(scenario, args.variant, overrides)
    except ParameterError as exc:
        raise UsageError(str(exc)) from None
    playable = [a.id for a in scenario.actors if a.playable]
    seats = [s.strip() for s in args.seats.split(",") if s.strip()] if args.seats else playable
    wrong = [s for s in seats if s not in playable]
    if wrong:
        raise UsageError(f"--seats: {', '.join(wrong)} not a playable actor of {scenario.id}; "
                         f"expected some of: {', '.join(playable)}")
    journal = Path(args.journal).expanduser() if args.journal else _default_journal(scenario.id)
    if journal.exists():
        raise UsageError(f"--journal {journal}: the file exists; choose a new file, or carry on "
                         f"with --resume {journal}")
    seed, notes = args.seed or 0, []
    if args.rehearse is not None:
        from sim.rehearse import RehearsalError, choose_seed

        if args.seed is not None:
            raise UsageError("--rehearse chooses the seed; leave out --seed")
        try:
            choice = choose_seed(scenario, resolve_params(scenario, args.variant, overrides),
                                 args.rehearse, [], seats)
        except RehearsalError as exc:
            raise UsageError(str(exc)) from None
        seed = choice.best.seed
        notes.append(f"rehearsal: {choice.explain()}")
    try:
        journal.parent.mkdir(parents=True, exist_ok=True)
        exercise = new_exercise(path, scenario, journal, seats=seats, seed=seed,
                                variant=args.variant, overrides=overrides, turns=args.turns,
                                timer=timer)
    except (ActionError, ParameterError) as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"--journal {journal}: {exc.strerror}") from None
    return exercise, notes


def _default_journal(scenario_id: str) -> Path:
    import os
    from datetime import UTC, datetime

    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
    return base / "hotline" / "journals" / f"{scenario_id}-{stamp}-hosted.jsonl"


def cmd_host(args: argparse.Namespace) -> int:
    """Serve the exercise until interrupted."""
    exercise, notes = prepare(args)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s hotline host: %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("websockets").setLevel(logging.WARNING)  # its "listening" lines add nothing
    for note in notes:
        sys.stderr.write(f"hotline host: {note}\n")
    try:
        return asyncio.run(_serve(exercise, args))
    finally:
        exercise.journal.close()


async def _serve(exercise: Any, args: argparse.Namespace) -> int:
    from sim.net.server import ExerciseServer

    server = ExerciseServer(exercise, args.bind, args.port)
    try:
        await server.start()
    except OSError as exc:
        from sim.cli import UsageError

        raise UsageError(f"cannot listen on {args.bind}:{args.port}: {exc.strerror}") from None
    session = exercise.session
    out = [f"hotline host: {session.scenario.id}, seed {session.seed}, minute "
           f"{session.now:g}, serving on {server.url}",
           f"journal: {exercise.journal.path}  (carry on: hotline host --resume "
           f"{exercise.journal.path})", "join lines (one per seat; give each only its own):"]
    width = max(len(s) for s in exercise.tokens.tokens)
    out += [f"  {seat:<{width}}  hotline join {server.url} --token {token}"
            for seat, token in exercise.tokens.tokens.items()]
    web = None
    if args.web is not None:
        web = subprocess.Popen([sys.executable, "-m", "sim.cli", "serve", server.url,  # noqa: S603
                                "--bind", args.bind, "--port", str(args.web)],
                               stdout=sys.stderr)  # its banner and log, apart from the join lines
        out.append(f"browser seats: http://{args.bind}:{args.web} (the page asks for the token)")
    if args.bind not in ("127.0.0.1", "localhost", "::1"):
        out.append("warning: the exercise is open beyond this machine, unencrypted (ws://); "
                   "use it on a network you trust")
    out.append("serving; Ctrl-C stops the exercise (the journal keeps it for --resume)")
    sys.stdout.write("\n".join(out) + "\n")
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop()
    if web is not None:
        web.terminate()
        web.wait(timeout=10)
    sys.stdout.write(f"stopped; carry on: hotline host --resume {exercise.journal.path}\n")
    return 0
