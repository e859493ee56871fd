"""`hotline calibrate`: a scenario's historical values beside its runs, split by role, over seeds.

A calibration table is only honest when it says which values were used to set the model.
Each historical value declares a role: `fitted` values were used to set parameters, so
matching them shows the fit; `held-out` values were not, so they test the model; `anchored`
values follow an inject, a schedule or a sourced evidence window and test nothing. This command runs the
same replications under several seeds (as `run --reps` does, one seed at a time) and reports
each role on its own: for every value, its simulated 10th–90th band under each seed and
whether the historical value lies inside. Anchored values are shown and never counted.

`--check` makes it a gate: the exit status is 3 when a held-out value lies outside its band
under a majority of the seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim.engine.metrics import ROLE_MEANING, historical_role, historical_value
from sim.engine.timeline import show_value
from sim.scenario.models import YES_NO_METRICS, Scenario

#: `--check` failed: a held-out value lay outside its band under most seeds.
EXIT_CHECK_FAILED = 3

#: Fewest seeds a calibration runs: one seed's band can be luck.
MIN_SEEDS = 3

#: The order of the sections, and their headings.
SECTIONS = (
    ("held-out", "Held out"),
    ("fitted", "Fitted"),
    ("anchored", "Anchored (never counted as calibration)"),
)


@dataclass(frozen=True)
class SeedBand:
    """One metric under one seed: its 10th–90th band and whether the historical value is inside."""

    seed: int
    p10: float | None
    median: float | None
    p90: float | None
    chance: float | None
    """For a yes/no metric: the share of runs in which it happened."""
    inside: bool
    rank: float | None = None
    """Where the historical value falls among the runs (0.5 the middle); None for a bound."""


@dataclass(frozen=True)
class Row:
    """One historical value across the seeds."""

    metric: Any
    role: str
    historical: Any
    """The value in the metric's units (a `Bound` for a bounded time, None for never)."""
    bands: tuple[SeedBand, ...]

    @property
    def inside_seeds(self) -> int:
        """Under how many seeds the value lies inside the band."""
        return sum(b.inside for b in self.bands)

    @property
    def inside_majority(self) -> bool:
        """Inside under more than half of the seeds."""
        return 2 * self.inside_seeds > len(self.bands)


@dataclass(frozen=True)
class Calibration:
    """Every historical value of a scenario against its runs, per seed."""

    scenario: Scenario
    variant: str | None
    reps: int
    seeds: tuple[int, ...]
    rows: tuple[Row, ...]
    partial: bool = False

    def of_role(self, role: str) -> list[Row]:
        """The rows of one role, in the file's order."""
        return [r for r in self.rows if r.role == role]

    def failed_held_out(self) -> list[Row]:
        """Held-out values outside their band under a majority of the seeds."""
        return [r for r in self.of_role("held-out") if not r.inside_majority]


def calibrate(scenario: Scenario, params: Mapping[str, float], variant: str | None, reps: int,
              seeds: Sequence[int], *, until: float | None = None, workers: int = 1,
              progress: Callable[[int, int], None] | None = None) -> Calibration:
    """Run `reps` replications under each seed and set each historical value beside the bands."""
    from sim.whatif.replications import run_replications

    bands: dict[str, list[SeedBand]] = {m.id: [] for m in scenario.metrics}
    partial = False
    for seed in seeds:
        summary = run_replications(scenario, params, reps, seed, until=until, workers=workers,
                                   progress=progress)
        if summary["partial"]:  # interrupted: the seeds that finished are all there is
            partial = True
            break
        for metric_id, e in summary["metrics"].items():
            if "historical_in_band" in e:
                bands[metric_id].append(SeedBand(seed, e["p10"], e["median"], e["p90"],
                                                 e["mean"], bool(e["historical_in_band"]),
                                                 e.get("historical_rank")))
    rows = tuple(Row(m, m.historical.role, historical_value(m, params), tuple(bands[m.id]))
                 for m in scenario.metrics if m.historical is not None)
    return Calibration(scenario, variant, reps, tuple(seeds), rows, partial)


def band_text(row: Row, band: SeedBand) -> str:
    """`2h27m–3h58m ✓`: the band under one seed, and whether the value is inside."""
    mark = "✓" if band.inside else "✗"
    if row.metric.kind in YES_NO_METRICS:
        # the band of a yes/no is 0–0, 0–1 or 1–1: say how often it happened instead
        return f"yes in {band.chance or 0:.0%} {mark}"
    rank = "" if band.rank is None else f" @{band.rank * 100:.0f}"
    return f"{show_value(row.metric, band.p10)}–{show_value(row.metric, band.p90)}{rank} {mark}"


def format_calibration(cal: Calibration) -> str:
    """The calibration as text: one section per role, a band per seed, and a tally."""
    s = cal.scenario
    lines = [f"{s.title}: calibration, variant {cal.variant or '-'}, {cal.reps} replications "
             f"under each of seeds {', '.join(map(str, cal.seeds))}"]
    width = max([len("metric"), *(len(r.metric.label) for r in cal.rows)])
    for role, title in SECTIONS:
        rows = cal.of_role(role)
        if not rows:
            continue
        lines += ["", f"{title}: {ROLE_MEANING[role]}"]
        head = [f"{'metric':<{width}}", f"{s.history_name:>9}",
                *(f"{'seed ' + str(seed):>21}" for seed in cal.seeds), "inside"]
        lines.append("  ".join(head))
        for r in rows:
            cells = [f"{r.metric.label:<{width}}", f"{show_value(r.metric, r.historical):>9}",
                     *(f"{band_text(r, b):>21}" for b in r.bands),
                     f"{r.inside_seeds} of {len(r.bands)}"]
            lines.append("  ".join(cells))
    lines += ["", "band: the simulated 10th–90th percentiles under that seed (a yes/no is "
              "inside unless at least 90% of runs disagree with it); ✓ the historical value "
              "lies inside; @N: the percentile of the runs at which it falls (@50 the middle, "
              "near @0 or @100 an edge)"]
    for role in ("held-out", "fitted"):
        rows = cal.of_role(role)
        if rows:
            inside = sum(r.inside_majority for r in rows)
            lines.append(f"{role}: {inside} of {len(rows)} inside the band under a majority "
                         "of the seeds")
    if cal.of_role("anchored"):
        lines.append(f"anchored: {len(cal.of_role('anchored'))} shown, not counted")
    if cal.partial:
        lines.append("PARTIAL: interrupted before every seed finished")
    return "\n".join(lines)


def calibration_json(cal: Calibration) -> dict[str, Any]:
    """The calibration as JSON: each value's role, historical value and band per seed."""
    from sim.whatif.replications import historical_json

    return {
        "scenario": cal.scenario.id, "variant": cal.variant, "reps": cal.reps,
        "seeds": list(cal.seeds), "partial": cal.partial,
        "metrics": [{"id": r.metric.id, "label": r.metric.label, "role": r.role,
                     "historical": historical_json(r.historical), "inside_seeds": r.inside_seeds,
                     "bands": [{"seed": b.seed, "p10": b.p10, "median": b.median, "p90": b.p90,
                                "chance": b.chance, "rank": b.rank, "inside": b.inside}
                               for b in r.bands]}
                    for r in cal.rows],
        "tally": {role: {"inside": sum(r.inside_majority for r in cal.of_role(role)),
                         "total": len(cal.of_role(role))} for role in ("held-out", "fitted")},
        "failed_held_out": [r.metric.id for r in cal.failed_held_out()],
    }


def register(sub: Any) -> None:
    """Add the `calibrate` subcommand to the `hotline` parser."""
    from sim.loadflags import add_load_flags

    p = sub.add_parser(
        "calibrate", help="historical values beside the runs, fitted and held-out apart",
        description="Run replications under several seeds and set every historical value of the "
        "scenario beside the simulated 10th–90th band, one section per role: held-out values "
        "(which test the model), fitted ones (used to set parameters) and anchored ones (set "
        "by an inject or schedule, never counted). With --check, exit 3 when a held-out value "
        "lies outside its band under a majority of the seeds.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--variant", metavar="NAME", help="a variant of the scenario (default: its own)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="overrides",
                   help="override a parameter (repeatable), e.g. --set cgs_answer=0.5")
    p.add_argument("--seeds", type=_seed_list, default=(1, 2, 3), metavar="S1,S2,S3",
                   help=f"the seeds, at least {MIN_SEEDS} (default: 1,2,3)")
    p.add_argument("--reps", type=int, default=300, metavar="N",
                   help="replications under each seed (default: 300)")
    p.add_argument("--until", metavar="DURATION", help="stop each run after this much scenario time")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="processes to run replications in (default: 1)")
    p.add_argument("--check", action="store_true",
                   help="exit 3 if a held-out value lies outside its band under most seeds")
    p.add_argument("--json", action="store_true", help="the calibration as JSON")
    add_load_flags(p)
    p.set_defaults(func=cmd_calibrate)


def _seed_list(text: str) -> tuple[int, ...]:
    """`1,2,3`: distinct whole numbers."""
    try:
        seeds = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected seeds as whole numbers, "
                                         "e.g. 1,2,3") from None
    if len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(f"{text!r}: a seed is repeated; expected distinct seeds")
    return seeds


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Run the calibration as the flags say; exit 3 on a failed `--check`."""
    from sim.cli import UsageError
    from sim.runcli import load_for_run
    from sim.whatif.progress import ProgressBar

    if len(args.seeds) < MIN_SEEDS:
        raise UsageError(f"--seeds: {len(args.seeds)} given; a calibration needs at least "
                         f"{MIN_SEEDS}, since one seed's band can be luck")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    scenario, params, until = load_for_run(args)
    if args.reps < 1:
        raise UsageError("--reps must be at least 1")
    if not any(historical_role(m) for m in scenario.metrics):
        raise UsageError(f"{args.scenario}: no metric has a historical value; nothing to "
                         "calibrate against")
    variant = args.variant or scenario.default_variant
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        cal = calibrate(scenario, params, variant, args.reps, args.seeds, until=until,
                        workers=args.workers, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        sys.stdout.write(json.dumps(calibration_json(cal), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_calibration(cal) + "\n")
    if cal.partial:
        sys.stderr.write("interrupted: the calibration is partial\n")
        return 130
    failed = cal.failed_held_out()
    if args.check and failed:
        names = ", ".join(r.metric.id for r in failed)
        sys.stderr.write(f"calibrate --check: held-out value outside its band under a majority "
                         f"of the seeds: {names}\n")
        return EXIT_CHECK_FAILED
    return 0
