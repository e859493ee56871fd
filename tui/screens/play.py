"""The play screen: clock, actors, channels and feed, and every action of the seat.

Time moves in a thread worker (`advance`), which hands back an immutable `View`; the UI thread
never touches the session while the worker runs (every binding but pause is dimmed meanwhile).
Actions are done on the UI thread: `Session.act` is quick, and returns only once the journal
line is on disk, so what the screen shows as done is never lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.worker import get_current_worker

from sim.engine.journal import JournalError
from sim.engine.params import ParameterError
from sim.engine.records import Record
from sim.engine.session import FACILITATOR, ActionError, View, visible
from tui.feedtext import FeedText
from tui.game import Game
from tui.messages import Advanced, Failed
from tui.screens import actions, control
from tui.screens.play_keys import ActorActions, FacilitatorControls
from tui.widgets.actors_table import ActorsTable
from tui.widgets.channels_table import ChannelsTable
from tui.widgets.clock_bar import Clock, ClockBar
from tui.widgets.feed import Feed
from tui.widgets.play_footer import PlayFooter

#: Actions only the facilitator's seat has.
FACILITATOR_ONLY = frozenset({"next_event", "run_on", "inject", "note", "view_as", "filter",
                              "rewind", "fork", "whatif_runs"})
#: Actions an actor takes (the seat's, or the one the facilitator is viewing).
ACTOR_ACTIONS = frozenset({"call", "message", "statement", "posture", "meeting", "pass_turn"})
#: Actions that move the clock.
CLOCK_ACTIONS = frozenset({"next_turn", "next_event", "run_on", "resume"})
#: Actions available whatever the session is doing.
ALWAYS = frozenset({"help", "end"})


class PlayScreen(ActorActions, FacilitatorControls, Screen[None]):
    """One exercise in play, seen from one seat."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_turn", "Next turn", id="next-turn",
                tooltip="Advance the clock to the end of this turn"),
        Binding("p", "pause", "Pause", id="pause", tooltip="Stop running on"),
        Binding("p", "resume", "Resume", id="resume",
                tooltip="Finish the paused turn (or run on again)"),
        Binding("c", "call", "Call", id="call", tooltip="Place a call"),
        Binding("m", "message", "Message", id="message", tooltip="Send a message"),
        Binding("s", "statement", "Statement", id="statement",
                tooltip="Make a public statement carrying a claim"),
        Binding("o", "posture", "Posture", id="posture", tooltip="Change posture"),
        Binding("g", "meeting", "Meeting", id="meeting", tooltip="Request a meeting"),
        Binding("x", "pass_turn", "Pass", id="pass", tooltip="Do nothing this turn"),
        Binding("e", "next_event", "Next event", id="next-event",
                tooltip="Advance until the next thing happens"),
        Binding("i", "inject", "Inject", id="inject", tooltip="Drop an inject"),
        Binding("t", "note", "Note", id="note", tooltip="Add a note for the debrief"),
        Binding("v", "view_as", "View as", id="view-as", tooltip="Switch the view to any seat"),
        Binding("question_mark", "help", "Help", id="help", key_display="?"),
        Binding("q", "end", "End", id="end", tooltip="End the exercise"),
        Binding("h", "toggle_panels", "Actors/channels", id="panels", show=False,
                tooltip="On a narrow terminal: show the channels instead of the actors, or back"),
        Binding("r", "run_on", "Run on", id="run-on",
                tooltip="Advance turn after turn until a pause, the end, or p"),
        Binding("f", "filter", "Filter", id="filter", tooltip="Filter the feed by actor or channel"),
        Binding("b", "rewind", "Rewind", id="rewind", tooltip="Go back to the start of a turn"),
        Binding("w", "fork", "What-if", id="fork", tooltip="Branch a what-if into a new journal"),
        Binding("a", "whatif_runs", "What-if runs", id="whatif-runs",
                tooltip="Many futures from here, with and without a change"),
    ]
    """Every key of play; `check_action` hides what the seat never has and dims what waits."""

    #: Seconds between turns when running on, so people can follow.
    RUN_ON_PAUSE = 0.4
    #: Seconds a step may take before the bar says it is running.
    SHOW_RUNNING_AFTER = 0.15
    #: Columns from which the panels sit beside the feed.
    WIDE = 140
    #: Columns below which the actors and channels panels take turns.
    NARROW = 110

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        """The game being played."""
        self.busy = False
        """Whether a worker is moving the session (the UI must not touch it)."""
        self.running_on = False
        """Whether the worker is running turn after turn."""
        self.held = False
        """Whether a run-on was stopped with p (resume runs on again)."""
        self.filter_actor: str | None = None
        """The feed shows only records about this actor (facilitator)."""
        self.filter_channel: str | None = None
        """The feed shows only records on this channel (facilitator)."""
        self._stop = threading.Event()
        """Set to stop a run-on after the current turn."""
        self._binding_state: tuple[bool | None, ...] = ()
        """What `check_action` said of each binding when the footer was last drawn."""

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Clock bar; actors and channels; the feed; the footer."""
        yield ClockBar(id="clock")
        with Container(id="body"):
            with Horizontal(id="panels"):
                yield ActorsTable(id="actors")
                yield ChannelsTable(id="channels")
            yield Feed(id="feed")
        yield PlayFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Show the session as it is, the feed focused."""
        self._rings_offered: set[tuple[float, str | None, str | None]] = set()
        self.show(reset=True)
        self.query_one(Feed).focus()

    def on_resize(self) -> None:
        """Wide terminals get the panels beside the feed, others above it; narrow ones one at a time."""
        width = self.size.width
        self.set_class(width >= self.WIDE, "-wide")
        self.set_class(width < self.NARROW, "-narrow")
        self._title_panels()
        self.update_bindings()

    def _title_panels(self) -> None:
        narrow = self.has_class("-narrow")
        self.query_one(ActorsTable).border_title = "Actors · h: channels" if narrow else "Actors"
        self.query_one(ChannelsTable).border_title = "Channels · h: actors" if narrow else "Channels"

    def action_toggle_panels(self) -> None:
        """On a narrow terminal, show the channels instead of the actors, or back."""
        self.toggle_class("-show-channels")
        shown = ChannelsTable if self.has_class("-show-channels") else ActorsTable
        if self.focused is not None and isinstance(self.focused, ActorsTable | ChannelsTable):
            self.query_one(shown).focus()

    # -- phase and what is allowed -------------------------------------------------------------

    @property
    def phase(self) -> str:
        """planning, running, paused or ended."""
        if self.game.ended or (not self.busy and self.game.session.finished):
            return "ended"
        if self.busy:
            return "running"
        if self.held or self.game.session.paused:
            return "paused"
        return "planning"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what this seat never has; dim what must wait for the clock or an actor."""
        game = self.game
        if action in ALWAYS:
            return True
        if action == "toggle_panels":
            return self.has_class("-narrow")
        if action in FACILITATOR_ONLY and not game.seat.is_facilitator:
            return False
        if action == "pause":
            return self.running_on
        if action == "resume":
            return not self.busy and (self.held or game.session.paused)
        if action in ACTOR_ACTIONS:
            actor = game.actor
            if actor is None or not self._has_channels(action, actor):
                return False
        if self.busy:
            return None
        if action in CLOCK_ACTIONS and game.session.finished:
            return None
        if action in ACTOR_ACTIONS and game.session.finished:
            return None
        return True

    def _has_channels(self, action: str, actor: str) -> bool:
        game = self.game
        return {
            "call": lambda: bool(game.call_partners(actor)),
            "message": lambda: bool(game.message_channels(actor)),
            "statement": lambda: bool(game.broadcast_channels(actor)),
            "meeting": lambda: bool(game.meeting_channels(actor)),
        }.get(action, lambda: True)()

    # -- showing -------------------------------------------------------------------------------

    def writer(self) -> FeedText:
        """How feed lines are worded for the role shown now."""
        game = self.game
        return FeedText(game.scenario, game.role, show_truth=game.seat.is_facilitator,
                        inject_info=game.inject_info, words_for=game.words_for,
                        first_person=not game.seat.is_facilitator)

    def show(self, view: View | None = None, *, reset: bool = False) -> None:
        """Bring every panel up to date with a view (default: take one now)."""
        game = self.game
        view = view or game.view()
        seat = "seat: facilitator" if game.seat.is_facilitator else f"seat: {game.seat.id}"
        viewing = game.role if game.seat.is_facilitator and game.role != FACILITATOR else None
        who = (game.scenario.timezone.rsplit("/", 1)[-1].replace("_", " ")
               if game.role == FACILITATOR else game.role) + " "
        self.query_one(ClockBar).show(Clock(
            utc=game.session.clock(view.t).strftime("%a %d %b %Y %H:%M UTC"),
            local=who + game.local_clock(view.t), turn=view.turn, last_turn=game.last_turn,
            phase=self.phase, title=game.scenario.title, seat=seat,
            truth=_truth_label(game) if game.seat.is_facilitator else None,
            truth_id=game.scenario.question.truth,
            variant=_variant_label(game) if game.seat.is_facilitator else None, viewing=viewing))
        informed = {r.actor for r in view.feed if r.kind in ("belief", "received") and r.actor}
        self.query_one(ActorsTable).show(view.actors, game.role, informed)
        self.query_one(ChannelsTable).show(view.channels)
        feed = self.query_one(Feed)
        if reset:
            feed.reset(self.writer(), view.feed)
            self._apply_filter()
        else:
            feed.extend(view.feed[feed.record_count:])
        self.update_bindings()
        self._offer_answer(view)

    def _offer_answer(self, view: View) -> None:
        """A call rings for this seat's actor: ask the player whether to pick up, once."""
        game = self.game
        if game.seat.is_facilitator or game.role != game.seat.id or self.busy:
            return
        ringing = ringing_now(view)
        if ringing is None or (key := _ring_key(ringing)) in self._rings_offered:
            return
        self._rings_offered.add(key)
        self.app.push_screen(actions.IncomingCallDialog(game, game.seat.id, ringing, self.perform))

    def _apply_filter(self) -> None:
        actor, channel = self.filter_actor, self.filter_channel
        keep: Callable[[Record], bool] | None = None
        if actor or channel:
            def keep(r: Record) -> bool:
                about = (actor is None or actor in (r.actor, r.counterpart)
                         or actor in r.data.get("members", ()))
                return about and (channel is None or r.channel == channel)
        label = " · ".join(x for x in (actor and f"actor {actor}",
                                       channel and f"channel {channel}") if x)
        self.query_one(Feed).set_filter(keep, label)

    # -- time ----------------------------------------------------------------------------------

    def action_next_turn(self) -> None:
        """Advance to the end of the turn."""
        self.start("turn")

    def action_next_event(self) -> None:
        """Advance until the next record."""
        self.start("event")

    def action_run_on(self) -> None:
        """Advance turn after turn until something pauses play."""
        self.start("run")

    def action_pause(self) -> None:
        """Stop running on after the turn under way."""
        self._stop.set()
        self.notify("Stopping after this turn…", timeout=2)

    def action_resume(self) -> None:
        """Run on again, or finish the turn a scenario event paused."""
        self.start("run" if self.held else "turn")

    def start(self, how: str) -> None:
        """Hand the session to the worker: `turn`, `event` or `run`."""
        self._unnotify_pause()  # the clock moves on: "Paused" is no longer true
        self.busy, self.held, self.running_on = True, False, how == "run"
        self._stop.clear()
        if self.running_on:
            self.show_phase()
        else:  # most turns take milliseconds: say "running" only if this one takes a while
            self.set_timer(self.SHOW_RUNNING_AFTER, self._still_running)
        self.advance(how)

    def _still_running(self) -> None:
        if self.busy:
            self.show_phase()

    def show_phase(self) -> None:
        """Redraw the phase and the bindings without touching the session (a worker has it)."""
        self.query_one(ClockBar).set_phase(self.phase)
        self.update_bindings()

    def update_bindings(self) -> None:
        """Redraw the footer, only if what the keys do has changed (the footer is costly)."""
        state = tuple(self.check_action(b.action, ()) for b in self.BINDINGS
                      if isinstance(b, Binding))
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    @work(thread=True, exclusive=True, group="session")
    def advance(self, how: str) -> None:
        """Move the session in a thread and post snapshots back."""
        worker = get_current_worker()
        session = self.game.session
        if how == "event":
            session.run_to_next_event()
        elif how == "turn":
            self._turn()
        else:
            while True:
                self._turn()
                if (session.paused or session.finished or worker.is_cancelled
                        or self._stop.is_set()):
                    break
                self.post_message(Advanced(self.game.view(), final=False))
                if self._stop.wait(self.RUN_ON_PAUSE):
                    break
        self.post_message(Advanced(self.game.view()))

    def _turn(self) -> None:
        """Finish the turn; a player's seat plays on through pauses it cannot see."""
        session, seat = self.game.session, self.game.seat
        first = len(session.log)
        session.next_turn()
        while (not seat.is_facilitator and session.paused and not session.finished
               and not any(visible(r, seat.id) for r in session.log[first:]
                           if r.t == session.now)):
            first = len(session.log)
            session.next_turn()

    @work(thread=True, exclusive=True, group="session")
    def background(self, job: Callable[[], str]) -> None:
        """Run a job that replaces the session (rewind, fork) in a thread."""
        try:
            note = job()
        except (JournalError, ActionError, ParameterError, OSError) as exc:
            self.post_message(Failed(str(exc)))
            return
        self.post_message(Advanced(self.game.view(), reset=True, note=note))

    def on_advanced(self, message: Advanced) -> None:
        """Show what the worker did."""
        if message.final:
            self.busy = False
            self.held = self.running_on and self._stop.is_set() and not self.game.session.paused
            self.running_on = False
        self.show(message.view, reset=message.reset)
        if message.note:
            self.notify(message.note, timeout=8)
        if message.final and not message.reset:
            self._announce()

    def on_failed(self, message: Failed) -> None:
        """Say why a background job was refused."""
        self.busy = False
        self.notify(message.error, title="Not done", severity="error", timeout=10)
        self.show()

    def _announce(self) -> None:
        session = self.game.session
        if session.halted:
            self.notify(session.halted, title="The run stopped", severity="error", timeout=30)
        elif session.finished:
            self.notify("The scenario's time has run out. Press q to end the exercise.",
                        title="Time is up", timeout=8)
        elif session.paused:
            reason = (self._pause_cause() or "a scenario event").rstrip(".")  # no ".." after a sentence
            self.notify(f"Play paused mid-turn by {reason}. Press p (or n) to finish the turn.",
                        title="Paused", severity="warning", timeout=8)

    def on_feed_opened(self, message: Feed.Opened) -> None:
        """Show a feed line whole, with the ids behind its names."""
        from tui.screens.feed_detail import FeedDetail

        self.app.push_screen(FeedDetail(self.game, message.record, message.line))

    def _unnotify_pause(self) -> None:
        """Take down the "Paused" and "Time is up" toasts."""
        app = self.app
        for notification in list(app._notifications):  # Textual offers no public way
            if notification.title in ("Paused", "Time is up"):
                app._unnotify(notification)

    def _pause_cause(self) -> str | None:
        """What paused play, as far as the seat may know.

        The facilitator is told the inject marked to pause, or the record a pattern matched;
        a player, the last thing it saw at this minute.
        """
        game = self.game
        session = game.session
        recent = [r for r in session.log[-8:] if r.t == session.now]
        if game.seat.is_facilitator:
            for r in reversed(recent):
                reason = str(r.data.get("reason", ""))
                if r.kind == "pause" and reason.startswith("inject "):
                    return f"the inject «{game.inject_info(reason.removeprefix('inject '))[0]}»"
        else:
            recent = [r for r in recent if visible(r, game.seat.id)]
        writer = self.writer()
        shown = [r for r in recent if writer.shows(r) and r.kind != "pause"]
        return writer.line(shown[-1]).plain.split("  ", 1)[-1] if shown else None

    # -- doing -------------------------------------------------------------------------------

    def perform(self, action: Any) -> str | None:
        """Do an action now; return the reason if the world refuses it."""
        try:
            self.game.act(action)
        except ActionError as exc:
            return str(exc)
        self.show()
        return None

    def action_end(self) -> None:
        """End the exercise (after asking)."""
        def then(yes: bool | None) -> None:
            if yes:
                self._stop.set()
                self.game.ended = True
                from tui.screens.end import EndScreen

                self.app.switch_screen(EndScreen(self.game))

        self.app.push_screen(control.ConfirmDialog(
            "End the exercise", "End the exercise now? Everything is in the journal; you can "
            "resume it later with hotline play --resume."), then)

    def action_help(self) -> None:
        """Show the keys and how play works."""
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))


def _variant_label(game: Game) -> str:
    """The variant in force and any parameter set by hand, e.g. `historical cgs_answer=0.9`."""
    session = game.session
    setting = " ".join(f"{k}={v}" for k, v in session.overrides.items())
    return " ".join(x for x in (session.variant or "", setting) if x)


def _truth_label(game: Game) -> str:
    q = game.scenario.question
    return next((h.label for h in q.hypotheses if h.id == q.truth), q.truth)



def ringing_now(view: View) -> Record | None:
    """The call ringing for the view's role now, if any: rung, and neither taken nor missed yet."""
    ringing: Record | None = None
    for r in view.feed:
        if r.kind == "call_ringing" and r.actor == view.role:
            ringing = r
        elif (ringing is not None and r.kind in ("call_connected", "call_missed")
              and ringing.counterpart in (r.actor, r.counterpart) and r.channel == ringing.channel):
            ringing = None
    if ringing is None or float(ringing.data.get("until", 0)) <= view.t:
        return None
    return ringing


def _ring_key(r: Record) -> tuple[float, str | None, str | None]:
    return (r.t, r.counterpart, r.channel)
