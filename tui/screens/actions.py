"""The seat's actions as forms: call, message, statement, posture, meeting.

Each form offers only the channels the acting actor is on, and returns a `SessionAction`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Select, SelectionList, Static

from sim.durations import format_hm
from sim.engine.records import Record
from sim.engine.session import SessionAction
from sim.scenario.events import Action
from tui.game import Game
from tui.screens.dialog import Dialog, FormError, Perform, percent

#: The Select value for "no explicit claim: say what I believe now".
OWN_ASSESSMENT = "__own__"
#: The Select value for a holding line ("we are verifying"): no claim at all.
HOLDING = "__holding__"

#: What a caller may choose to do on a call that connects (Select options).
CALL_MOVES = [("say what I hold (my assessment and its bases)", "say"),
              ("share the evidence I hold", "share"), ("deny", "deny"), ("ask", "ask"),
              ("warn", "warn"), ("reassure", "reassure"), ("stall", "stall"),
              ("propose a step", "propose")]


def _actor_label(game: Game, actor_id: str) -> str:
    a = game.scenario.actor(actor_id)
    return f"{a.id} — {a.name}" + (f", {a.title}" if a.title else "")


def _channel_label(game: Game, channel_id: str) -> str:
    c = game.scenario.channel(channel_id)
    return f"{c.id} — {c.name}" if c.name else c.id


def _do(actor: str, **action: Any) -> SessionAction:
    """A SessionAction for `actor` from plain data, its problems as FormError."""
    try:
        return SessionAction(actor=actor, do=Action.model_validate(action))
    except ValueError as exc:
        raise FormError(str(exc).splitlines()[0]) from None


class ActorDialog(Dialog[SessionAction]):
    """A form for one actor's action."""

    def __init__(self, game: Game, actor: str, perform: Perform | None = None) -> None:
        super().__init__(perform)
        self.game = game
        """The game, for the scenario's actors and channels."""
        self.actor = actor
        """Who acts."""

    def claim_fields(self) -> Iterable[Widget]:
        """A claim to carry: a hypothesis (or the actor's own assessment) and a confidence."""
        hypotheses = [(f"{h.id} — {h.label}", h.id) for h in self.game.scenario.question.hypotheses]
        yield self.label("Claim")
        yield Select([("my own current assessment", OWN_ASSESSMENT),
                      ("a holding line: no claim", HOLDING), *hypotheses],
                     value=OWN_ASSESSMENT, allow_blank=False, id="claim", compact=True)
        yield self.label("Confidence %")
        yield Input("80", id="confidence", compact=True)
        yield self.label("Words")
        yield Input(id="text", placeholder="what is said (optional)", compact=True)

    def claim_value(self) -> dict[str, Any]:
        """What the message or statement asserts: a claim, a holding line, or the own assessment.

        Raises:
            FormError: a confidence that is not a percentage.
        """
        hypothesis = self.query_one("#claim", Select).value
        if hypothesis == OWN_ASSESSMENT:
            return {}
        if hypothesis == HOLDING:
            return {"holding": True}
        return {"claim": {"hypothesis": hypothesis,
                          "confidence": percent(self.query_one("#confidence", Input).value)}}

    def words(self) -> str:
        """What was typed in the words field."""
        return self.query_one("#text", Input).value.strip()


class CallDialog(ActorDialog):
    """Place a call: whom, and over which of the call channels linking the two."""

    TITLE = "Place a call"

    # the list of whom to call drops over the fields below it: room for it inside the frame
    DEFAULT_CSS = """
    CallDialog #fields { min-height: 12; }
    """

    def fields(self) -> Iterable[Widget]:
        """Whom, over which line, and what to say if it connects."""
        partners = self.game.call_partners(self.actor)
        yield self.label("Whom")
        yield Select([(_actor_label(self.game, p), p) for p in partners], id="whom",
                     prompt="choose whom to call", compact=True,
                     value=next(iter(partners)) if len(partners) == 1 else Select.NULL)
        yield self.label("Over")
        yield Select([], id="over", prompt="choose the line", compact=True)
        yield self.label("If unanswered")
        yield Select([("I decide whether to call again", "no"),
                      ("the staff retry, as on this line", "yes")],
                     value="no", allow_blank=False, id="retry", compact=True)
        yield self.label("If it connects")
        yield Select(CALL_MOVES, value="say", allow_blank=False, id="move", compact=True)
        yield self.label("Step")
        yield _named_input("measure", "for a proposal", self.game.known_steps(),
                                 "no move of this scenario answers one")
        yield self.label("Words")
        yield Input(id="text", placeholder="what is said (optional)", compact=True)

    def on_mount(self) -> None:
        """Offer the lines to the first partner chosen."""
        self._offer_lines()

    def on_select_changed(self, event: Select.Changed) -> None:
        """A new partner: offer the lines to them."""
        if event.select.id == "whom":
            self._offer_lines()

    def _offer_lines(self) -> None:
        whom = self.query_one("#whom", Select).value
        over = self.query_one("#over", Select)
        lines = self.game.call_partners(self.actor).get(whom, []) if isinstance(whom, str) else []
        over.set_options([(_channel_label(self.game, c), c) for c in lines])
        if lines:
            over.value = lines[0]

    def value(self) -> SessionAction:
        """The call, with the move the player chose for when it connects.

        Raises:
            FormError: a proposal without the step it proposes.
        """
        call: dict[str, Any] = {"to": self.chosen("#whom", "whom to call"),
                                "channel": self.chosen("#over", "a line")}
        move = self.query_one("#move", Select).value
        measure = self.query_one("#measure", Input).value.strip()
        if move == "propose" and not measure:
            steps = self.game.known_steps()
            raise FormError("a proposal needs its step" + (
                f": one of {', '.join(steps)}" if steps else ", e.g. joint-investigation"))
        if move != "say" or self.words():
            said: dict[str, Any] = {"move": move, "text": self.words()}
            if move == "propose":
                said["measure"] = measure
            call["say"] = [said]
        if self.query_one("#retry", Select).value == "yes":
            call["retry"] = True
        return _do(self.actor, call=call)


def _named_input(name: str, what: str, known: list[str], none: str) -> Input:
    """A text field for a name the scenario knows: it suggests them as the player types."""
    hint = f"{what}: {', '.join(known[:3])}{', …' if len(known) > 3 else ''}" if known else (
        f"{what}; {none}")
    return Input(id=name, placeholder=hint, compact=True,
                 suggester=SuggestFromList(known, case_sensitive=False) if known else None)


class MessageDialog(ActorDialog):
    """Send a message over a message channel to some of its members."""

    TITLE = "Send a message"

    def fields(self) -> Iterable[Widget]:
        """Channel, recipients, then the claim."""
        channels = self.game.message_channels(self.actor)
        yield self.label("Channel")
        yield Select([(_channel_label(self.game, c), c) for c in channels], id="channel",
                     value=next(iter(channels)), allow_blank=False, compact=True)
        yield self.label("To (space)")
        yield SelectionList[str](id="to")
        yield from self.claim_fields()
        yield self.label("Tag")
        yield _named_input("tag", "optional", self.game.known_tags(),
                                 "no rule of this scenario listens for one")

    def on_mount(self) -> None:
        """Offer the members of the first channel."""
        self._offer_members()

    def on_select_changed(self, event: Select.Changed) -> None:
        """A new channel: offer its members."""
        if event.select.id == "channel":
            self._offer_members()

    def _offer_members(self) -> None:
        channel = self.query_one("#channel", Select).value
        to = self.query_one("#to", SelectionList)
        to.clear_options()
        members = self.game.message_channels(self.actor).get(str(channel), [])
        to.add_options([(_actor_label(self.game, m), m, len(members) == 1) for m in members])

    def value(self) -> SessionAction:
        """The message."""
        to = list(self.query_one("#to", SelectionList).selected)
        if not to:
            raise FormError("tick at least one recipient (space)")
        tag = self.query_one("#tag", Input).value.strip()
        return _do(self.actor, message={"to": to, "channel": self.chosen("#channel", "a channel"),
                                        "text": self.words(), **self.claim_value(),
                                        **({"tag": tag} if tag else {})})


class StatementDialog(ActorDialog):
    """Make a public statement on a broadcast channel, carrying a claim."""

    TITLE = "Make a public statement"

    def fields(self) -> Iterable[Widget]:
        """Channel, then the claim."""
        channels = self.game.broadcast_channels(self.actor)
        yield self.label("Channel")
        yield Select([(_channel_label(self.game, c), c) for c in channels], id="channel",
                     value=channels[0], allow_blank=False, compact=True)
        yield from self.claim_fields()

    def value(self) -> SessionAction:
        """The statement."""
        return _do(self.actor, statement={"channel": self.chosen("#channel", "a channel"),
                                          "text": self.words(), **self.claim_value()})


class PostureDialog(ActorDialog):
    """Move on the posture ladder."""

    TITLE = "Change posture"

    def __init__(self, game: Game, actor: str, current: str | None,
                 perform: Perform | None = None) -> None:
        super().__init__(game, actor, perform)
        self.current = current
        """The actor's level now."""

    def fields(self) -> Iterable[Widget]:
        """The ladder, lowest level first."""
        yield self.label(f"Level (now {self.current or '?'})")
        yield Select([(f"{i}. {lv.id} — {lv.label}", lv.id)
                      for i, lv in enumerate(self.game.scenario.ladder)],
                     value=self.current or Select.NULL, id="level", compact=True)

    def value(self) -> SessionAction:
        """The posture change."""
        level = self.chosen("#level", "a level")
        if level == self.current:
            raise FormError(f"already at {level}; choose another level")
        return _do(self.actor, posture={"set": level})


class MeetingDialog(ActorDialog):
    """Ask for a meeting of one of the actor's meeting channels."""

    TITLE = "Request a meeting"

    def fields(self) -> Iterable[Widget]:
        """The meetings the actor sits in."""
        meetings = self.game.meeting_channels(self.actor)
        yield self.label("Meeting")
        yield Select([(_channel_label(self.game, c), c) for c in meetings], id="meeting",
                     value=meetings[0], allow_blank=False, compact=True)

    def value(self) -> SessionAction:
        """The request."""
        return _do(self.actor, convene=self.chosen("#meeting", "a meeting"))


class IncomingCallDialog(Dialog[SessionAction]):
    """A call rings for the player's actor: pick up, decline, or let it ring (Escape)."""

    TITLE = "☎ Incoming call"

    def __init__(self, game: Game, actor: str, ringing: Record, perform: Perform) -> None:
        super().__init__(perform)
        self.game = game
        self.actor = actor
        """Whose phone rings."""
        self.ringing = ringing
        """The `call_ringing` record."""

    def fields(self) -> Iterable[Widget]:
        """Who calls, over which line, until when; then the answer."""
        r = self.ringing
        yield self.label("Caller")
        yield Static(_actor_label(self.game, r.counterpart or "?"), id="caller")
        yield self.label("Line")
        yield Static(_channel_label(self.game, r.channel or ""), id="line")
        yield self.label("Rings until")
        yield Static(f"+{format_hm(float(r.data.get('until', r.t)))} (Escape lets it ring)",
                     id="until")
        yield self.label("Answer")
        yield Select([("pick up", "take"), ("decline", "decline")], value="take",
                     allow_blank=False, id="answer", compact=True)

    def on_mount(self) -> None:
        """OK has the focus: Enter picks up."""
        self.query_one("#ok").focus()

    def value(self) -> SessionAction:
        """The answer."""
        return SessionAction(actor=self.actor,
                             answer=self.query_one("#answer", Select).value == "take")
