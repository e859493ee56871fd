"""The readable timeline of `hotline run`: UTC time, local times, who did what over which channel."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sim.durations import format_hm
from sim.engine.metrics import Bound, MetricValue, historical_value
from sim.engine.records import Record
from sim.scenario.models import YES_NO_METRICS, Scenario

#: Records too fine-grained for the readable timeline (they stay in --json).
QUIET = {"belief", "question_belief", "received", "message_delivered", "call_attempt"}


def _local(scenario: Scenario, actor: str | None, t: float) -> str:
    if actor is None:
        return ""
    zone = next((a.timezone for a in scenario.actors if a.id == actor), "UTC")
    local = (scenario.start + timedelta(minutes=t)).astimezone(ZoneInfo(zone))
    return f"{local:%H:%M} {local.tzname()}"


def format_record(scenario: Scenario, r: Record) -> str | None:
    """One line of the timeline for a record, or None for records the timeline leaves out."""
    if r.kind in QUIET:
        return None
    when = scenario.start + timedelta(minutes=r.t)
    stamp = f"{when:%d %b %H:%M} UTC  +{format_hm(r.t):>7}"
    local = _local(scenario, r.actor, r.t)
    d = r.data
    claim = f" «{d['hypothesis']} {d.get('confidence', 0):.0%}»" if d.get("hypothesis") else ""
    if r.kind == "inject":
        text = f"INJECT  {d.get('title', '')}{claim}"
    elif r.kind == "call_connected":
        text = f"{r.actor} ⇄ {r.counterpart} connected over {r.channel}"
    elif r.kind == "call_failed":
        text = (f"✗ {r.actor} → {r.counterpart} call failed over {r.channel} "
                f"({d.get('reason')}, attempt {d.get('attempt')})")
    elif r.kind == "call_gave_up":
        text = f"✗ {r.actor} gave up calling {r.counterpart} after {d.get('attempts')} attempts"
    elif r.kind == "call_ended":
        text = f"{r.actor} ⇄ {r.counterpart} call ended"
    elif r.kind == "message_sent":
        text = f"{r.actor} → {r.counterpart} message over {r.channel}{claim}"
    elif r.kind == "message_lost":
        text = f"✗ message {r.actor} → {r.counterpart} over {r.channel} lost"
    elif r.kind == "statement":
        mark = "  (false)" if d.get("correct") is False else ""
        text = f"{r.actor} states on {r.channel}{claim}{mark}"
    elif r.kind == "statement_failed":
        text = f"✗ {r.actor} could not publish on {r.channel} ({d.get('reason')})"
    elif r.kind == "meeting_requested":
        text = f"{r.actor} requests {r.channel}"
    elif r.kind == "meeting_convened":
        text = f"{r.channel} convenes: {', '.join(d.get('members', []))}"
    elif r.kind == "meeting_ended":
        text = f"{r.channel} ends"
    elif r.kind == "posture":
        text = f"{r.actor} posture {d.get('previous')} → {d.get('level')}"
    elif r.kind == "call_ringing":
        text = f"{r.counterpart} is calling {r.actor} over {r.channel} (a player answers)"
    elif r.kind == "call_missed":
        text = f"{r.actor} missed a call from {r.counterpart} over {r.channel} ({d.get('reason')})"
    elif r.kind == "call_requested":
        text = f"{r.actor} asks {r.counterpart}'s staff for a call over {r.channel}"
    elif r.kind == "call_arranged":
        text = f"{r.actor}'s staff agree a call with {r.counterpart} at +{format_hm(d.get('slot', 0))}"
    elif r.kind == "call_declined":
        text = f"✗ {r.actor}'s staff decline a call with {r.counterpart} ({d.get('reason')})"
    elif r.kind == "call_move":
        about = f" {d['measure']}" if d.get("measure") else ""
        words = f' "{d["text"]}"' if d.get("text") else ""
        text = f"{r.actor} → {r.counterpart} on {r.channel}: {d.get('move')}{about}{claim}{words}"
    elif r.kind == "agreed":
        text = f"{r.actor} and {r.counterpart} agree: {d.get('measure')}"
    elif r.kind == "posture_observed":
        text = f"{r.actor} sees {r.counterpart} at {d.get('level')}"
    elif r.kind == "decision":
        text = (f"{r.channel} decides {d.get('decision')} ({d.get('rule')}): "
                f"{'passed' if d.get('passed') else 'failed'}")
    elif r.kind == "evidence":
        text = f"EVIDENCE  {d.get('title', '')}: {d.get('outcome')}{claim}"
    elif r.kind == "trust":
        text = (f"{r.actor} trusts {r.counterpart} {d.get('previous', 0):.0%} → {d.get('trust', 0):.0%} "
                f"({'confirmed' if d.get('confirmed') else 'contradicted'}: {d.get('root')})")
    elif r.kind == "pause":
        text = f"PAUSE  {d.get('reason', '')}"
    else:
        text = f"{r.kind} {r.actor or ''} {d.get('text', '')}".strip()
    local_part = f"  [{local}]" if local else ""
    return f"{stamp}  {text}{local_part}"


def show_value(metric: Any, value: MetricValue | str, stopped: float | None = None) -> str:
    """A metric value for people: a time after the scenario's start, a count, a level, yes/no.

    Args:
        metric: the metric.
        value: its value in a run.
        stopped: the minute play stopped, when it stopped short of the scenario's end; then
            what has not happened is "not by +6h30m", not "never" (it still might).
    """
    if value == "absent":
        return ""
    if isinstance(value, Bound):
        if value.low == -math.inf:
            return f"≤ {format_hm(value.high)}"
        if value.high == math.inf:
            return f"≥ {format_hm(value.low)}"
        return f"{format_hm(value.low)}–{format_hm(value.high)}"
    not_yet = None if stopped is None else f"not by +{format_hm(stopped)}"
    if metric.kind in ("first", "contact", "belief_true"):
        return (not_yet or "never") if value is None else format_hm(float(value))
    if metric.kind in YES_NO_METRICS:
        return "yes" if value else (not_yet or "no")
    return "-" if value is None else f"{value:g}"


def stopped_short(now: float, duration: float) -> float | None:
    """`now` if play stopped before the scenario's end, else None (for `show_value`)."""
    return now if now < duration else None


def format_metrics(scenario: Scenario, values: Mapping[str, MetricValue],
                   params: Mapping[str, float]) -> str:
    """The metrics of one run, each beside its historical value."""
    lines = [f"Metrics (times from the scenario's start; {scenario.history_name} value beside it)"]
    for m in scenario.metrics:
        hist = show_value(m, historical_value(m, params))
        lines.append(f"  {m.label:<52} {show_value(m, values[m.id]):>9}"
                     + (f"   {scenario.history_name}: {hist}" if hist else ""))
    return "\n".join(lines)
