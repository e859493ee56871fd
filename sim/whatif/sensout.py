"""A sensitivity analysis as a text table, CSV rows and JSON data."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from sim.whatif.morris import DELTA, LEVELS
from sim.whatif.sensitivity import Analysis, Effect, MetricResult

#: Groups shown per metric in the text table (the CSV and JSON have every parameter).
TOP = 10


def _num(x: float, unit: str = "") -> str:
    if math.isnan(x):
        return "–"
    return f"{x:+.2f}" if unit == "signed" else f"{x:.2f}"


def _ci(ci: tuple[float, float]) -> str:
    return "–" if math.isnan(ci[0]) else f"[{ci[0]:+.2f}, {ci[1]:+.2f}]"


def _effect(e: Effect) -> str:
    if math.isnan(e.mean):
        return "–"
    return f"{_num(e.mean, 'signed')} {_ci(e.ci)}"


def heading(analysis: Analysis) -> str:
    """What was run, for the top of the table."""
    r = analysis.request
    k = len(analysis.factors)
    runs = sum(o.done for o in analysis.outcomes)
    oat = (f"one-at-a-time, {2 * k + 1} points × {r.oat_reps} reps" if r.oat_reps
           else "no one-at-a-time runs")
    return (f"Sensitivity of {analysis.scenario}"
            f"{f' (variant {r.variant})' if r.variant else ''}: {k} parameters with a range; "
            f"Morris, {r.trajectories} trajectories × {k + 1} points × {r.reps} reps "
            f"({LEVELS} levels, step {DELTA:.3g} of each range); "
            f"{oat}; every point on the same seeds "
            f"(base seed {r.seed}); {runs} runs.")


def metric_lines(m: MetricResult, top: int = TOP) -> list[str]:
    """One metric's ranking of links, as lines of text."""
    unit = " (hours)" if m.unit == "h" else ""
    lines = [f"{m.label} [{m.id}]{unit}: mean at the defaults {_num(m.default_mean)}"]
    if m.censored:
        lines.append(f"  censored: in {m.censored:.0%} of runs it never happened; those count as "
                     f"the run's end ({_num(m.end)}{' h' if m.unit else ''}), so effects there "
                     "are bounds")
    rows = [("#", "link or channel", "μ* [95% CI]", "σ", "strongest parameter",
             "low − default [95% CI]", "high − default [95% CI]")]
    for i, (group, p, n) in enumerate(m.groups()[:top], 1):
        s = p.screening
        name = p.name if n == 1 else f"{p.name} (+{n - 1})"
        rows.append((str(i), _short(group), f"{_num(s.mu_star)} {_ci(p.mu_star_ci)}",
                     _num(s.sigma), name, _effect(p.low), _effect(p.high)))
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines += ["  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
              for r in rows]
    return lines


def _short(group: str, width: int = 48) -> str:
    return group if len(group) <= width else group[: width - 1] + "…"


def render_text(analysis: Analysis, top: int = TOP) -> str:
    """Every metric's ranking of links under one heading."""
    out = [heading(analysis), ""]
    for m in analysis.metrics:
        out += [*metric_lines(m, top), ""]
    out.append("μ*: mean size of the elementary effects, in the metric's unit per whole range "
               "(how much the link matters); σ: their spread (interactions, curvature); low/high: "
               "the paired mean change from the defaults with the parameter at that end of its "
               "range. A link's row shows its strongest parameter; (+n): more parameters in it.")
    if analysis.partial:
        out.append("partial: interrupted before every run finished")
    return "\n".join(out)


#: Columns of the CSV: one row per metric and parameter.
CSV_COLUMNS = ("metric", "rank", "parameter", "group", "mu_star", "mu_star_ci_low",
               "mu_star_ci_high", "mu", "sigma", "effects", "low_value", "low_effect",
               "low_ci_low", "low_ci_high", "high_value", "high_effect", "high_ci_low",
               "high_ci_high", "unit", "censored")


def render_csv(analysis: Analysis) -> str:
    """Every parameter's effect on every metric, one line each, ranked within each metric."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in analysis.metrics:
        for rank, p in enumerate(m.params, 1):
            s = p.screening
            writer.writerow([m.id, rank, p.name, p.group, *map(_cell, (
                s.mu_star, *p.mu_star_ci, s.mu, s.sigma)), s.effects,
                *map(_cell, (p.low.value, p.low.mean, *p.low.ci,
                             p.high.value, p.high.mean, *p.high.ci)), m.unit, _cell(m.censored)])
    return buf.getvalue()


def _cell(x: float) -> str:
    return "" if math.isnan(x) else f"{x:.6g}"


def _j(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 6)


def to_json(analysis: Analysis) -> dict[str, Any]:
    """The analysis as JSON data (NaN as null)."""
    r = analysis.request
    return {
        "scenario": analysis.scenario, "variant": r.variant, "seed": r.seed,
        "trajectories": r.trajectories, "reps": r.reps, "oat_reps": r.oat_reps,
        "overrides": dict(r.overrides), "levels": LEVELS, "delta": round(DELTA, 6),
        "parameters": [{"name": f.name, "low": f.low, "high": f.high} for f in analysis.factors],
        "runs": sum(o.done for o in analysis.outcomes), "partial": analysis.partial,
        "metrics": [{
            "id": m.id, "label": m.label, "unit": m.unit, "default_mean": _j(m.default_mean),
            "censored": _j(m.censored), "censored_at": _j(m.end),
            "groups": [{"group": g, "parameters": n, "strongest": p.name,
                        "mu_star": _j(p.screening.mu_star)} for g, p, n in m.groups()],
            "parameters": [{
                "name": p.name, "group": p.group, "mu_star": _j(p.screening.mu_star),
                "mu_star_ci": [_j(x) for x in p.mu_star_ci], "mu": _j(p.screening.mu),
                "sigma": _j(p.screening.sigma), "effects": p.screening.effects,
                "low": {"value": p.low.value, "effect": _j(p.low.mean),
                        "ci": [_j(x) for x in p.low.ci]},
                "high": {"value": p.high.value, "effect": _j(p.high.mean),
                         "ci": [_j(x) for x in p.high.ci]},
            } for p in m.params],
        } for m in analysis.metrics],
    }
