"""The seat choice: the facilitator, who sees everything, or one playable actor."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from sim.engine.session import FACILITATOR
from sim.scenario import Scenario


class SeatScreen(Screen[None]):
    """Pick who you are in this exercise."""

    HELP_INTRO = ("Choose a seat. The **facilitator** runs the exercise and sees everything, "
                  "the ground truth included. A **player** takes one actor and sees only what "
                  "reaches that actor; the other actors follow the scenario's rules.")
    """The help screen's first paragraph."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Take seat", id="seat-choose", show=False),
        Binding("p", "pick", "Other scenario", id="seat-pick",
                tooltip="Pick another of the shipped scenarios"),
        Binding("question_mark", "help", "Help", id="seat-help", key_display="?"),
    ]
    """Choose a seat, pick another scenario, or get help."""

    def __init__(self, scenario: Scenario, can_pick: bool = True) -> None:
        super().__init__()
        self.scenario = scenario
        """The scenario to be played."""
        self.can_pick = can_pick
        """Whether there are shipped scenarios to pick from."""

    def compose(self) -> ComposeResult:
        """The scenario, then the seats."""
        s = self.scenario
        yield Header(icon="☎")
        with Vertical(id="seat-body"):
            about = Text()
            about.append(s.title, "bold")
            about.append(f"\n{s.start:%d %B %Y, %H:%M UTC} · {len(s.actors)} actors · "
                         f"turns of {int(s.turn)} minutes\n", "dim")
            if s.summary:
                about.append(f"\n{s.summary}\n")
            about.append(f"\nThe question: {s.question.text}", "italic")
            yield Static(about, id="about")
            yield Static("Choose your seat", classes="heading")
            seats = OptionList(id="seats")
            seats.add_option(Option(Text.assemble(
                ("Facilitator", "bold"), "  runs the exercise, sees everything (ground truth too)"),
                id=FACILITATOR))
            for a in s.actors:
                if a.playable:
                    seats.add_option(Option(Text.assemble(
                        (a.name, "bold"), f"  {a.title or a.side}", (f"  [{a.id}]", "dim")),
                        id=a.id))
            yield seats
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Focus the seats, the facilitator highlighted."""
        self.app.sub_title = self.scenario.title
        seats = self.query_one("#seats", OptionList)
        seats.highlighted = 0
        seats.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the picker only if there is something to pick."""
        if action == "pick":
            return self.can_pick
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Take the seat."""
        if event.option.id:
            self.app.begin(event.option.id)

    def action_choose(self) -> None:
        """Take the highlighted seat."""
        seats = self.query_one("#seats", OptionList)
        if seats.highlighted is not None:
            self.app.begin(seats.get_option_at_index(seats.highlighted).id or FACILITATOR)

    def action_pick(self) -> None:
        """Pick another scenario."""
        self.app.pick()

    def action_help(self) -> None:
        """Show help."""
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
