"""The command palette: every action of the current screen that applies now, searchable."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenActions(Provider):
    """Offers each key binding of the screen below the palette, if its action applies now."""

    def _actions(self) -> Iterator[tuple[str, str, Binding]]:
        screen = self.screen
        for binding in getattr(screen, "BINDINGS", []):
            if not isinstance(binding, Binding) or screen.check_action(binding.action, ()) is not True:
                continue
            key = binding.key_display or binding.key.split(",")[0]
            yield f"{binding.description} ({key})", binding.tooltip or binding.description, binding

    async def discover(self) -> Hits:
        """Every action that applies now, for an empty search."""
        for title, help_text, binding in self._actions():
            yield DiscoveryHit(title, partial(self.screen.run_action, binding.action),
                               help=help_text)

    async def search(self, query: str) -> Hits:
        """Actions whose name matches what was typed."""
        matcher = self.matcher(query)
        for title, help_text, binding in self._actions():
            score = matcher.match(f"{title} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(title),
                          partial(self.screen.run_action, binding.action), help=help_text)
