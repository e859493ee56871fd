"""Raw per-run metrics as CSV: one line per replication, written as results stream in.

Columns: `point`, `label`, each swept parameter, `rep`, `seed`, each metric by id, `peak_rung`.
A time metric that never happened is an empty cell; yes/no metrics are 1 or 0; times are minutes.
Numbers are rounded to 6 decimals, so the same seed gives the same bytes on every backend.
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from sim.engine.metrics import MetricValue
from sim.whatif.jobs import Row
from sim.whatif.plan import Plan
from sim.whatif.summary import Layout


def cell(value: MetricValue) -> str:
    """One value as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return repr(round(float(value), 6) + 0.0)


class RawWriter:
    """Writes each run's row as it arrives; holds nothing."""

    def __init__(self, stream: TextIO, plan: Plan, layout: Layout) -> None:
        self.plan = plan
        self.writer = csv.writer(stream, lineterminator="\n")
        self.writer.writerow(["point", "label", *plan.swept, "rep", "seed",
                              *(m.id for m in layout.metrics), "peak_rung"])

    def add(self, point: int, rep: int, row: Row) -> None:
        """Write one run."""
        p = self.plan.points[point]
        swept: list[Any] = [cell(p.setting.get(name)) for name in self.plan.swept]
        self.writer.writerow([point, p.label, *swept, rep, self.plan.seed_of(point, rep),
                              *(cell(v) for v in row)])
