"""The report's tables as plain text cells: each function returns (headers, rows).

A cell is text, or (text, tone) where the tone (`ok`, `bad`, `muted`) lets the HTML colour it.
"""

from __future__ import annotations

from typing import Any

from sim.durations import format_duration, format_hm
from sim.report.model import Report

Rows = tuple[tuple[str, ...], tuple[tuple[Any, ...], ...]]


def _when(report: Report, t: float) -> tuple[str, str]:
    """A time cell: kept on one line in HTML."""
    return (report.stamp(t), "time")


def _hm(t: float | None) -> str:
    return "never" if t is None else format_hm(t)


def summary_items(report: Report) -> list[tuple[str, Any]]:
    """The summary as label–value pairs."""
    s = report.summary
    seats = ", ".join(f"{report.name(a)} ({a})" for a in s.seats) or "none: every actor automated"
    overrides = ", ".join(f"{k}={v}" for k, v in sorted(s.overrides.items())) or "none"
    seed = "not recorded" if s.seed is None else str(s.seed)
    items = [
        ("Scenario", f"{s.title} ({s.scenario_id})"),
        ("Source", f"{s.source_kind}: {s.source}" if s.source else s.source_kind),
        ("Seed", seed),
        ("Variant", s.variant or "none"),
        ("Overrides", overrides),
        ("Seats", seats),
        ("Start", f"{s.start:%Y-%m-%d %H:%M %Z}".strip()),
        ("Played", f"{format_duration(s.played)} of {format_duration(s.duration)} scenario time"),
        ("Events", f"{s.events} records in the event log"),
        ("Key question", s.question),
        ("Ground truth", report.hypothesis(s.truth)),
    ]
    met = sum(1 for o in report.objectives if o.met)
    still_open = sum(1 for o in report.objectives if o.met is None)
    if report.objectives:
        items.append(("Objectives", (f"{met} of {len(report.objectives)} met"
                                     + (f", {still_open} still open" if still_open else ""),
                                     "ok" if met == len(report.objectives) else "bad")))
    return items


def objectives_table(report: Report) -> Rows:
    """Each objective: target, session value, met or missed, and the 2022 outcome."""
    rows = []
    for o in report.objectives:
        hist = "—" if o.historical_met is None else (
            f"{o.historical or '—'} ({'met' if o.historical_met else 'missed'})")
        result = (("open: play stopped before its deadline", "muted") if o.met is None
                  else ("met", "ok") if o.met else ("missed", "bad"))
        rows.append((o.label, o.metric, o.target, o.value, result, hist))
    return ("Objective", "Metric", "Target", "Session", "Result", report.summary.history), tuple(rows)


def matrix_table(report: Report) -> Rows:
    """Who reached whom: time to first contact, and failed attempts, for every pair in touch."""
    involved = {p.a for p in report.pairs} | {p.b for p in report.pairs}
    actors = [a.id for a in report.actors if a.id in involved]
    by_pair = {frozenset((p.a, p.b)): p for p in report.pairs}
    rows = []
    for a in actors:
        cells: list[Any] = [report.name(a)]
        for b in actors:
            p = by_pair.get(frozenset((a, b)))
            if a == b:
                cells.append(("·", "muted"))
            elif p is None:
                cells.append(("", ""))
            else:
                text = f"✓ {format_hm(p.first_contact)}" if p.first_contact is not None else "✗ never"
                if p.failed:
                    text += f" · {p.failed} failed"
                cells.append((text, "ok" if p.first_contact is not None else "bad"))
        rows.append(tuple(cells))
    return ("", *(report.name(a) for a in actors)), tuple(rows)


def pairs_table(report: Report) -> Rows:
    """Each pair in touch: first attempt, first contact and how, the wait, failures, messages."""
    rows = []
    # the pairs that matter first: failed calls, then the earliest contacts, then the rest
    pairs = sorted(report.pairs, key=lambda p: (-p.failed, p.first_contact is None,
                                                p.first_contact or 0.0))
    for p in pairs:
        reasons = ", ".join(f"{n} {r}" for r, n in sorted(p.reasons.items())) or ""
        by = ", ".join(f"{report.name(a)} {n}" for a, n in sorted(p.failed_by.items()))
        failed = f"{p.failed}" + (f" ({reasons}; by {by})" if p.failed else "")
        messages = f"{p.messages}" + (f" (+{p.messages_lost} lost)" if p.messages_lost else "")
        rows.append((f"{report.name(p.a)} – {report.name(p.b)}", _hm(p.first_attempt)
                     if p.first_attempt is not None else "—",
                     (_hm(p.first_contact), "ok" if p.first_contact is not None else "bad"),
                     p.via or "—", _hm(p.wait) if p.wait is not None else "—",
                     str(p.attempts), (failed, "bad") if p.failed else failed, messages))
    return ("Pair", "First call attempt", "First contact", "Via", "Wait from first attempt",
            "Call attempts", "Failed", "Messages delivered"), tuple(rows)


def calls_table(report: Report) -> Rows:
    """Every call attempt with both ends' local times and how it ended."""
    rows = []
    for c in report.calls:
        if c.outcome == "connected":
            length = _hm(c.t_ended - c.t_outcome) if c.t_ended is not None and c.t_outcome is not None \
                else "to the end"
            outcome: Any = (f"connected, {length}", "ok")
        elif c.failed:
            outcome = (c.outcome + (" · gave up" if c.gave_up else ""), "bad")
        else:
            outcome = ("no answer yet at the end", "muted")
        rows.append((_when(report, c.t), report.name(c.caller), report.local(c.caller, c.t),
                     report.name(c.callee), report.local(c.callee, c.t), c.channel, str(c.attempt),
                     outcome))
    return ("Time", "Caller", "Caller's clock", "Callee", "Callee's clock", "Channel", "Attempt",
            "Outcome"), tuple(rows)


def beliefs_table(report: Report) -> Rows:
    """Each actor's probability of the truth at the start and the end, and when it first led."""
    truth = report.summary.truth
    rows = []
    for b in report.beliefs:
        start, end = b.points[0][1], b.points[-1][1]
        leading = max(end, key=lambda h: end[h]) if end else ""
        rows.append((report.name(b.actor), f"{start.get(truth, 0):.0%}", f"{end.get(truth, 0):.0%}",
                     (report.hypothesis(leading), "ok" if leading == truth else "bad"),
                     _hm(b.knew_at), str(len(b.points) - 1)))
    return ("Actor", "Truth at start", "Truth at end", "Leading answer at end", "Truth first led",
            "Changes"), tuple(rows)


def posture_table(report: Report) -> Rows:
    """Every move on the ladder, in time order."""
    labels = dict(report.ladder)
    moves = sorted((t, p.actor, old, new, why) for p in report.postures
                   for t, old, new, why in p.changes)
    rows = tuple((_when(report, t), report.name(actor), labels.get(old, old), labels.get(new, new),
                  why) for t, actor, old, new, why in moves)
    return ("Time", "Actor", "From", "To", "Why"), rows


def history_table(report: Report) -> Rows:
    """Each metric: the session's value, the 2022 value, its role, and where it comes from.

    The role says whether the value tests anything: a `fitted` one was used to set parameters,
    an `anchored` one is set by an inject or a schedule; only `held-out` values test the model.
    """
    rows = []
    for h in report.historical:
        sources = "; ".join(f"{title} ({url})" if url else title for title, url in h.sources)
        rows.append((h.metric, h.session, h.historical or "—", h.role or "—", sources or "—",
                     h.confidence or "—", h.note))
    return ("Metric", "Session", report.summary.history, "Role", "Sources", "Confidence",
            "Note"), tuple(rows)


def decisions_table(report: Report) -> Rows:
    """Players' actions and the facilitator's notes and injects, with their times."""
    kinds = {"action": "decision", "pass": "pass", "note": "note", "inject": "inject",
             "abandoned_note": "note, abandoned branch"}
    rows = tuple((_when(report, d.t), report.name(d.who) if d.who != "facilitator" else "Facilitator",
                  report.local(d.who, d.t), kinds.get(d.kind, d.kind), d.text)
                 for d in report.decisions)
    return ("Time", "Who", "Their clock", "Kind", "What"), rows
