"""`hotline sensitivity` and `hotline budget`: which link's delay drove a metric.

Only argparse is imported here; the engine and matplotlib load when a command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sim.loadflags import add_load_flags
from sim.whatif.cli import EXIT_INTERRUPTED, add_execution_flags


def register(sub: Any) -> None:
    """Add `sensitivity` and `budget` to the `hotline` parser."""
    p = sub.add_parser(
        "sensitivity", help="rank the links and channels by their parameters' effect on metrics",
        description="Screen every parameter with a declared range (Morris elementary effects, "
        "--trajectories of them) and move each to the low and the high end of its range "
        "(one-at-a-time, paired with the defaults on the same seeds, 95% intervals); rank the "
        "links, channels, rules and actors that use them by their effect on each --metric. "
        "Time-to metrics that never happen in a run count as the run's end (censored). See "
        "docs/whatif.md.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--metric", action="append", default=[], metavar="ID", required=True,
                   help="a metric id of the scenario's `metrics:` (repeatable)")
    p.add_argument("--trajectories", type=int, default=10, metavar="R",
                   help="Morris trajectories (default: 10); each has one point per parameter + 1")
    p.add_argument("--reps", type=int, default=5, metavar="N",
                   help="replications per Morris point (default: 5)")
    p.add_argument("--oat-reps", type=int, metavar="N",
                   help="replications per one-at-a-time point (default: 4 × --reps; 0: none)")
    p.add_argument("--top", type=int, default=10, metavar="N",
                   help="links shown per metric in the table (default: 10; files have all)")
    _add_run_flags(p)
    out = p.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="the analysis as JSON on standard output")
    out.add_argument("--csv", metavar="FILE", help="every parameter's effects, one line per metric "
                     "and parameter")
    out.add_argument("--plot", metavar="DIR", help="PNG and SVG plots (needs matplotlib)")
    out.add_argument("--force", action="store_true", help="replace files --csv and --plot would "
                     "write over")
    p.set_defaults(func=cmd_sensitivity, md=None)

    p = sub.add_parser(
        "budget", help="the delay budget of time-to metrics: which waits on which links made it",
        description="Run the scenario (at the variant's values and --set) with a tracer, walk each "
        "run back from the record a metric reads to minute 0 through what each record followed "
        "from, and sum the waits on that path (rule delays, latency, response, off duty, set-up, "
        "ringing, convening...) by link over the runs. See docs/whatif.md.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--metric", action="append", default=[], metavar="ID", required=True,
                   help="a time-to metric id of the scenario's `metrics:` (repeatable)")
    p.add_argument("--reps", type=int, default=100, metavar="N", help="runs (default: 100)")
    p.add_argument("--top", type=int, default=15, metavar="N",
                   help="rows shown per table (default: 15; --json has all)")
    _add_run_flags(p)
    p.add_argument("--json", action="store_true", help="the budgets as JSON on standard output")
    p.set_defaults(func=cmd_budget, csv=None, md=None, plot=None, force=False)


def _add_run_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=int, default=0, metavar="N", help="base seed (default: 0)")
    p.add_argument("--variant", metavar="NAME", help="variant giving the defaults")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="overrides",
                   help="fix a parameter for every run; it is not screened (repeatable)")
    p.add_argument("--until", metavar="DURATION", help="stop each run after this much scenario "
                   "time (censored times count as this)")
    add_execution_flags(p)
    add_load_flags(p)


def _load(args: argparse.Namespace) -> Any:
    """The scenario, after the flags that need no scenario are checked (and outputs writable)."""
    from sim.cli import UsageError
    from sim.whatif.cli import _load as load_checked

    if getattr(args, "top", 1) < 1:
        raise UsageError("--top must be at least 1")
    return load_checked(args)


def _runner(args: argparse.Namespace, total: int) -> tuple[Any, Any]:
    """A function running one job on the chosen backend, and the progress bar (or None)."""
    from sim.whatif.execute import execute
    from sim.whatif.progress import ProgressBar

    show = args.progress if args.progress is not None else sys.stderr.isatty()
    bar = ProgressBar(sys.stderr) if show else None

    def run(job: Any, deliver: Any, before: int) -> Any:
        progress = (lambda done, _t: bar(before + done, total)) if bar else None
        return execute(job, deliver, backend=args.backend, workers=args.workers,
                       scheduler=args.scheduler, chunk_size=args.chunk, progress=progress)
    return run, bar


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Run a sensitivity analysis as the flags say and print its table (or JSON)."""
    from sim.cli import UsageError
    from sim.engine.params import ParameterError, parse_overrides
    from sim.outputs import write_text
    from sim.whatif.backends import BackendError
    from sim.whatif.cli import _each, _until
    from sim.whatif.sensitivity import Request, analyse, build
    from sim.whatif.sensout import render_csv, render_text, to_json

    scenario = _load(args)
    try:
        request = Request(tuple(args.metric), args.trajectories, args.reps,
                          args.oat_reps if args.oat_reps is not None else 4 * args.reps,
                          args.seed, args.variant, parse_overrides(args.overrides),
                          _until(args.until) if args.until is not None else None)
        _f, _d, plan_m, plan_o, _c = build(scenario, request)
    except ParameterError as exc:
        raise UsageError(str(exc)) from None
    run, bar = _runner(args, plan_m.total + plan_o.total)
    try:
        analysis = analyse(scenario, request, run=run)
    except BackendError as exc:
        raise UsageError(str(exc)) from None
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        sys.stdout.write(json.dumps(to_json(analysis), indent=2, sort_keys=True,
                                    ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(analysis, args.top) + "\n")
    sys.stdout.flush()
    steps = []
    if args.csv:
        steps.append(lambda: write_text("--csv", args.csv, render_csv(analysis)))
    if args.plot:
        steps.append(lambda: _plots(analysis, args.plot))
    errors = _each(steps)
    seconds = sum(o.seconds for o in analysis.outcomes)
    runs = sum(o.done for o in analysis.outcomes)
    last = analysis.outcomes[-1]
    sys.stderr.write(f"{runs} runs in {seconds:.1f} s on {last.backend} with {last.workers} "
                     f"worker{'s' if last.workers != 1 else ''}\n")
    if errors:
        raise UsageError("\n".join(errors))
    return EXIT_INTERRUPTED if analysis.partial else 0


def _plots(analysis: Any, folder: str) -> None:
    from sim.outputs import OutputError
    from sim.whatif.sensplots import write_plots

    try:
        write_plots(analysis, folder)
    except OSError as exc:
        raise OutputError(f"--plot {folder}: cannot be written: {exc.strerror or exc}") from None


def cmd_budget(args: argparse.Namespace) -> int:
    """Run traced replications and print each metric's delay budget (or JSON)."""
    from sim.cli import UsageError
    from sim.engine.params import ParameterError, parse_overrides, resolve_params
    from sim.whatif.backends import BackendError
    from sim.whatif.budget import Budget, BudgetJob, check_metrics, render_text
    from sim.whatif.cli import _until
    from sim.whatif.plan import Plan, Point

    scenario = _load(args)
    try:
        check_metrics(scenario, args.metric)
        params = resolve_params(scenario, args.variant, parse_overrides(args.overrides))
    except ParameterError as exc:
        raise UsageError(str(exc)) from None
    plan = Plan((Point(0, "defaults", {}, params),), args.reps, args.seed, common_seeds=True)
    until = _until(args.until) if args.until is not None else None
    job = BudgetJob(scenario, plan, tuple(args.metric), until)
    labels = {m.id: m.label for m in scenario.metrics}
    budgets = [Budget(m, labels[m]) for m in args.metric]

    def deliver(_point: int, _rep: int, paths: Any) -> None:
        for budget, path in zip(budgets, paths, strict=True):
            budget.add(path)

    run, bar = _runner(args, plan.total)
    try:
        outcome = run(job, deliver, 0)
    except BackendError as exc:
        raise UsageError(str(exc)) from None
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        data = {"scenario": scenario.id, "variant": args.variant, "seed": args.seed,
                "reps": args.reps, "partial": outcome.partial,
                "budgets": [b.to_json() for b in budgets]}
        sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        head = (f"Delay budget of {scenario.id}{f' (variant {args.variant})' if args.variant else ''}"
                f": {outcome.done} runs from seed {args.seed}")
        sys.stdout.write(render_text(budgets, head, args.top) + "\n")
    sys.stdout.flush()
    sys.stderr.write(f"{outcome.done} runs in {outcome.seconds:.1f} s on {outcome.backend} with "
                     f"{outcome.workers} worker{'s' if outcome.workers != 1 else ''}\n")
    return EXIT_INTERRUPTED if outcome.partial else 0
