"""Feed lines: one styled line of text per record, worded for the seat that reads it.

`sim.engine.timeline.format_record` writes the headless timeline; the feed needs two things it
does not do: a player's feed is built from what *reached* the player (`received` records, which
the timeline leaves out), and only the facilitator may see whether a claim is true.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from rich.text import Text

from sim.durations import format_hm
from sim.engine.records import Record
from sim.engine.session import FACILITATOR
from sim.scenario import Scenario

#: Records too fine-grained for the facilitator's feed (the actors panel shows their effect).
FACILITATOR_QUIET = frozenset({"belief", "question_belief", "trust", "received", "message_delivered",
                               "call_attempt"})
#: Records too fine-grained for a player's feed.
PLAYER_QUIET = frozenset({"belief", "question_belief", "trust", "message_delivered"})

#: Styles of the parts of a line.
STYLES = {
    "time": "dim",
    "inject": "bold magenta",
    "claim": "bold yellow",
    "true": "bold green",
    "false": "bold red",
    "fail": "red",
    "ok": "green",
    "note": "italic cyan",
    "pause": "bold reverse yellow",
    "you": "bold",
}

InjectInfo = Callable[[str], tuple[str, str]]
"""Looks up an inject's title and text by id."""

WordsFor = Callable[[Record], str]
"""Finds the words of the message or statement a `received` record took in."""


class FeedText:
    """Writes records as feed lines for one perspective: the facilitator's or an actor's."""

    def __init__(self, scenario: Scenario, role: str, *, show_truth: bool,
                 inject_info: InjectInfo | None = None, words_for: WordsFor | None = None,
                 first_person: bool = True) -> None:
        """Prepare to write lines.

        Args:
            scenario: the scenario, for times and names.
            role: `facilitator`, or the actor whose feed this is.
            show_truth: mark claims true or false (only ever for the facilitator's seat).
            inject_info: title and text of an inject by id (default: the scenario's injects).
            words_for: the words a received message or statement carried (default: none).
            first_person: call the role "you" (a player's own feed; not the facilitator's
                view of an actor).
        """
        self.scenario = scenario
        self.role = role
        self.show_truth = show_truth
        self._quiet = FACILITATOR_QUIET if role == FACILITATOR else PLAYER_QUIET
        known = {i.id: (i.title, i.text) for i in scenario.injects}
        self._inject_info = inject_info or (lambda i: known.get(i, (i, "")))
        self._words_for = words_for or (lambda _r: "")
        self._you = role if first_person else None
        self._names = {a.id: a.name for a in scenario.actors}
        """People by name, not id: the detail view (Enter) gives the ids."""
        self._start = scenario.start
        self._start_day = scenario.start.date()

    def shows(self, record: Record) -> bool:
        """Whether the record gets a line in this feed at all."""
        return record.kind not in self._quiet

    def stamp(self, t: float) -> str:
        """The time column: UTC hours and minutes, with the day when it is not the first."""
        when = self._start + timedelta(minutes=t)
        days = (when.date() - self._start_day).days
        return f"{when:%H:%M}" if days == 0 else f"+{days}d {when:%H:%M}"

    def line(self, r: Record) -> Text:
        """The record as one styled line (time, then what happened)."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(self.stamp(r.t), STYLES["time"])
        text.append("  ")
        if self.role == FACILITATOR:
            self._facilitator(text, r)
        else:
            self._player(text, r)
        return text

    # -- parts -------------------------------------------------------------------------------

    def _claim(self, text: Text, r: Record, source: str | None = None) -> None:
        d = r.data
        if not d.get("hypothesis"):
            if r.kind in ("statement", "message_sent", "statement_failed"):
                text.append(" (no claim)", "dim")
            return
        text.append(" ")
        text.append(f"«{d['hypothesis']} {float(d.get('confidence', 0)):.0%}»", STYLES["claim"])
        if d.get("shared"):
            text.append(" shared assessment", "dim")
        if source:
            text.append(f" from {source}")
        if self.show_truth and "correct" in d:
            text.append(" ✓" if d["correct"] else " ✗ false",
                        STYLES["true"] if d["correct"] else STYLES["false"])

    def _words(self, text: Text, r: Record) -> None:
        words = r.data.get("text")
        if words:
            text.append(f' "{words}"', "italic")

    def _named(self, words: str) -> str:
        """A player's action as the session worded it ("calls ru-cgs over ..."), with names."""
        return " ".join(self._names.get(w, w) for w in words.split(" "))

    def _name(self, actor: str | None) -> str:
        if actor is None:
            return "?"
        return "you" if actor == self._you else self._names.get(actor, actor)

    # -- the facilitator's feed: everything, claims marked true or false ----------------------

    def _facilitator(self, text: Text, r: Record) -> None:
        d, kind = r.data, r.kind
        if kind == "inject":
            by = " (dropped)" if d.get("by") else ""
            text.append(f"INJECT {d.get('title', '')}{by}", STYLES["inject"])
            self._claim(text, r)
        elif kind == "pause":
            text.append(f" PAUSE  {d.get('reason', '')} ", STYLES["pause"])
        elif kind == "note":
            if r.actor is None:
                text.append(f"NOTE {d.get('text', '')}", STYLES["note"])
            else:
                text.append(f"{self._name(r.actor)} (player) {self._named(str(d.get('text', '')))}",
                            STYLES["you"])
        else:
            self._shared(text, r)

    # -- a player's feed: only what reached the seat -------------------------------------------

    def _player(self, text: Text, r: Record) -> None:
        d, kind = r.data, r.kind
        if kind == "received":
            if d.get("inject"):
                title, words = self._inject_info(d["inject"])
                text.append(f"◆ {title}", STYLES["inject"])
                self._claim(text, r, r.counterpart and self._name(r.counterpart))
                if words:
                    text.append(f" — {words}")
            else:
                who = self._name(r.counterpart) if r.counterpart else "someone"
                text.append(f"◀ {who} via {r.channel or '?'}")
                self._claim(text, r)
                words = self._words_for(r)
                if words:
                    text.append(f' "{words}"', "italic")
        elif kind == "note":
            words = self._named(str(d.get("text", "")))
            line = (f"▶ You {_first_person(words)}" if self._you
                    else f"▶ {self._name(r.actor)} {words}")
            text.append(line, STYLES["you"])
        else:
            self._shared(text, r)

    # -- what both see, worded from the reader's side -----------------------------------------

    def _shared(self, text: Text, r: Record) -> None:
        d, kind = r.data, r.kind
        me, other = self._name(r.actor), self._name(r.counterpart)
        if kind == "call_connected":
            text.append(f"☎ {me} ⇄ {other} connected over {r.channel}", STYLES["ok"])
        elif kind == "call_ended":
            text.append(f"☎ {me} ⇄ {other} call ended over {r.channel}")
        elif kind == "call_failed":
            text.append(f"✗ {me} → {other} call failed over {r.channel} "
                        f"({d.get('reason')}, attempt {d.get('attempt')})", STYLES["fail"])
        elif kind == "call_gave_up" and d.get("attempts") == 1:
            text.append(f"✗ {me} did not get through to {other}; call again to retry", STYLES["fail"])
        elif kind == "call_gave_up":
            text.append(f"✗ {me} gave up calling {other} after {d.get('attempts')} attempts",
                        STYLES["fail"])
        elif kind == "call_attempt":
            verb = "dial" if me == "you" else "dials"
            text.append(f"☎ {me} {verb} {other} over {r.channel} (attempt {d.get('attempt')}): "
                        "placing the call…")
        elif kind == "message_sent":
            text.append(f"✉ {me} → {other} over {r.channel}")
            self._claim(text, r)
            self._words(text, r)
        elif kind == "message_delivered":
            text.append(f"✉ {me} → {other} delivered over {r.channel}")
        elif kind == "message_lost":
            text.append(f"✗ message {me} → {other} over {r.channel} lost", STYLES["fail"])
        elif kind == "statement":
            text.append(f"⚑ {me} on {r.channel}:")
            self._claim(text, r)
            self._words(text, r)
        elif kind == "statement_failed":
            text.append(f"✗ {me} could not publish on {r.channel} (the channel is down)",
                        STYLES["fail"])
        elif kind == "meeting_requested":
            text.append(f"{me} requests a meeting of {r.channel}")
        elif kind == "meeting_convened":
            members = ", ".join(self._name(m) for m in d.get("members", []))
            text.append(f"{r.channel} convenes: {members}", STYLES["ok"])
        elif kind == "meeting_ended":
            reason = f" ({d['reason']})" if d.get("reason") else ""
            text.append(f"{r.channel} ends{reason}")
        elif kind == "posture":
            text.append(f"▲ {me} posture {d.get('previous')} → {d.get('level')}", "bold")
        elif kind == "received":
            text.append(f"{me} ◀ {other} via {r.channel or 'inject'}")
            self._claim(text, r)
        elif kind == "belief":
            leading = max(d.get("belief", {}).items(), key=lambda kv: kv[1], default=("?", 0))
            text.append(f"{me} now thinks {leading[0]} {leading[1]:.0%}")
        elif kind == "call_ringing":
            text.append(f"☎ {other} is calling {me} over {r.channel}: pick up, or let it ring "
                        f"until +{format_hm(d.get('until', 0))}", STYLES["pause"])
        elif kind == "call_missed":
            text.append(f"☎ {me} missed a call from {other} over {r.channel} ({d.get('reason')})",
                        STYLES["fail"])
        elif kind == "call_requested":
            text.append(f"☎ {me} asks {other}'s staff for a call over {r.channel}")
        elif kind == "call_arranged":
            text.append(f"☎ {me}'s staff agree a call with {other} at +{format_hm(d.get('slot', 0))}",
                        STYLES["ok"])
        elif kind == "call_declined":
            text.append(f"✗ {me}'s staff decline a call with {other} ({d.get('reason')})", STYLES["fail"])
        elif kind == "call_move":
            about = f" {d['measure']}" if d.get("measure") else ""
            text.append(f"☎ {me} → {other}: {d.get('move')}{about}")
            self._claim(text, r)
            self._words(text, r)
        elif kind == "agreed":
            text.append(f"☎ {me} and {other} agree: {d.get('measure')}", STYLES["ok"])
        elif kind == "posture_observed":
            text.append(f"👁 {me} sees {other} at {d.get('level')}")
        elif kind == "decision":
            verdict = "passed" if d.get("passed") else "failed"
            text.append(f"{r.channel} decides {d.get('decision')} ({d.get('rule')}): {verdict}",
                        STYLES["ok"] if d.get("passed") else STYLES["fail"])
        elif kind == "evidence":
            text.append(f"◆ EVIDENCE {d.get('title', '')}: {d.get('outcome')}", STYLES["inject"])
            self._claim(text, r)
        elif kind == "trust":
            verdict = "confirmed" if d.get("confirmed") else "contradicted"
            verb = "trust" if me == "you" else "trusts"
            text.append(f"{me} {verb} {other} {d.get('previous', 0):.0%} → {d.get('trust', 0):.0%} "
                        f"({verdict} by the other evidence)")
        else:
            text.append(f"{kind} {me} {d.get('text', '')}".strip())


def _first_person(words: str) -> str:
    """`calls east over hotline` → `call east over hotline` (session notes are third person)."""
    verb, _, rest = words.partition(" ")
    if verb.endswith("sses"):
        verb = verb[:-2]
    elif verb.endswith("s"):
        verb = verb[:-1]
    return f"{verb} {rest}".strip()
