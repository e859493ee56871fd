"""The scenario picker: every shipped scenario with its title and summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from sim.catalog import CatalogEntry


class PickerScreen(Screen[None]):
    """Choose a scenario to play."""

    HELP_INTRO = "Choose a scenario with the arrow keys and Enter."
    """The help screen's first paragraph."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="picker-back"),
        Binding("question_mark", "help", "Help", id="picker-help", key_display="?"),
    ]
    """Go back to the seat choice, or get help."""

    def __init__(self, entries: Sequence[CatalogEntry], can_go_back: bool) -> None:
        super().__init__()
        self.entries = list(entries)
        """The scenarios on offer."""
        self.can_go_back = can_go_back
        """Whether a seat screen waits below."""

    def compose(self) -> ComposeResult:
        """A heading and the list."""
        yield Header(icon="☎")
        yield Static("Choose a scenario", classes="heading")
        scenarios = OptionList(id="scenarios")
        for i, entry in enumerate(self.entries):
            prompt = Text.assemble((entry.title, "bold"), (f"  {entry.path.name}", "dim italic"),
                                   "\n", (entry.summary or entry.id, "dim"))
            scenarios.add_option(Option(prompt, id=str(i)))
            scenarios.add_option(None)
        yield scenarios
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Focus the list."""
        self.app.sub_title = "Scenarios"
        scenarios = self.query_one(OptionList)
        scenarios.highlighted = 0
        scenarios.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Back only when there is somewhere to go back to."""
        if action == "back":
            return self.can_go_back
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Play the chosen scenario."""
        self.app.choose(self.entries[int(event.option.id or 0)])

    def action_back(self) -> None:
        """Back to the seat choice."""
        self.dismiss(None)

    def action_help(self) -> None:
        """Show help."""
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
