"""`hotline sweep` and `hotline compare`: what-if runs from the command line.

Only argparse is imported here; the engine, numpy, matplotlib and Dask load when a command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sim.loadflags import add_load_flags, load_limits

#: Exit status when Ctrl-C stopped the run (what finished is still reported, marked partial).
EXIT_INTERRUPTED = 130


def register(sub: Any) -> None:
    """Add `sweep` and `compare` to the `hotline` parser."""
    p = sub.add_parser(
        "sweep", help="vary parameters over a grid or at random; statistics per point",
        description="Run many replications at each setting of some parameters, on a grid "
        "(--grid), at random points within their ranges (--sample), or as a sweep file says "
        "(--file). Replication seeds derive from (seed, point, replication), so the numbers do "
        "not depend on the backend or the number of workers. See docs/whatif.md.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--file", metavar="SWEEP", help="a sweep file (YAML); flags override its fields")
    p.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2,...",
                   help="sweep a parameter over these values (repeatable; grids are crossed)")
    p.add_argument("--sample", action="append", default=[], metavar="NAME[=LOW..HIGH]",
                   help="draw a parameter uniformly in its range, or LOW..HIGH (repeatable)")
    p.add_argument("--points", type=int, metavar="N", help="random points to draw (default: 10)")
    seeds = p.add_mutually_exclusive_group()
    seeds.add_argument("--common-seeds", action="store_true", default=None,
                       help="run every point on the same seeds (common random numbers; the "
                       "default)")
    seeds.add_argument("--independent-seeds", action="store_false", dest="common_seeds",
                       help="give each point its own seeds")
    _add_common(p, default_reps=None)
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser(
        "compare", help="compare two variants (or override sets) paired on the same seeds",
        description="Run arms A and B on the same seeds (common random numbers) and report, for "
        "each metric, B − A with its 95% confidence interval, beside the interval an unpaired "
        "comparison of the same runs would give. Arms are variants (A B), parameter overrides "
        "(--a-set/--b-set), or both.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("a", nargs="?", metavar="A", help="variant of arm A")
    p.add_argument("b", nargs="?", metavar="B", help="variant of arm B")
    p.add_argument("--a-set", action="append", default=[], metavar="NAME=VALUE",
                   help="override a parameter in arm A only (repeatable)")
    p.add_argument("--b-set", action="append", default=[], metavar="NAME=VALUE",
                   help="override a parameter in arm B only (repeatable)")
    _add_common(p, default_reps=200)
    p.set_defaults(func=cmd_compare)


def add_execution_flags(p: argparse.ArgumentParser) -> None:
    """Where replications run (workers, backend, scheduler, chunks) and the progress bar."""
    run = p.add_argument_group("execution")
    run.add_argument("--workers", type=int, metavar="N",
                     help="worker processes (default: every core; 1 runs in this process)")
    run.add_argument("--backend", choices=("local", "dask"), default="local",
                     help="local process pool (default) or Dask (needs the project's dask extra)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a "
                     "LocalCluster of --workers)")
    run.add_argument("--chunk", type=int, metavar="N",
                     help="replications per chunk of work (default: about 0.25 s each)")
    bar = run.add_mutually_exclusive_group()
    bar.add_argument("--progress", action="store_true", default=None,
                     help="show a progress bar on standard error even when it is not a terminal")
    bar.add_argument("--no-progress", action="store_false", dest="progress",
                     help="never show the progress bar")


def _add_common(p: argparse.ArgumentParser, default_reps: int | None) -> None:
    p.add_argument("--reps", type=int, default=default_reps, metavar="N",
                   help=f"replications per point (default: {default_reps or 100})")
    p.add_argument("--seed", type=int, metavar="N", help="base seed (default: 0)")
    p.add_argument("--variant", metavar="NAME", help="variant to start from (default: the scenario's)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="overrides",
                   help="fix a parameter for every run (repeatable)")
    p.add_argument("--until", metavar="DURATION", help="stop each run after this much scenario time")
    add_execution_flags(p)
    out = p.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="the summary as JSON on standard output")
    out.add_argument("--csv", metavar="FILE", help="every run's metrics, one line per replication")
    out.add_argument("--md", metavar="FILE", help="the summary as Markdown")
    out.add_argument("--plot", metavar="DIR", help="PNG and SVG plots (needs matplotlib)")
    out.add_argument("--force", action="store_true",
                     help="replace files that --csv, --md and --plot would write over")
    add_load_flags(p)


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a sweep as the flags (and sweep file) say."""
    from sim.cli import UsageError
    from sim.engine.params import ParameterError, parse_overrides
    from sim.whatif.plan import SweepSpec, build_plan, parse_grid_flag, parse_sample_flag
    from sim.whatif.sweepfile import load_sweep_file

    scenario = _load(args)
    spec = load_sweep_file(args.file, scenario) if args.file else SweepSpec()
    try:
        for text in args.grid:
            name, values = parse_grid_flag(text)
            spec.grid[name] = values
        for text in args.sample:
            name, interval = parse_sample_flag(text)
            spec.sample[name] = interval
        spec.overrides.update(parse_overrides(args.overrides))
        for flag, field in (("points", "points"), ("reps", "reps"), ("seed", "seed"),
                            ("variant", "variant"), ("common_seeds", "common_seeds")):
            if getattr(args, flag) is not None:
                setattr(spec, field, getattr(args, flag))
        if args.until is not None:
            spec.until = _until(args.until)
        plan = build_plan(scenario, spec)
    except ParameterError as exc:
        raise UsageError(str(exc)) from None
    from sim.whatif.jobs import ScenarioJob

    job = ScenarioJob(scenario, plan, spec.until)
    return _run_and_report(args, job, spec.variant or scenario.default_variant)


def cmd_compare(args: argparse.Namespace) -> int:
    """Run a paired comparison as the flags say."""
    from sim.cli import UsageError
    from sim.engine.params import ParameterError, parse_overrides
    from sim.whatif.jobs import ScenarioJob
    from sim.whatif.runner import Arm, compare_plan

    scenario = _load(args)
    if (args.a is None) != (args.b is None):
        raise UsageError("name two variants (A and B), or none and give --a-set/--b-set")
    if args.a is None and not args.a_set and not args.b_set:
        raise UsageError("nothing to compare: name two variants (A B) or give --a-set/--b-set")
    try:
        common = parse_overrides(args.overrides)
        a_set = {**common, **parse_overrides(args.a_set)}
        b_set = {**common, **parse_overrides(args.b_set)}
        a = Arm(_label(args.a, "A", parse_overrides(args.a_set)), args.a or args.variant, a_set)
        b = Arm(_label(args.b, "B", parse_overrides(args.b_set)), args.b or args.variant, b_set)
        plan = compare_plan(scenario, a, b, args.reps, args.seed or 0)
    except ParameterError as exc:
        raise UsageError(str(exc)) from None
    if dict(plan.points[0].params) == dict(plan.points[1].params):
        sys.stderr.write("hotline compare: note: A and B have the same parameter values; "
                         "every difference will be 0\n")
    until = _until(args.until) if args.until is not None else None
    return _run_and_report(args, ScenarioJob(scenario, plan, until), None)


def _label(variant: str | None, default: str, sets: dict[str, str]) -> str:
    text = " ".join(f"{k}={v}" for k, v in sets.items())
    return " ".join(p for p in (variant, text) if p) or default


def _load(args: argparse.Namespace) -> Any:
    from sim.cli import UsageError
    from sim.scenario import load_scenario

    if args.reps is not None and args.reps < 1:
        raise UsageError("--reps must be at least 1")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.chunk is not None and args.chunk < 1:
        raise UsageError("--chunk must be at least 1")
    if args.scheduler and args.backend != "dask":
        raise UsageError("--scheduler needs --backend dask")
    _check_outputs(args)
    return load_scenario(args.scenario, load_limits(args))


def _until(text: str) -> float:
    from sim.runcli import parse_until

    return parse_until(text)


def _check_outputs(args: argparse.Namespace) -> None:
    """Fail before running, not after, on an output that cannot be written or a missing extra."""
    import importlib.util

    from sim.cli import UsageError
    from sim.outputs import OutputError, check_output, check_output_dir

    try:
        for flag in ("csv", "md"):
            path = getattr(args, flag)
            if path:
                check_output(f"--{flag}", path, force=args.force, protect=[args.scenario])
        if args.plot:
            folder = Path(args.plot)
            plots = [p.name for p in folder.glob("*") if p.suffix in (".png", ".svg")] \
                if folder.is_dir() else []
            check_output_dir("--plot", args.plot, plots, force=args.force)
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    if args.plot and importlib.util.find_spec("matplotlib") is None:
        raise UsageError("--plot needs matplotlib; from the checkout: "
                         ".venv/bin/pip install -e '.[plot]' (\"hotline\" on the package "
                         "index is another project)")
    if args.backend == "dask" and importlib.util.find_spec("distributed") is None:
        raise UsageError("--backend dask needs Dask; from the checkout: "
                         ".venv/bin/pip install -e '.[dask]' (\"hotline\" on the package "
                         "index is another project)")


def _run_and_report(args: argparse.Namespace, job: Any, variant: str | None) -> int:
    from sim.whatif.progress import ProgressBar
    from sim.whatif.runner import Options, run_job
    from sim.whatif.tables import heading, render_markdown, render_text, summary_tables

    show_bar = args.progress if args.progress is not None else sys.stderr.isatty()
    bar = ProgressBar(sys.stderr) if show_bar else None
    options = Options(backend=args.backend, workers=args.workers, scheduler=args.scheduler,
                      chunk_size=args.chunk, progress=bar)
    from sim.cli import UsageError
    from sim.outputs import GuardedStream, write_text
    from sim.whatif.backends import BackendError

    csv = GuardedStream("--csv", args.csv) if args.csv else None
    options.csv = csv  # type: ignore[assignment]  # a write failure must not lose the run
    try:
        summary = run_job(job, options, variant=variant)
        if csv is not None and summary.outcome.partial:  # as the table and the JSON say it
            csv.write(f"# partial: {summary.outcome.done} of {summary.outcome.total} runs "
                      "finished (interrupted)\n")
    except BackendError as exc:
        raise UsageError(str(exc)) from None
    finally:
        if csv is not None:
            csv.close()
        if bar is not None:
            bar.close()
    outcome = summary.outcome
    tables = summary_tables(summary)
    head = heading(summary)
    if args.json:
        sys.stdout.write(json.dumps(summary.to_json(), indent=2, sort_keys=True,
                                    ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(tables, head) + "\n")
    sys.stdout.flush()  # the results are out before any output file can fail
    failures = []
    if csv is not None:
        failures.append(csv.check)
    if args.md:
        failures.append(lambda: write_text("--md", args.md, render_markdown(tables, head)))
    if args.plot:
        failures.append(lambda: _plots(summary, args.plot))
    errors = _each(failures)
    rate = outcome.done / outcome.seconds if outcome.seconds > 0 else 0.0
    sys.stderr.write(f"{outcome.done} runs in {outcome.seconds:.1f} s ({rate:,.0f}/s) on "
                     f"{outcome.backend} with {outcome.workers} worker"
                     f"{'s' if outcome.workers != 1 else ''}\n")
    if outcome.partial:
        sys.stderr.write(f"interrupted: kept the {outcome.done} of {outcome.total} runs that "
                         "finished; the results are partial\n")
    if errors:
        raise UsageError("\n".join(errors))
    return EXIT_INTERRUPTED if outcome.partial else 0


def _each(steps: list[Any]) -> list[str]:
    """Run every output step; the messages of those that failed (the rest still run)."""
    from sim.outputs import OutputError

    errors = []
    for step in steps:
        try:
            step()
        except OutputError as exc:
            errors.append(str(exc))
    return errors


def _plots(summary: Any, folder: str) -> None:
    from sim.outputs import OutputError
    from sim.whatif.plots import write_plots

    try:
        write_plots(summary, folder)
    except OSError as exc:
        raise OutputError(f"--plot {folder}: cannot be written: {exc.strerror or exc}") from None
