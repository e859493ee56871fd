"""The swimlane timeline: one lane per actor, calls and messages drawn between the lanes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sim.durations import format_hm
from sim.report.charts import shorten
from sim.report.model import Mark, Report
from sim.report.svg import Canvas, TimeScale, num, offset_label

WIDTH = 1100
LABEL = 190
"""Room on the left for the lanes' names."""
LANE = 34
TOP = 44
"""Room above the lanes for the time axis."""
SCENARIO_LANE = "Scenario"
#: Share of the timeline's items the zoomed opening holds.
DENSE_SHARE = 0.75
#: The zoomed opening is drawn only if it is shorter than this share of the run.
ZOOM_BELOW = 0.4
#: Minutes a run must last for a zoomed opening: shorter ones have room enough.
ZOOM_LONGER_THAN = 12 * 60


def dense_until(report: Report) -> float | None:
    """The end of the crowded opening, if most of what happened is packed into it.

    Returns the whole hour by which three quarters of the calls, messages and marks had
    happened, when that is under 40% of a run longer than 12 hours (then a second picture
    shows it larger); else None.
    """
    times = sorted([c.t for c in report.calls] + [m.t for m in report.messages]
                   + [m.t for m in report.marks])
    if len(times) < 20 or report.end <= ZOOM_LONGER_THAN:  # short runs are drawn wide enough
        return None
    until = -(-times[int(len(times) * DENSE_SHARE)] // 60) * 60
    return until if until < ZOOM_BELOW * report.end else None


def swimlane_zoom_svg(report: Report, standalone: bool = False) -> str:
    """The crowded opening of the timeline (see `dense_until`), drawn across the full width."""
    until = dense_until(report)
    return swimlane_svg(report, standalone, until=until if until is not None else report.end)


def swimlane_svg(report: Report, standalone: bool = False, until: float | None = None) -> str:
    """The session's timeline as SVG: injects and notes on top, then each actor's lane.

    With `until`, only minutes 0 to `until` are drawn, wider: what starts later is left out.
    """
    lanes = {a.id: i + 1 for i, a in enumerate(report.actors)}
    height = TOP + LANE * (len(lanes) + 1) + 52
    end = report.end if until is None else until
    title = f"Timeline of {report.summary.title}" + (
        f", the first {format_hm(end)}" if until is not None else "")
    c = Canvas(WIDTH, height, title)
    scale = TimeScale(end, LABEL, WIDTH - 28)
    report = _until(report, end) if until is not None else report

    def y(actor: str | None) -> float:
        return TOP + LANE * lanes.get(actor or "", 0) + LANE / 2

    _lanes_and_axis(c, report, scale)
    for m in report.meetings:
        if m.t_convened is None:
            continue
        x1, x2 = scale.x(m.t_convened), scale.x(m.t_ended if m.t_ended is not None else report.end)
        tip = (f"{m.channel} meets {offset_label(m.t_convened)}–"
               f"{offset_label(m.t_ended) if m.t_ended is not None else 'end'}: "
               + ", ".join(report.name(a) for a in m.members))
        rows = sorted(y(a) for a in m.members if a in lanes)
        if rows:
            c.line(x1, rows[0], x1, rows[-1], class_="meet", stroke_width=1, opacity=0.7)
        for row in rows:
            c.add("rect", tip=tip, x=x1, y=row - 6.0, width=max(2.0, x2 - x1), height=12.0,
                  class_="meet", opacity=0.35, rx=2)
    for call in report.calls:
        a, b = y(call.caller), y(call.callee)
        x0 = scale.x(call.t)
        x1 = scale.x(call.t_outcome if call.t_outcome is not None else report.end)
        tip = (f"{report.name(call.caller)} → {report.name(call.callee)} over {call.channel}, "
               f"attempt {call.attempt}: {call.outcome} ({offset_label(call.t)})")
        if call.outcome == "connected":
            x2 = scale.x(call.t_ended if call.t_ended is not None else report.end)
            c.line(x0, a, x1, b, class_="call", stroke_width=1.6, tip=tip)
            for row in (a, b):
                c.add("rect", tip=tip + f", {format_hm((call.t_ended or report.end) - call.t_outcome)}"
                      if call.t_outcome is not None else tip,
                      x=x1, y=row - 4.0, width=max(2.5, x2 - x1), height=8.0, class_="call", rx=2)
        elif call.failed:
            # drawn from the caller toward the callee, ending short with an ✗: never reached
            end = a + (b - a) * 0.8
            c.line(x0, a, x1, end, class_="fail", tip=tip)
            c.cross(x1, end, tip=tip)
        else:
            c.line(x0, a, x1, b, class_="fail", tip=tip + " (still ringing at the end)")
    for m in report.messages:
        a, b = y(m.sender), y(m.to)
        x0 = scale.x(m.t)
        x1 = scale.x(m.t_outcome if m.t_outcome is not None else report.end)
        tip = (f"message {report.name(m.sender)} → {report.name(m.to)} over {m.channel}"
               f"{' «' + m.claim + '»' if m.claim else ''}{' LOST' if m.lost else ''}")
        if m.lost:
            c.line(x0, a, (x0 + x1) / 2, (a + b) / 2, class_="lost", tip=tip)
            c.cross((x0 + x1) / 2, (a + b) / 2, 3.0, tip=tip)
        else:
            c.line(x0, a, x1, b, class_="msg", marker_end="url(#hl-arrow)", tip=tip)
    labelled: dict[float, float] = {}  # lane row → x where its last level label ends
    for mark in report.marks:
        _mark(c, mark, scale.x(mark.t), y(mark.actor), report, labelled)
    _legend(c, height - 14)
    return c.render(standalone)


def _lanes_and_axis(c: Canvas, report: Report, scale: TimeScale) -> None:
    c.raw('<defs><marker id="hl-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" '
          'markerHeight="6" orient="auto-start-reverse"><path d="M0 0L8 4L0 8z" '
          'style="fill:var(--msg)"/></marker></defs>')
    names = [(SCENARIO_LANE, "injects · notes")] + [
        (a.name, ("▶ played · " if a.seated else "") + a.id) for a in report.actors]
    for i, (name, sub) in enumerate(names):
        top = TOP + LANE * i
        if i % 2 == 0:
            c.add("rect", x=0.0, y=float(top), width=float(WIDTH), height=float(LANE), class_="lane")
        c.text(8, top + 15, shorten(name, 28), tip=name, class_="fg", font_weight="600",
               font_size="12")
        c.text(8, top + 28, _clip(sub, 34), class_="muted", font_size="9.5")
    bottom = TOP + LANE * len(names)
    start = report.summary.start
    for t in scale.ticks():
        x = scale.x(t)
        c.line(x, TOP - 4, x, bottom, class_="grid")
        c.text(x, 16, offset_label(t), class_="fg", text_anchor="middle")
        clock = (start + timedelta(minutes=t)).strftime("%H:%M")
        c.text(x, 30, f"{clock} UTC" if t == 0 else clock, class_="muted", text_anchor="middle",
               font_size="9.5")
    c.line(LABEL, bottom, WIDTH - 28, bottom, class_="axis")


def _until(report: Report, end: float) -> Report:
    """The report with only what started by minute `end` (for the zoomed picture)."""
    return replace(report, calls=tuple(c for c in report.calls if c.t <= end),
                   messages=tuple(m for m in report.messages if m.t <= end),
                   meetings=tuple(m for m in report.meetings
                                  if m.t_convened is not None and m.t_convened <= end),
                   marks=tuple(m for m in report.marks if m.t <= end))


def _mark(c: Canvas, mark: Mark, x: float, row: float, report: Report,
          labelled: dict[float, float]) -> None:
    kind, label = mark.kind, mark.label
    tip = f"{offset_label(mark.t)} {report.name(mark.actor)}: {label}"
    if kind == "inject":
        cls = "note" if mark.correct is None else ("ok" if mark.correct else "bad")
        c.add("path", tip="inject " + tip, d=f"M{num(x)} {num(row - 7)}l6 11h-12z", class_=cls)
    elif kind == "statement":
        cls = "ok" if mark.correct else "bad"
        c.add("path", tip=tip, d=f"M{num(x)} {num(row - 7)}l6 7l-6 7l-6 -7z", class_=cls)
    elif kind == "posture":
        c.add("rect", tip=tip, x=x - 1.5, y=row - 10, width=3.0, height=20.0, class_="fg")
        level = label.split(" → ")[-1]
        if x + 4 >= labelled.get(row, 0.0):  # thinned: never drawn over the previous label
            c.text(x + 4, row - 4, level, class_="fg", font_size="9.5")
            labelled[row] = x + 4 + 6.5 * len(level) + 4
    elif kind == "pause":
        c.line(x, TOP, x, TOP + LANE, class_="note", stroke_dasharray="2 2", tip="pause " + tip)
    else:  # a player's decision on its lane, a facilitator's note on the scenario lane
        c.add("circle", tip=("decision " if kind == "decision" else "note ") + tip,
              cx=x, cy=row + (0 if kind == "note" else 8), r=3.5, class_="note")


def _legend(c: Canvas, y: float) -> None:
    """Two rows: the lines between lanes, then the marks on them."""
    rows = ([("call", "connected call"), ("fail", "failed attempt, ending in ✗"),
             ("msg", "message (arrow)"), ("lost", "lost message, ✗ midway")],
            [("meet", "meeting"), ("ok", "true claim ◆ or inject ▲"),
             ("bad", "false claim ◆ or inject ▲"), ("note", "note ● or decision ●")])
    for row, items in enumerate(rows):
        x, base = float(LABEL), y - 16 + 16 * row
        for cls, text in items:
            if row == 0:
                c.line(x, base - 4, x + 18, base - 4, class_=cls, stroke_width=2)
            else:
                c.add("rect", x=x, y=base - 9, width=12.0, height=10.0, class_=cls, rx=2)
            c.text(x + 24, base, text, class_="muted")
            x += 200


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
