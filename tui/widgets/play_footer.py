"""The play screen's footer: on a narrow terminal it keeps the keys that matter most whole.

Textual's footer cuts whatever does not fit at the right edge ("f Filte"). This one first
shortens some descriptions ("Next turn" → "Turn"), then, if that is not enough, leaves out
the keys that have another way in (the help screen and the command palette list them all),
so that what is shown is whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class PlayFooter(Footer):
    """A footer that shortens, then drops, secondary keys until the rest fits."""

    SHORT: ClassVar[dict[str, str]] = {"next_turn": "Turn", "next_event": "Event",
                                       "view_as": "View", "run_on": "Run", "whatif_runs": "Runs",
                                       "message": "Msg", "meeting": "Meet"}
    """Shorter descriptions, used when the full ones do not fit."""
    SECONDARY: ClassVar[tuple[str, ...]] = ("whatif_runs", "run_on", "view_as", "next_event")
    """Actions left out, in this order, while the keys still do not fit."""

    def compose(self) -> ComposeResult:
        """Textual's keys, shortened and thinned to the footer's width."""
        keys = list(super().compose())
        width = self.app.size.width
        if _width(keys) > width:
            keys = [self._short(k) if isinstance(k, FooterKey) and k.action in self.SHORT else k
                    for k in keys]
        for action in self.SECONDARY:
            if _width(keys) <= width:
                break
            keys = [k for k in keys if not (isinstance(k, FooterKey) and k.action == action)]
        self.styles.grid_size_columns = len(keys)
        yield from keys

    def _short(self, key: FooterKey) -> FooterKey:
        return FooterKey(key.key, key.key_display, self.SHORT[key.action], key.action,
                         disabled=key.disabled, tooltip=str(key.tooltip or ""),
                         classes=" ".join(key.classes)).data_bind(compact=Footer.compact)

    def on_resize(self) -> None:
        """Choose the keys again for the new width."""
        self.refresh(recompose=True)


def _width(keys: Iterable[Widget]) -> int:
    """Columns the compact footer keys take: `k Description ` each."""
    return sum(len(k.key_display) + len(k.description) + 2 for k in keys
               if isinstance(k, FooterKey))
