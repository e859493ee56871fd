"""The event feed: a virtual list of records that draws only the lines on screen.

New records are appended, never re-rendered: a line is formatted the first time it scrolls into
view (and cached), so a feed of tens of thousands of records costs no more to update than a
short one. A filter keeps the records and rebuilds only the list of row numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sim.engine.records import Record
from tui.feedtext import FeedText

RecordFilter = Callable[[Record], bool]
"""Keeps a record in the feed when it returns True."""


class Feed(ScrollView, can_focus=True):
    """What the seat has seen, newest last; arrows move a cursor, Enter shows a line whole."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("enter", "open", "Details", show=False),
    ]
    """Up and down move the cursor line; Enter opens its details."""

    @dataclass
    class Opened(Message):
        """A feed line was opened: show its record in full."""

        record: Record
        line: str
        """The line as the feed words it, uncut."""

    DEFAULT_CSS = """
    Feed {
        background: $surface;
        border: round $primary 50%;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        padding: 0 1;
        &:focus { border: round $primary; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._records: list[Record] = []
        """Every record the seat received, in log order."""
        self._rows: list[int] = []
        """Index into `_records` of each line shown, after the filter."""
        self._writer: FeedText | None = None
        """Turns a record into a line."""
        self._filter: RecordFilter | None = None
        """Which records to show; None: all."""
        self.filter_label = ""
        """The filter in words, for the border."""
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(1024)
        """Rendered lines by (row, width)."""
        self.cursor: int | None = None
        """The row the arrows have reached; None: no cursor yet (Enter opens the last line)."""

    # -- content -----------------------------------------------------------------------------

    @property
    def record_count(self) -> int:
        """How many records the feed holds (shown or not)."""
        return len(self._records)

    @property
    def line_count(self) -> int:
        """How many lines are shown."""
        return len(self._rows)

    def reset(self, writer: FeedText, records: Iterable[Record]) -> None:
        """Replace everything: a new seat or a new session."""
        self._writer = writer
        self._records = list(records)
        self._rebuild()

    def extend(self, records: Iterable[Record]) -> None:
        """Append records at the end, following them if the feed was scrolled to the end."""
        if self._writer is None:
            return
        following = self.is_vertical_scroll_end
        first_row = len(self._rows)
        base = len(self._records)
        shows, keep = self._writer.shows, self._filter
        for i, record in enumerate(records, start=base):
            self._records.append(record)
            if shows(record) and (keep is None or keep(record)):
                self._rows.append(i)
        if len(self._rows) == first_row:
            return
        self._resize()
        self.refresh_lines(first_row, len(self._rows) - first_row)
        if following:
            self.scroll_end(animate=False, x_axis=False)  # after the refresh: the scrollbar may be new

    def set_filter(self, keep: RecordFilter | None, label: str = "") -> None:
        """Show only records `keep` accepts (None: all) and say so in the border."""
        self._filter = keep
        self.filter_label = label
        self._rebuild()

    def lines(self) -> list[str]:
        """Every shown line as plain text (for tests and copying)."""
        if self._writer is None:
            return []
        return [self._writer.line(self._records[i]).plain for i in self._rows]

    def action_cursor(self, step: int) -> None:
        """Move the cursor a line up or down, starting from the last line, keeping it in view."""
        if not self._rows:
            return
        last = len(self._rows) - 1
        start = last + (1 if step < 0 else 0) if self.cursor is None else self.cursor
        self.cursor = max(0, min(last, start + step))
        self._cache.clear()
        self.refresh()
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def action_open(self) -> None:
        """Open the cursor's line (or the last one) in full."""
        if not self._rows or self._writer is None:
            return
        row = len(self._rows) - 1 if self.cursor is None else self.cursor
        record = self._records[self._rows[row]]
        self.post_message(self.Opened(record, self._writer.line(record).plain))

    def _rebuild(self) -> None:
        shows = self._writer.shows if self._writer else (lambda _r: False)
        keep = self._filter
        self._rows = [i for i, r in enumerate(self._records)
                      if shows(r) and (keep is None or keep(r))]
        self._cache.clear()
        self.cursor = None
        self._resize()
        self.refresh()
        self.scroll_end(animate=False, x_axis=False)

    def _resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows))
        count = len(self._rows)
        title = f"Feed · {count} line{'' if count == 1 else 's'}"
        self.border_title = title
        self.border_subtitle = f"filter: {self.filter_label}" if self.filter_label else ""

    # -- drawing -----------------------------------------------------------------------------

    def on_focus(self) -> None:
        """Show the cursor."""
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        """Hide the cursor."""
        self._cache.clear()
        self.refresh()

    def on_resize(self) -> None:
        """Lines are cut to the width: a new width needs new lines."""
        self._cache.clear()
        self._resize()

    def render_line(self, y: int) -> Strip:
        """Draw one line of the viewport, formatting its record if it has not been yet."""
        _, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if row >= len(self._rows) or self._writer is None or width <= 0:
            return Strip.blank(width, style)
        key = (row, width)
        strip = self._cache.get(key)
        if strip is None:
            text = self._writer.line(self._records[self._rows[row]])
            text.truncate(width, overflow="ellipsis")
            text.stylize_before(style)
            if row == self.cursor and self.has_focus:
                text.stylize("reverse")
            segments = list(text.render(self.app.console))
            strip = Strip(segments).extend_cell_length(width, style).crop(0, width)
            self._cache[key] = strip
        return strip.apply_offsets(0, row)
