"""The facilitator's forms: injects, notes, whose view to show, feed filter, rewind, fork, end."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.widget import Widget
from textual.widgets import Input, Select, SelectionList, Static

from sim.durations import format_hm
from sim.engine.params import ParameterError, parse_overrides, resolve_params
from sim.engine.session import FACILITATOR, SessionAction
from tui.game import Game
from tui.screens.dialog import Dialog, FormError, Perform, percent

#: The inject list's entry that opens the free-form inject form.
FREE_FORM = "__free__"
#: A filter entry that keeps every actor or channel.
ANY = "__any__"


class InjectDialog(Dialog[Any]):
    """Drop one of the scenario's optional injects now, or write a free-form one."""

    TITLE = "Drop an inject"

    def __init__(self, game: Game, perform: Perform | None = None) -> None:
        super().__init__(perform)
        self.game = game
        """The game, for its injects and what has fired."""

    def fields(self) -> Iterable[Widget]:
        """The optional injects, marked if already dropped, then the free-form entry."""
        dropped = self.game.dropped()
        options = []
        for inj in self.game.optional_injects():
            when = f"  (dropped at +{format_hm(dropped[inj.id])})" if inj.id in dropped else ""
            options.append((f"{inj.title}{when}", inj.id))
        options.append(("✎ Free-form inject…", FREE_FORM))
        yield self.label("Inject")
        yield Select(options, value=options[0][1], allow_blank=False, id="inject", compact=True)
        yield Static("", id="about", classes="wide")

    def on_mount(self) -> None:
        """Describe the first inject."""
        self._describe()

    def on_select_changed(self, event: Select.Changed) -> None:
        """Describe the chosen inject."""
        event.stop()
        self._describe()

    def _describe(self) -> None:
        chosen = self.query_one("#inject", Select).value
        about = "Write your own: title, text, recipients and claim."
        for inj in self.game.optional_injects():
            if inj.id == chosen:
                to = ", ".join(inj.to) + (f" via {inj.via}" if inj.via else "")
                claim = (f" Claim: {inj.claim.hypothesis} {inj.claim.confidence:.0%}."
                         if inj.claim else "")
                about = f"{inj.text} To: {to}.{claim}"
        self.query_one("#about", Static).update(about)

    def value(self) -> Any:
        """An inject action, or FREE_FORM to open the free-form form."""
        chosen = self.chosen("#inject", "an inject")
        return FREE_FORM if chosen == FREE_FORM else SessionAction(inject=chosen)


class FreeInjectDialog(Dialog[SessionAction]):
    """Write an inject of your own: what, to whom, and the claim it carries."""

    TITLE = "Free-form inject"

    def __init__(self, game: Game, perform: Perform | None = None) -> None:
        super().__init__(perform)
        self.game = game
        """The game, for actors, broadcasts and hypotheses."""

    def fields(self) -> Iterable[Widget]:
        """Title, text, recipients or a broadcast, claim."""
        s = self.game.scenario
        yield self.label("Title")
        yield Input(id="title", placeholder="one line for the feed", compact=True)
        yield self.label("Text")
        yield Input(id="text", placeholder="what the recipients learn", compact=True)
        yield self.label("To (space)")
        yield SelectionList[str](*[(f"{a.id} — {a.name}", a.id) for a in s.actors], id="to")
        yield self.label("Or broadcast")
        yield Select([(c.id, c.id) for c in s.channels if c.kind == "broadcast"], id="via",
                     prompt="no broadcast", compact=True)
        yield self.label("Claim")
        yield Select([(f"{h.id} — {h.label}", h.id) for h in s.question.hypotheses], id="claim",
                     prompt="no claim", compact=True)
        yield self.label("Confidence %")
        yield Input("80", id="confidence", compact=True)

    def value(self) -> SessionAction:
        """The free-form inject."""
        title = self.query_one("#title", Input).value.strip()
        if not title:
            raise FormError("give the inject a title")
        spec: dict[str, Any] = {"title": title, "text": self.query_one("#text", Input).value.strip(),
                                "to": list(self.query_one("#to", SelectionList).selected)}
        via = self.query_one("#via", Select).value
        if via is not Select.NULL:
            spec["via"] = via
        if not spec["to"] and "via" not in spec:
            raise FormError("tick at least one recipient, or choose a broadcast")
        hypothesis = self.query_one("#claim", Select).value
        if hypothesis is not Select.NULL:
            spec["claim"] = {"hypothesis": hypothesis,
                             "confidence": percent(self.query_one("#confidence", Input).value)}
        return SessionAction(free_inject=spec)


class NoteDialog(Dialog[SessionAction]):
    """A time-stamped note for the debrief."""

    TITLE = "Add a note"

    def fields(self) -> Iterable[Widget]:
        """One line of text."""
        yield self.label("Note")
        yield Input(id="note", placeholder="what you saw or want to discuss", compact=True)

    def value(self) -> SessionAction:
        """The note."""
        text = self.query_one("#note", Input).value.strip()
        if not text:
            raise FormError("write the note first")
        return SessionAction(note=text)


def _turn(text: str, last: int) -> int:
    try:
        turn = int(text.strip())
    except ValueError:
        raise FormError(f"{text!r} is not a turn number; expected 1 to {last}") from None
    if not 1 <= turn <= last:
        raise FormError(f"expected a turn from 1 to {last}")
    return turn


class RewindDialog(Dialog[int]):
    """Go back to the start of a turn already played."""

    TITLE = "Rewind"

    def __init__(self, current: int, perform: Perform | None = None) -> None:
        super().__init__(perform)
        self.current = current
        """The turn now."""

    def fields(self) -> Iterable[Widget]:
        """The turn to go back to."""
        yield self.label(f"Turn (1–{self.current})" if self.current < 100 else "Turn")
        yield Input(str(max(1, self.current - 1)), id="turn", type="integer", compact=True)
        yield Static("What came after is dropped from the journal; the old journal is kept "
                     "beside it.", classes="wide")

    def value(self) -> int:
        """The turn."""
        return _turn(self.query_one("#turn", Input).value, self.current)


#: The branch form's variant entry that keeps the variant in force.
SAME_VARIANT = "__same__"


@dataclass(frozen=True)
class BranchRequest:
    """A what-if branch the facilitator asked for."""

    path: Path
    """The new journal."""
    turn: int | None
    """Where the branch starts: the start of this turn, or None for here."""
    variant: str | None = None
    """Play the branch under this variant; None: the one in force."""
    overrides: dict[str, str] = field(default_factory=dict)
    """Parameter values for the branch, as written (e.g. {"cgs_answer": "0.9"})."""


class ForkDialog(Dialog[BranchRequest]):
    """Branch a what-if into a new journal, from now or from an earlier turn, under any variant."""

    TITLE = "What-if branch"

    def __init__(self, current: int, suggested: Path, perform: Perform | None = None, *,
                 game: Game | None = None) -> None:
        super().__init__(perform)
        self.current = current
        """The turn now."""
        self.suggested = suggested
        """A free file name beside the current journal."""
        self.game = game
        """The game, for its variants and parameters (None: no variant fields)."""

    def fields(self) -> Iterable[Widget]:
        """The new journal's file, where the branch starts, and its variant and parameters."""
        yield self.label("New journal")
        yield Input(str(self.suggested), id="path", compact=True)
        yield self.label("From turn")
        yield Input("", id="turn", type="integer", compact=True,
                    placeholder=f"empty: from here; or the start of turn 1–{self.current}")
        if self.game is not None:
            s, now = self.game.scenario, self.game.session.variant
            options = [(f"as now: {now}", SAME_VARIANT)]
            options += [(name, name) for name in s.variants if name != now]
            yield self.label("Variant")
            yield Select(options, value=SAME_VARIANT, allow_blank=False, id="variant",
                         compact=True)
            yield self.label("Set")
            yield Input("", id="set", compact=True,
                        placeholder="e.g. " + " ".join(f"{n}=…" for n in list(s.parameters)[:2]))
            yield Static("", id="branch-about", classes="wide hint")
        yield Static("Play continues in the branch; the current journal stays as it is.",
                     classes="wide")

    def on_mount(self) -> None:
        """Describe the variant in force."""
        self._describe()

    def on_select_changed(self, event: Select.Changed) -> None:
        """Describe the chosen variant."""
        event.stop()
        self._describe()

    def _describe(self) -> None:
        if self.game is None:
            return
        chosen = self.query_one("#variant", Select).value
        name = self.game.session.variant if chosen == SAME_VARIANT else str(chosen)
        variant = self.game.scenario.variants.get(name) if name else None
        about = variant.description.strip() if variant is not None else ""
        sets = ", ".join(f"{k}={v}" for k, v in (variant.set if variant else {}).items())
        self.query_one("#branch-about", Static).update(
            f"{name}: {about}" + (f" ({sets})" if sets else "") if name else "")

    def value(self) -> BranchRequest:
        """The new path, the turn (None: from here), the variant and parameter values.

        Raises:
            FormError: no file, a bad turn, an unknown parameter or a value out of range.
        """
        path = self.query_one("#path", Input).value.strip()
        if not path:
            raise FormError("name the new journal file")
        text = self.query_one("#turn", Input).value
        turn = _turn(text, self.current) if text.strip() else None
        if self.game is None:
            return BranchRequest(Path(path).expanduser(), turn)
        chosen = self.query_one("#variant", Select).value
        variant = None if chosen == SAME_VARIANT else str(chosen)
        try:
            overrides = parse_overrides(self.query_one("#set", Input).value.split())
            resolve_params(self.game.scenario, variant or self.game.session.variant, overrides)
        except ParameterError as exc:
            raise FormError(str(exc)) from None
        return BranchRequest(Path(path).expanduser(), turn, variant, overrides)


class ViewAsDialog(Dialog[str]):
    """Show the game as the facilitator or as any actor sees it."""

    TITLE = "View as"

    def __init__(self, game: Game, perform: Perform | None = None) -> None:
        super().__init__(perform)
        self.game = game
        """The game, for its actors."""

    def fields(self) -> Iterable[Widget]:
        """Facilitator first, then every actor."""
        options = [("facilitator — everything, with the ground truth", FACILITATOR)]
        for a in self.game.scenario.actors:
            playable = "" if a.playable else " (automated)"
            options.append((f"{a.id} — {a.name}{playable}", a.id))
        yield self.label("View as")
        yield Select(options, value=self.game.role, allow_blank=False, id="role", compact=True)

    def value(self) -> str:
        """The role."""
        return str(self.chosen("#role", "a view"))


class FilterDialog(Dialog[tuple[str | None, str | None]]):
    """Keep only the feed lines about one actor, or one channel, or both."""

    TITLE = "Filter the feed"

    # the open lists drop over the fields below them: room for them inside the frame
    DEFAULT_CSS = """
    FilterDialog #fields { min-height: 12; }
    FilterDialog SelectOverlay { max-height: 8; }
    """

    def __init__(self, game: Game, actor: str | None, channel: str | None,
                 perform: Perform | None = None) -> None:
        super().__init__(perform)
        self.game = game
        """The game, for actors and channels."""
        self.actor = actor
        """The actor filtered on now."""
        self.channel = channel
        """The channel filtered on now."""

    def fields(self) -> Iterable[Widget]:
        """Actor, channel."""
        s = self.game.scenario
        yield self.label("Actor")
        yield Select([("any actor", ANY), *[(f"{a.id} — {a.name}", a.id) for a in s.actors]],
                     value=self.actor or ANY, allow_blank=False, id="actor", compact=True)
        yield self.label("Channel")
        yield Select([("any channel", ANY), *[(f"{c.id} ({c.kind})", c.id) for c in s.channels]],
                     value=self.channel or ANY, allow_blank=False, id="channel", compact=True)

    def value(self) -> tuple[str | None, str | None]:
        """(actor, channel), None for any."""
        actor = self.query_one("#actor", Select).value
        channel = self.query_one("#channel", Select).value
        return (None if actor == ANY else str(actor), None if channel == ANY else str(channel))


class ConfirmDialog(Dialog[bool]):
    """Ask before doing something that cannot be taken back."""

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self.TITLE = title
        self.question = question
        """What is asked."""

    def fields(self) -> Iterable[Widget]:
        """The question."""
        yield Static(self.question, classes="wide")

    def on_mount(self) -> None:
        """OK has the focus: Enter confirms."""
        self.query_one("#ok").focus()

    def value(self) -> bool:
        """Yes."""
        return True
