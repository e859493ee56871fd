"""Plots of a sensitivity analysis, one per metric, as PNG and SVG (matplotlib's Agg backend).

`sens-METRIC`: on the left, the links ranked by their strongest parameter's μ* (bars, with the
95% interval as a whisker); on the right, every parameter's μ* against σ, the Morris plane
(far right: it matters; high up: it interacts or bends), the top ones named.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from sim.whatif.plots import _pyplot, _save, _slug, _title
from sim.whatif.sensitivity import Analysis, MetricResult

#: Links drawn in the bar chart and parameters named in the μ*–σ plane.
SHOWN = 12
NAMED = 6


def write_plots(analysis: Analysis, directory: str | Path) -> list[Path]:
    """Draw each metric's plot into `directory` (created if needed); the files written."""
    plt = _pyplot()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for m in analysis.metrics:
        fig = _metric(plt, m)
        written += _save(fig, directory, f"sens-{_slug(m.id)}")
        plt.close(fig)
    return written


def _metric(plt: Any, m: MetricResult) -> Any:
    unit = " (hours)" if m.unit == "h" else ""
    fig, (bars, plane) = plt.subplots(1, 2, figsize=(12, 5.5), width_ratios=(1.3, 1))
    groups = m.groups()[:SHOWN][::-1]
    ys = range(len(groups))
    mus = [_z(p.screening.mu_star) for _g, p, _n in groups]
    lows = [max(0.0, mu - _z(p.mu_star_ci[0])) for mu, (_g, p, _n) in zip(mus, groups, strict=True)]
    highs = [max(0.0, _z(p.mu_star_ci[1]) - mu) for mu, (_g, p, _n) in zip(mus, groups, strict=True)]
    bars.barh(list(ys), mus, xerr=[lows, highs], color="#4477aa", capsize=3)
    bars.set_yticks(list(ys), [_clip(g) for g, _p, _n in groups], fontsize=8)
    bars.set_xlabel(f"μ* of the strongest parameter{unit}")
    bars.set_title("Links ranked", fontsize=10)
    xs = [_z(p.screening.mu_star) for p in m.params]
    ss = [_z(p.screening.sigma) for p in m.params]
    plane.scatter(xs, ss, color="#cc6677", s=18)
    for p in m.params[:NAMED]:
        plane.annotate(p.name, (_z(p.screening.mu_star), _z(p.screening.sigma)), fontsize=7,
                       xytext=(3, 3), textcoords="offset points")
    plane.set_xlabel(f"μ*{unit}")
    plane.set_ylabel(f"σ{unit}")
    plane.set_title("Parameters: importance (μ*) and interaction (σ)", fontsize=10)
    note = f"; never happened in {m.censored:.0%} of runs (counted at the end)" if m.censored else ""
    fig.suptitle(_title(f"{m.label}{note}"), fontsize=11)
    fig.tight_layout()
    return fig


def _z(x: float) -> float:
    return 0.0 if math.isnan(x) else x


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
