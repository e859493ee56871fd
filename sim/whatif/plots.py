"""Plots of a sweep or comparison as PNG and SVG files, drawn with matplotlib's Agg backend.

- `dist-METRIC`: each point's distribution of the metric as an ECDF (a time metric's curve
  tops out at the share of runs where it happened; yes/no metrics as bars with their CI);
- `METRIC-vs-PARAM`: the metric's mean (or chance) against a swept parameter, with its 95%
  confidence band (points drawn at random get error bars instead of a band);
- `diff`: a comparison's B − A per metric, the paired and the unpaired 95% intervals.

Times are drawn in hours from the scenario's start (the axis says when that is), the 2022
value as a dashed reference line where the scenario gives one, and titles wrap rather than
run off the figure.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections import defaultdict
from datetime import UTC
from pathlib import Path
from typing import Any

from sim.engine.metrics import historical_value
from sim.whatif.summary import MetricInfo, Summary

#: Most points drawn in one distribution plot; more are thinned evenly.
MAX_CURVES = 8


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "hotline"  # stable ids: the same figure gives the same SVG
    return plt


#: Characters a title line holds at the figures' width before it wraps.
TITLE_WIDTH = 60


def _title(text: str) -> str:
    """A title wrapped to the figure (matplotlib would cut it at both sides)."""
    return textwrap.fill(text, TITLE_WIDTH)


def _hours_label(summary: Summary) -> str:
    start = summary.scenario.start.astimezone(UTC)
    return f"hours from the scenario's start ({start:%d %b %H:%M} UTC)"


def _historical(summary: Summary, i: int) -> float | None:
    """The 2022 value of metric `i` in plot units (hours for times); None if none or never."""
    metric = summary.scenario.metrics[i]
    value = historical_value(metric, summary.plan.points[0].params)
    if value is None or isinstance(value, str | bool):
        return None
    return float(value) / 60 if summary.layout.metrics[i].is_time else float(value)


def _reference(ax: Any, value: float | None, *, vertical: bool) -> None:
    """The 2022 value as a dashed line, in the legend as "2022"."""
    if value is None:
        return
    line = ax.axvline if vertical else ax.axhline
    line(value, color="black", linestyle="--", linewidth=1, label="2022")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "metric"


def _save(fig: Any, directory: Path, stem: str) -> list[Path]:
    out = []
    for ext in ("png", "svg"):
        path = directory / f"{stem}.{ext}"
        fig.savefig(path, dpi=110,
                    metadata={"Date": None} if ext == "svg" else {"Software": None})
        out.append(path)
    return out


def write_plots(summary: Summary, directory: str | Path) -> list[Path]:
    """Draw every plot of the summary into `directory` (created if needed); the files written."""
    plt = _pyplot()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for i, info in enumerate(summary.layout.metrics):
        fig = _distribution(plt, summary, i, info)
        written += _save(fig, directory, f"dist-{_slug(info.id)}")
        plt.close(fig)
    plan = summary.plan
    if not plan.paired and len(plan.points) > 1:
        for param in plan.swept:
            for i, info in enumerate(summary.layout.metrics):
                fig = _against(plt, summary, i, info, param)
                written += _save(fig, directory, f"{_slug(info.id)}-vs-{_slug(param)}")
                plt.close(fig)
    if summary.comparison is not None:
        fig = _differences(plt, summary)
        written += _save(fig, directory, "diff")
        plt.close(fig)
    return written


def _shown_points(summary: Summary) -> list[int]:
    n = len(summary.plan.points)
    if n <= MAX_CURVES:
        return list(range(n))
    return sorted({round(k * (n - 1) / (MAX_CURVES - 1)) for k in range(MAX_CURVES)})


def _distribution(plt: Any, summary: Summary, i: int, info: MetricInfo) -> Any:
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    shown = _shown_points(summary)
    if info.is_yes_no:
        labels, ps, los, his = [], [], [], []
        for k in shown:
            stats = summary.points[k].metric(i)
            labels.append(summary.plan.points[k].label)
            ps.append(stats["mean"] or 0.0)
            lo, hi = stats["ci"]
            los.append((stats["mean"] or 0.0) - (lo or 0.0))
            his.append((hi or 0.0) - (stats["mean"] or 0.0))
        ax.bar(range(len(ps)), ps, yerr=[los, his], capsize=4, color="#4878a8")
        ax.set_xticks(range(len(ps)), labels, rotation=20, ha="right")
        ax.set_ylim(0, 1)
        ax.set_ylabel("share of runs (95% CI)")
    else:
        for k in shown:
            values = summary.points[k].values[i].sorted()
            n = len(values)
            finite = [v for v in values if math.isfinite(v)]
            if not finite:
                continue
            ys = [(j + 1) / n for j in range(len(finite))]
            xs = [v / 60 for v in finite] if info.is_time else finite
            ax.step(xs, ys, where="post", label=summary.plan.points[k].label)
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("share of runs at or below")
        ax.set_xlabel(_hours_label(summary) if info.is_time else info.label)
        reference = _historical(summary, i)
        _reference(ax, reference, vertical=True)
        if len(shown) > 1 or summary.plan.points[0].label != "base" or reference is not None:
            ax.legend(fontsize="small")
    title = info.label + (" (curves stop at the share of runs where it happened)" if info.is_time
                          else "")
    ax.set_title(_title(title), fontsize="medium")
    ax.grid(alpha=0.3)
    return fig


def _against(plt: Any, summary: Summary, i: int, info: MetricInfo, param: str) -> Any:
    panels = [("happened", "chance it happened")] if info.is_time else []
    panels.append(("mean", "chance (95% CI)" if info.is_yes_no else
                   "mean hours from the start,\ngiven it happened (95% CI)" if info.is_time
                   else "mean (95% CI)"))
    fig, axes = plt.subplots(len(panels), 1, figsize=(7, 3.2 * len(panels)), squeeze=False,
                             layout="constrained")
    others = [p for p in summary.plan.swept if p != param]
    sampled = any(p not in _grid_params(summary) for p in summary.plan.swept)
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for k, point in enumerate(summary.plan.points):
        key = () if sampled else tuple(point.setting.get(o) for o in others)
        groups[key].append(k)
    for ax, (field, ylabel) in zip(axes[:, 0], panels, strict=True):
        for key, members in list(groups.items())[:6]:
            rows = []
            for k in members:
                stats = summary.points[k].metric(i)
                x = summary.plan.points[k].setting[param]
                if field == "happened":
                    y, (lo, hi) = stats["happened"], stats["happened_ci"]
                else:
                    y, (lo, hi) = stats["mean"], stats["ci"]
                    if info.is_time:  # minutes to hours
                        y, lo, hi = (None if v is None else v / 60 for v in (y, lo, hi))
                if y is not None:
                    rows.append((x, y, y if lo is None else lo, y if hi is None else hi))
            rows.sort()
            if not rows:
                continue
            xs, ys, lows, highs = zip(*rows, strict=True)
            label = " ".join(f"{o}={v:g}" for o, v in zip(others, key, strict=False)) or None
            if sampled:
                ax.errorbar(xs, ys, yerr=[[y - lo for y, lo in zip(ys, lows, strict=True)],
                                          [hi - y for y, hi in zip(ys, highs, strict=True)]],
                            fmt="o", capsize=3, label=label)
            else:
                line = ax.plot(xs, ys, marker="o", label=label)[0]
                ax.fill_between(xs, lows, highs, alpha=0.2, color=line.get_color())
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        reference = _historical(summary, i) if field == "mean" and not info.is_yes_no else None
        _reference(ax, reference, vertical=False)
        if (len(groups) > 1 and not sampled) or reference is not None:
            ax.legend(fontsize="small")
    axes[-1, 0].set_xlabel(param)
    axes[0, 0].set_title(_title(f"{info.label} against {param}"), fontsize="medium")
    return fig


def _grid_params(summary: Summary) -> set[str]:
    """Swept parameters whose values repeat across points (a grid); sampled ones rarely do."""
    out = set()
    for p in summary.plan.swept:
        values = [pt.setting[p] for pt in summary.plan.points]
        if len(set(values)) < len(values) or len(summary.plan.swept) == 1:
            out.add(p)
    return out


def _differences(plt: Any, summary: Summary) -> Any:
    comp = summary.comparison.to_json(summary.plan.points[0].label, summary.plan.points[1].label)
    rows = []
    for info in summary.layout.metrics:
        if info.is_time:
            rows.append((f"{info.label}: happened (share)", comp["happened"][info.id]))
            rows.append((f"{info.label}: minutes", comp["metrics"][info.id]))
        else:
            rows.append((info.label, comp["metrics"][info.id]))
    fig, axes = plt.subplots(len(rows), 1, figsize=(7, 0.9 * len(rows) + 0.8), squeeze=False,
                             layout="constrained")
    for ax, (label, d) in zip(axes[:, 0], rows, strict=True):
        ax.axvline(0, color="grey", lw=0.8)
        for y, key, colour in ((1, "ci", "#c0392b"), (0, "unpaired_ci", "#7f8c8d")):
            lo, hi = d[key]
            if d["diff"] is not None and lo is not None:
                ax.errorbar([d["diff"]], [y], xerr=[[d["diff"] - lo], [hi - d["diff"]]], fmt="o",
                            color=colour, capsize=3)
        ax.set_yticks([0, 1], ["unpaired", "paired"], fontsize="x-small")
        ax.set_ylim(-0.7, 1.7)
        ax.set_title(_title(label), fontsize="small", loc="left")
        ax.tick_params(axis="x", labelsize="x-small")
    fig.suptitle(_title(f"{comp['b']} − {comp['a']}: 95% intervals, paired and unpaired"),
                 fontsize="medium")
    return fig
