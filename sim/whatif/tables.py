"""A summary as tables of text: for the terminal, for Markdown, and for a UI's data table.

`summary_tables` builds plain (title, headers, rows) tables once; `render_text` and
`render_markdown` only lay them out, so the UI can show the very same rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.engine.metrics import ROLE_MEANING, historical_role, historical_value
from sim.engine.timeline import show_value
from sim.whatif.summary import MetricInfo, Summary


@dataclass(frozen=True)
class Table:
    """A titled table of text cells."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    """A line under the table: what its numbers mean."""


def show_time(minutes: float | None) -> str:
    """Minutes after the start, to a tenth of a minute: `42.5m`, `3h07.2m`; None is never."""
    if minutes is None or (isinstance(minutes, float) and math.isinf(minutes)):
        return "never"
    sign = "-" if minutes < 0 else ""
    m = abs(minutes)
    if m < 60:
        return f"{sign}{m:.1f}m"
    h, rest = divmod(m, 60)
    return f"{sign}{int(h)}h{rest:04.1f}m"


def show(info: MetricInfo, value: float | None, *, diff: bool = False) -> str:
    """A metric's value (or a difference of values) for people."""
    if value is None:
        return "never" if info.is_time and not diff else "-"
    if info.is_time:
        return ("+" if diff and value >= 0 else "") + show_time(value)
    if info.is_yes_no:
        return f"{value * 100:+.1f} pts" if diff else f"{value:.1%}"
    return f"{value:+.3g}" if diff else f"{value:.3g}"


def show_p(p: float | None, *, diff: bool = False) -> str:
    """A probability as a percentage, or a difference of two in percentage points."""
    if p is None:
        return "-"
    return f"{p * 100:+.1f} pts" if diff else f"{p:.1%}"


def interval(lo: Any, hi: Any, fmt: Any) -> str:
    """`[lo, hi]` with each end formatted, or `-` when undefined."""
    if lo is None or hi is None:
        return "-"
    return f"[{fmt(lo)}, {fmt(hi)}]"


def summary_tables(summary: Summary) -> list[Table]:
    """Every table of a summary: per metric across points, probabilities, and the comparison."""
    data = summary.to_json()
    tables: list[Table] = []
    for info in summary.layout.metrics:
        headers = ["point", "n"]
        if info.is_time:
            headers.append("happened")
        headers += ["chance", "95% CI"] if info.is_yes_no else ["mean", "95% CI", "sd", "p10",
                                                                  "median", "p90"]
        rows = []
        for point in data["points"]:
            s = point["metrics"][info.id]
            row = [point["label"], str(s["n"])]
            if info.is_time:
                row.append(show_p(s["happened"]))

            def fmt(v: Any, info: MetricInfo = info) -> str:
                return show(info, v)

            if info.is_yes_no:  # quantiles of yes/no say nothing the chance does not
                rows.append((*row, fmt(s["mean"]), interval(*s["ci"], fmt)))
                continue
            sd = "-" if s["sd"] is None else (show_time(s["sd"]) if info.is_time else f"{s['sd']:.3g}")
            row += [fmt(s["mean"]) if s["mean"] is not None or not info.is_time else "-",
                    interval(*s["ci"], fmt), sd, fmt(s["p10"]), fmt(s["median"]), fmt(s["p90"])]
            rows.append(tuple(row))
        note = "; ".join(filter(None, (
            "mean, CI and sd over the runs where it happened; quantiles count never as last"
            if info.is_time else "", historical_note(summary, info.id))))
        tables.append(Table(f"{info.label} ({info.id})", tuple(headers), tuple(rows), note))
    prob_headers = [o.id for o, _ in summary.layout.objectives] + \
        [f"≥ {lv}" for lv, _ in summary.layout.levels]
    if prob_headers:
        rows = []
        for point in data["points"]:
            cells = [*point["objectives"].values(), *point["levels"].values()]
            rows.append((point["label"], *(f"{show_p(c['p'])} {interval(*c['ci'], show_p)}"
                                           for c in cells)))
        tables.append(Table("Chance of meeting each objective and reaching each ladder level",
                            ("point", *prob_headers), tuple(rows),
                            "95% Wilson intervals; a level counts if any actor reached it"))
    if summary.comparison is not None:
        tables.append(comparison_table(summary, data["comparison"]))
    return tables


def historical_note(summary: Summary, metric_id: str) -> str:
    """`2022: 3h08m, held-out (nothing was set from it...)`, or "" when there is no such value."""
    metric = next((m for m in summary.scenario.metrics if m.id == metric_id), None)
    role = None if metric is None else historical_role(metric)
    if metric is None or role is None:
        return ""
    value = historical_value(metric, summary.plan.points[0].params)
    return (f"{summary.scenario.history_name}: {show_value(metric, value)}, {role} "
            f"({ROLE_MEANING[role]})")


def comparison_table(summary: Summary, comp: dict[str, Any]) -> Table:
    """B − A per metric, with the paired and the unpaired 95% intervals."""
    rows = []

    def add(name: str, d: dict[str, Any], fmt: Any, dfmt: Any) -> None:
        narrowing = "-" if d["narrowing"] is None else f"{d['narrowing']:.0%}"
        rows.append((name, str(d["n"]), fmt(d["a"]), fmt(d["b"]), dfmt(d["diff"]),
                     interval(*d["ci"], dfmt), interval(*d["unpaired_ci"], dfmt), narrowing))

    for info in summary.layout.metrics:
        def fmt(v: Any, info: MetricInfo = info) -> str:
            return show(info, v)

        def dfmt(v: Any, info: MetricInfo = info) -> str:
            return show(info, v, diff=True)

        if info.is_time:
            add(f"{info.label}: happened", comp["happened"][info.id], show_p,
                lambda v: show_p(v, diff=True))
            add(f"{info.label}: time if both happened", comp["metrics"][info.id], fmt, dfmt)
        else:
            add(info.label, comp["metrics"][info.id], fmt, dfmt)
    for objective, _ in summary.layout.objectives:
        add(f"objective {objective.id}", comp["objectives"][objective.id], show_p,
            lambda v: show_p(v, diff=True))
    title = f"Paired comparison: {comp['b']} − {comp['a']}, on the same seeds"
    return Table(title, ("metric", "pairs", comp["a"], comp["b"], "B − A", "95% CI (paired)",
                         "95% CI (unpaired)", "narrower by"), tuple(rows),
                 "narrower by: how much shorter the paired interval is than an unpaired one "
                 "on the same runs")


def heading(summary: Summary) -> str:
    """One line saying what ran."""
    plan = summary.plan
    if plan.paired:
        line = (f"{summary.scenario.title}: paired comparison, {plan.reps} replications of each "
                f"arm on the same seeds, seed {plan.seed}")
    else:
        what = f"sweep of {', '.join(plan.swept)}" if plan.swept else "replications"
        line = (f"{summary.scenario.title}: {what}, {len(plan.points)} point"
                f"{'s' if len(plan.points) != 1 else ''} × {plan.reps} replications, "
                f"seed {plan.seed}, variant {summary.variant or '-'}")
    if summary.done < plan.total:
        line += f"\nPARTIAL: stopped after {summary.done} of {plan.total} replications"
    return line


def render_text(tables: list[Table], head: str = "") -> str:
    """Tables with aligned columns, for a terminal."""
    out = [head] if head else []
    for table in tables:
        widths = [max(len(h), *(len(r[i]) for r in table.rows)) if table.rows else len(h)
                  for i, h in enumerate(table.headers)]
        out.append("")
        out.append(table.title)
        out.append("  " + "  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                                    for i, (h, w) in enumerate(zip(table.headers, widths, strict=True))))
        out.extend("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                    for i, (c, w) in enumerate(zip(row, widths, strict=True)))
                   for row in table.rows)
        if table.note:
            out.append(f"  ({table.note})")
    return "\n".join(out)


def render_markdown(tables: list[Table], head: str = "") -> str:
    """Tables in GitHub-flavoured Markdown."""
    out = [f"# {head.splitlines()[0]}", *head.splitlines()[1:]] if head else []
    for table in tables:
        out += ["", f"## {table.title}", "",
                "| " + " | ".join(_md(h) for h in table.headers) + " |",
                "|" + "|".join("---" if i == 0 else "---:" for i in range(len(table.headers))) + "|"]
        out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in table.rows]
        if table.note:
            out += ["", f"*{table.note}*"]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def histogram_text(values: Any, bins: int = 20) -> str:
    """A one-line histogram of finite values in block characters, for an in-terminal chart."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return ""
    lo, hi = min(finite), max(finite)
    counts = [0] * bins
    for v in finite:
        k = min(bins - 1, int((v - lo) / (hi - lo) * bins)) if hi > lo else 0
        counts[k] += 1
    top = max(counts)
    blocks = " ▁▂▃▄▅▆▇█"
    return "".join(blocks[round(c / top * 8)] for c in counts)
