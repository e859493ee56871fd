"""The `hotline` command: validate, schema, run, and the rest, with clear errors and exit codes."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from sim import __version__
from sim.loadflags import add_load_flags, load_limits

#: Exit status for success, an internal failure, and a user's mistake (bad file or flag).
EXIT_OK, EXIT_INTERNAL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A user's mistake that is not in a scenario file: a bad flag value, an unknown variant."""


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate scenario files; print every problem, or one line per valid file."""
    from sim.scenario import ScenarioError, load_scenario

    status = EXIT_OK
    report: list[dict[str, Any]] = []
    for file in args.files:
        warnings: list[Any] = []
        try:
            scenario = load_scenario(file, load_limits(args), warnings=warnings)
        except ScenarioError as exc:
            status = status or EXIT_USAGE  # an internal error's status stands
            if args.json:
                report.append({"file": file, "valid": False,
                               "diagnostics": [d.to_json() for d in exc.diagnostics],
                               "truncated": exc.truncated})
            else:
                print(exc.report(), file=sys.stderr)
            continue
        except Exception as exc:  # a fault of ours: say so for this file, and go on with the rest
            if args.debug:
                raise
            status = EXIT_INTERNAL
            message = f"internal error: {type(exc).__name__}: {exc}"
            if args.json:
                report.append({"file": file, "valid": False, "diagnostics": [], "error": message})
            else:
                print(f"{file}: {message}; rerun with --debug for the traceback, and please "
                      "report it", file=sys.stderr)
            continue
        if args.json:
            report.append({"file": file, "valid": True,
                           "diagnostics": [w.to_json() for w in warnings]})
        else:
            for warning in warnings:  # a warning does not make the file invalid: exit 0
                print(warning, file=sys.stderr)
            print(f"{file}: ok: {scenario.id} — {len(scenario.actors)} actors, "
                  f"{len(scenario.channels)} channels, {len(scenario.injects)} injects, "
                  f"{len(scenario.rules)} rules, {len(scenario.metrics)} metrics")
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    return status


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the scenario language, or of sweep files."""
    from sim.outputs import OutputError, check_output, write_text

    if args.sweep:
        from sim.whatif.sweepfile import sweep_schema_text

        text = sweep_schema_text()
    else:
        from sim.scenario.schema import schema_text

        text = schema_text()
    if args.output:
        try:
            check_output("-o", args.output, force=args.force)
            write_text("-o", args.output, text)
        except OutputError as exc:
            raise UsageError(str(exc)) from None
    else:
        sys.stdout.write(text)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="hotline",
        description="Hotline: a crisis-communication tabletop simulator.",
        epilog="Exit status: 0 success, 1 internal failure, 2 invalid scenario or bad arguments, "
               "3 `calibrate --check` failed, 130 interrupted (Ctrl-C).",
    )
    parser.add_argument("--version", action="version", version=f"hotline {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", help="check scenario files and report every problem",
                       description="Check scenario files; each problem is printed as "
                       "FILE:LINE:COL: error: field.path: message.")
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files")
    p.add_argument("--json", action="store_true", help="diagnostics as JSON, for editors and scripts")
    add_load_flags(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the scenario language",
                       description="Print the JSON Schema that editors use to complete and check "
                       "scenario files.")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--sweep", action="store_true", help="the schema of sweep files instead")
    p.add_argument("--force", action="store_true", help="let -o replace an existing file")
    p.set_defaults(func=cmd_schema)

    for register in _command_registrars():
        register(sub)
    return parser


#: Modules of `sim` that add subcommands through a `register(subparsers)` function.
_SIM_COMMANDS = ("sim.runcli", "sim.paramscli", "sim.whatif.cli", "sim.whatif.calibrate",
                 "sim.whatif.senscli", "sim.report.cli", "sim.net.hostcli")


def _command_registrars() -> list[Callable[[Any], None]]:
    """The `register` functions of every subcommand module.

    `sim` never imports `tui`: the UI adds `play` through the `hotline.commands` entry point
    group of the installed package, so the engine stays usable without the UI.
    """
    import importlib
    import importlib.util
    from importlib.metadata import entry_points

    found = [importlib.import_module(m).register for m in _SIM_COMMANDS
             if importlib.util.find_spec(m) is not None]
    found += [ep.load() for ep in entry_points(group="hotline.commands")]
    return found


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """Print a scenario's warning as the loader wrote it (FILE:LINE:COL: warning: ...), no source line."""
    if category.__name__ == "ScenarioWarning":
        print(message, file=file or sys.stderr)
    else:
        _default_show_warning(message, category, filename, lineno, file, line)


_default_show_warning = warnings.showwarning


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `hotline` command; returns the exit status."""
    warnings.showwarning = _show_warning
    parser = build_parser()
    if not (sys.argv[1:] if argv is None else argv):
        parser.print_help()  # a bare `hotline`: what it can do, not a usage error
        return EXIT_OK
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"hotline {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        from sim.engine.runaway import RunawayError
        from sim.scenario import ScenarioError

        if isinstance(exc, ScenarioError):
            print(exc.report(), file=sys.stderr)
            return EXIT_USAGE
        if isinstance(exc, RunawayError):  # the scenario's rules loop: the author's to fix
            print(f"hotline {args.command}: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if args.debug:
            raise
        print(f"hotline: internal error: {type(exc).__name__}: {exc}\n"
              "rerun with --debug for the traceback, and please report it", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    # `python -m sim.cli` runs this file as `__main__`, a second copy of the module: the
    # subcommands raise `sim.cli.UsageError`, which this copy's `main` would not recognise.
    from sim.cli import main as package_main

    sys.exit(package_main())
