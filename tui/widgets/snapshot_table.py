"""A table that shows a snapshot: given all rows each time, it redraws only the cells that changed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

Row = tuple[str, Sequence[Text | str]]
"""A row's key and its cells, in column order."""


class SnapshotTable(DataTable):
    """Rows replaced wholesale from a snapshot; unchanged cells are left alone."""

    COLUMNS: tuple[tuple[str, str], ...] = ()
    """(label, key) of each column."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self._shown: list[Row] = []
        """The rows on screen now."""

    def on_mount(self) -> None:
        """Set the columns (Textual calls each class's on_mount: subclasses add theirs)."""
        for label, key in self.COLUMNS:
            self.add_column(label, key=key)

    def replace_rows(self, rows: Sequence[Row]) -> None:
        """Show these rows: update changed cells in place when the keys are the same."""
        old = self._shown
        if [key for key, _ in old] == [key for key, _ in rows]:
            for (key, before), (_, after) in zip(old, rows, strict=True):
                for (_, column), a, b in zip(self.COLUMNS, before, after, strict=True):
                    if a != b:
                        self.update_cell(key, column, b, update_width=True)
        else:
            row = self.cursor_row
            self.clear()
            for key, cells in rows:
                self.add_row(*cells, key=key)
            if self.row_count:
                self.move_cursor(row=min(row, self.row_count - 1), animate=False)
        self._shown = [(key, list(cells)) for key, cells in rows]
