"""The app of a joined seat: ask for the token if none was given, join, then play."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from sim.net.client import JoinError, SeatLink
from tui.commands import ScreenActions
from tui.remote import RemoteGame
from tui.screens.joined import HostChanged, JoinedScreen


class TokenScreen(Screen[None]):
    """Ask for the seat's token (a browser seat starts here)."""

    DEFAULT_CSS = """
    TokenScreen { align: center middle; }
    TokenScreen Vertical { width: 72; height: auto; border: round $accent; padding: 1 2; }
    TokenScreen #why { color: $error; }
    """

    def __init__(self, url: str, why: str = "") -> None:
        super().__init__()
        self.url = url
        """The exercise's address."""
        self.why = why
        """Why the last token did not open a seat."""

    def compose(self) -> ComposeResult:
        """A line of explanation and the token's input."""
        with Vertical():
            yield Static(f"Join the exercise at {self.url}\nType the token the facilitator "
                         "gave you for your seat, then Enter.")
            yield Input(placeholder="token", password=True, id="token")
            yield Static(self.why, id="why")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Try the token."""
        self.app.join(event.value.strip())  # type: ignore[attr-defined]


class JoinApp(App[None]):
    """One seat of a hosted exercise."""

    TITLE = "Hotline"
    CSS_PATH = "hotline.tcss"
    COMMANDS: ClassVar[set] = App.COMMANDS | {ScreenActions}

    def __init__(self, url: str, link: SeatLink | None = None) -> None:
        super().__init__()
        self.url = url
        """The exercise's address."""
        self.link = link
        """The connection, once joined."""
        self.game: RemoteGame | None = None
        """The seat in play."""

    def on_mount(self) -> None:
        """Play at once if the command line joined already; else ask for the token."""
        if self.link is not None:
            self._play(self.link)
        else:
            self.push_screen(TokenScreen(self.url))

    def join(self, token: str) -> None:
        """Join with `token` (in a thread: connecting waits on the network)."""
        self._connect(token)

    @work(thread=True, exclusive=True)
    def _connect(self, token: str) -> None:
        try:
            link = SeatLink(self.url, token)
        except JoinError as exc:
            self.call_from_thread(self._refused, str(exc))
            return
        self.call_from_thread(self._play, link)

    def _refused(self, why: str) -> None:
        self.switch_screen(TokenScreen(self.url, why))

    def _play(self, link: SeatLink) -> None:
        self.link = link
        self.game = RemoteGame(link)
        self.sub_title = f"{self.game.scenario.title} · joined at {self.url}"
        screen = JoinedScreen(self.game)
        link.client.on_change = lambda: screen.post_message(HostChanged())
        if self.screen_stack and isinstance(self.screen, TokenScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
