"""The channels panel: each channel the seat is on, by kind, up, busy or down."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from tui.widgets.snapshot_table import SnapshotTable

#: How each channel state looks.
STATE_STYLES = {"up": "green", "busy": "yellow", "down": "bold red"}
#: A sign for each kind of channel, as in the feed.
KIND_SIGNS = {"call": "☎", "message": "✉", "broadcast": "⚑", "meeting": "◎"}


class ChannelsTable(SnapshotTable):
    """Channel (its kind as a sign: ☎ call, ✉ message, ⚑ broadcast, ◎ meeting) and state."""

    DEFAULT_CSS = """
    ChannelsTable {
        border: round $primary 50%;
        border-title-color: $text;
        height: auto;
        max-height: 100%;
        &:focus { border: round $primary; }
    }
    """

    COLUMNS = (("Channel", "channel"), ("State", "state"))

    def show(self, channels: Sequence[tuple[str, str, str]]) -> None:
        """Show (id, kind, state) triples."""
        self.replace_rows([(channel, (Text.assemble(f"{KIND_SIGNS.get(kind, '·')} ",
                                                    (channel, "bold")),
                                      Text(state, STATE_STYLES.get(state, ""))))
                           for channel, kind, state in channels])
