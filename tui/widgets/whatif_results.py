"""The results of a what-if run: per metric, each arm's distribution drawn in the terminal."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from sim.whatif.summary import MetricInfo, Summary, num
from sim.whatif.tables import show, show_p

#: Bars in a distribution's line.
BINS = 16
BLOCKS = " ▁▂▃▄▅▆▇█"


def histograms(arms: Sequence[Sequence[float]], bins: int = BINS) -> list[str]:
    """One line of block characters per arm, on the same bins, so that lines can be compared.

    Infinite values (a time that never came) are left out; the table says how often they were.
    Whole numbers spanning fewer values than `bins` get one bar per value.
    """
    finite = [[v for v in values if math.isfinite(v)] for values in arms]
    every = [v for values in finite for v in values]
    if not every:
        return ["" for _ in arms]
    lo, hi = min(every), max(every)
    if all(float(v).is_integer() for v in every) and hi - lo < bins:  # counts: a bar per value
        bins, hi = int(hi - lo) + 1, hi + 1
    out = []
    for values in finite:
        counts = [0] * bins
        for v in values:
            counts[min(bins - 1, int((v - lo) / (hi - lo) * bins)) if hi > lo else 0] += 1
        top = max(counts) or 1
        out.append("".join(BLOCKS[math.ceil(c / top * 8)] for c in counts))
    return out


class WhatIfResults(VerticalScroll):
    """Per metric a small table (arm, median, p10–p90, distribution); then the chances."""

    DEFAULT_CSS = """
    WhatIfResults { height: 1fr; padding: 0 1; }
    WhatIfResults > .metric { height: auto; margin-bottom: 1; }
    WhatIfResults > #chances { height: auto; }
    """

    def show(self, summary: Summary, labels: Sequence[str]) -> None:
        """Fill in the results of `summary`, whose arms are named `labels`."""
        self.remove_children()
        widgets = [Static(self.metric_table(summary, i, info, labels), classes="metric",
                          name=info.id)
                   for i, info in enumerate(summary.layout.metrics)]
        widgets.append(Static(self.chances(summary, labels), id="chances"))
        self.mount_all(widgets)

    @staticmethod
    def metric_table(summary: Summary, i: int, info: MetricInfo, labels: Sequence[str]) -> Group:
        """One metric: each arm's median, p10–p90 and distribution on common bins."""
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), show_edge=False)
        table.add_column("", no_wrap=True, max_width=18)
        if info.is_yes_no:
            table.add_column("chance", justify="right")
            for label, point in zip(labels, summary.points, strict=False):
                table.add_row(label, show_p(point.happened[i] / point.n if point.n else None))
            return Group(Text(info.label, "bold"), table)
        if info.is_time:
            table.add_column("happened", justify="right")
        table.add_column("median", justify="right")
        table.add_column("p10–p90", justify="right")
        table.add_column(f"distribution ({'times' if info.is_time else 'values'})", no_wrap=True)
        stores = [point.values[i] for point in summary.points]
        lines = histograms([store.values for store in stores])
        for label, point, store, line in zip(labels, summary.points, stores, lines, strict=False):
            def q(p: float, store=store) -> str:
                return show(info, num(store.quantile(p))) if len(store) else "-"
            row = [label]
            if info.is_time:
                row.append(show_p(point.happened[i] / point.n if point.n else None))
            row += [q(0.5), f"{q(0.1)}–{q(0.9)}", line]
            table.add_row(*row)
        return Group(Text(info.label, "bold"), table)

    @staticmethod
    def chances(summary: Summary, labels: Sequence[str]) -> Table:
        """The chance of meeting each objective and reaching each ladder level, per arm."""
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                      title=Text("Chance of each objective and ladder level", "bold"),
                      title_justify="left")
        table.add_column("", no_wrap=True, max_width=30)
        for label in labels:
            table.add_column(label, justify="right", max_width=18)
        if len(labels) == 2:
            table.add_column("difference", justify="right")
        rows: list[tuple[str, list[float | None]]] = []
        for k, (objective, _) in enumerate(summary.layout.objectives):
            rows.append((f"objective {objective.id}",
                         [p.met[k] / p.n if p.n else None for p in summary.points]))
        for k, (_, label) in enumerate(summary.layout.levels):
            rows.append((f"≥ {label}",
                         [p.reached[k] / p.n if p.n else None for p in summary.points]))
        for name, ps in rows:
            cells = [show_p(p) for p in ps]
            if len(ps) == 2:
                a, b = ps
                cells.append(show_p(None if a is None or b is None else b - a, diff=True))
            table.add_row(name, *cells)
        return table

    def metric_names(self) -> list[str]:
        """The metric ids shown, in order (for tests)."""
        return [str(w.name) for w in self.query(".metric")]
