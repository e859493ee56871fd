"""Calls, messages and meetings read back out of the event log, and who reached whom."""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sim.engine.records import Record
from sim.report.model import CallAttempt, Meeting, Message, PairContact


def _claim(data: dict[str, Any]) -> str:
    if not data.get("hypothesis"):
        return ""
    return f"{data['hypothesis']} {float(data.get('confidence', 0)):.0%}"


def calls(log: Iterable[Record]) -> list[CallAttempt]:
    """Every call attempt, paired with how it ended.

    A caller's attempts on one line follow one another, so each ending is matched to the oldest
    open attempt with the same caller, callee, channel (and attempt number, where given).
    """
    out: list[CallAttempt] = []
    dialled: dict[tuple, deque[int]] = defaultdict(deque)
    talking: dict[tuple, deque[int]] = defaultdict(deque)
    last_failed: dict[tuple, int] = {}
    for r in log:
        kind = r.kind
        if not kind.startswith("call_"):
            continue
        line = (r.actor, r.counterpart, r.channel)
        if kind == "call_attempt":
            dialled[(*line, r.data.get("attempt"))].append(len(out))
            out.append(CallAttempt(t=r.t, caller=r.actor or "", callee=r.counterpart or "",
                                   channel=r.channel or "", attempt=int(r.data.get("attempt", 1)),
                                   outcome="pending", t_outcome=None))
        elif kind in ("call_failed", "call_connected"):
            waiting = dialled.get((*line, r.data.get("attempt")))
            if not waiting:
                continue  # an ending without its attempt: a log cut at the front
            i = waiting.popleft()
            if kind == "call_failed":
                out[i] = replace(out[i], outcome=str(r.data.get("reason", "failed")), t_outcome=r.t)
                last_failed[line] = i
            else:
                out[i] = replace(out[i], outcome="connected", t_outcome=r.t)
                talking[line].append(i)
        elif kind == "call_ended" and talking.get(line):
            i = talking[line].popleft()
            out[i] = replace(out[i], t_ended=r.t)
        elif kind == "call_gave_up" and line in last_failed:
            i = last_failed.pop(line)
            out[i] = replace(out[i], gave_up=True)
    return out


def messages(log: Iterable[Record]) -> list[Message]:
    """Every message to each recipient, paired with its arrival or loss."""
    out: list[Message] = []
    open_: dict[tuple, deque[int]] = defaultdict(deque)
    for r in log:
        key = (r.actor, r.counterpart, r.channel)
        if r.kind == "message_sent":
            open_[key].append(len(out))
            out.append(Message(t=r.t, sender=r.actor or "", to=r.counterpart or "",
                               channel=r.channel or "", t_outcome=None, lost=False,
                               claim=_claim(r.data), text=str(r.data.get("text") or "")))
        elif r.kind in ("message_delivered", "message_lost") and open_.get(key):
            i = open_[key].popleft()
            out[i] = replace(out[i], t_outcome=r.t, lost=r.kind == "message_lost")
    return out


def meetings(log: Iterable[Record]) -> list[Meeting]:
    """Every meeting requested, with when it convened and ended and who sat in it."""
    out: list[Meeting] = []
    open_: dict[tuple, deque[int]] = defaultdict(deque)
    sitting: dict[tuple, deque[int]] = defaultdict(deque)
    for r in log:
        key = (r.actor, r.channel)
        if r.kind == "meeting_requested":
            open_[key].append(len(out))
            out.append(Meeting(channel=r.channel or "", chair=r.actor or "", t_requested=r.t,
                               t_convened=None, t_ended=None, members=()))
        elif r.kind == "meeting_convened" and open_.get(key):
            i = open_[key].popleft()
            out[i] = replace(out[i], t_convened=r.t, members=tuple(r.data.get("members", ())))
            sitting[key].append(i)
        elif r.kind == "meeting_ended":
            if sitting.get(key):
                i = sitting[key].popleft()
            elif open_.get(key):  # never convened (the channel was never up)
                i = open_[key].popleft()
            else:
                continue
            out[i] = replace(out[i], t_ended=r.t)
    return out


def pairs(actor_order: Sequence[str], attempts: Sequence[CallAttempt],
          sent: Sequence[Message], sat: Sequence[Meeting]) -> list[PairContact]:
    """Who reached whom: every pair that called, wrote or met, in the scenario's actor order."""
    rank = {a: i for i, a in enumerate(actor_order)}

    def key(a: str, b: str) -> tuple[str, str]:
        return (a, b) if (rank.get(a, len(rank)), a) <= (rank.get(b, len(rank)), b) else (b, a)

    first_attempt: dict[tuple, float] = {}
    contact: dict[tuple, tuple[float, str]] = {}
    tried: Counter[tuple] = Counter()
    failed: dict[tuple, Counter[str]] = defaultdict(Counter)
    reasons: dict[tuple, Counter[str]] = defaultdict(Counter)
    delivered: Counter[tuple] = Counter()
    lost: Counter[tuple] = Counter()
    seen: set[tuple] = set()

    def met(pair: tuple, t: float, via: str) -> None:
        if pair not in contact or t < contact[pair][0]:
            contact[pair] = (t, via)

    for c in attempts:
        pair = key(c.caller, c.callee)
        seen.add(pair)
        tried[pair] += 1
        first_attempt.setdefault(pair, c.t)
        if c.outcome == "connected" and c.t_outcome is not None:
            met(pair, c.t_outcome, c.channel)
        elif c.failed:
            failed[pair][c.caller] += 1
            reasons[pair][c.outcome] += 1
    for m in sent:
        pair = key(m.sender, m.to)
        seen.add(pair)
        if m.lost:
            lost[pair] += 1
        elif m.t_outcome is not None:
            delivered[pair] += 1
    for meeting in sat:
        if meeting.t_convened is None:
            continue
        members = list(meeting.members)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = key(a, b)
                seen.add(pair)
                met(pair, meeting.t_convened, meeting.channel)
    out = []
    for pair in sorted(seen, key=lambda p: (rank.get(p[0], len(rank)), rank.get(p[1], len(rank)), p)):
        t, via = contact.get(pair, (None, ""))
        out.append(PairContact(
            a=pair[0], b=pair[1], first_attempt=first_attempt.get(pair), first_contact=t, via=via,
            attempts=tried[pair], failed=sum(failed[pair].values()), failed_by=dict(failed[pair]),
            reasons=dict(reasons[pair]), messages=delivered[pair], messages_lost=lost[pair]))
    return out
