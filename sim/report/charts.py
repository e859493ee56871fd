"""The belief and posture pictures: each actor's assessment against the truth, and its ladder rung."""

from __future__ import annotations

from sim.report.model import Report
from sim.report.svg import Canvas, TimeScale, num, offset_label, rung_colour

WIDTH = 1100
LABEL = 190
RIGHT = 60
"""Room on the right for the final value."""
AXIS = 26
#: Characters of a name that fit in the label column on one line.
NAME_CHARS = 27
#: A generous width of one character of 10-unit text, so a name drawn in a strip is never cut.
CHAR_WIDTH = 7


def shorten(name: str, limit: int) -> str:
    """`name`, or its first words and an ellipsis: cut between words, never inside one."""
    if len(name) <= limit:
        return name
    cut = name[:limit - 1].rsplit(" ", 1)[0] if " " in name[:limit - 1] else name[:limit - 1]
    return cut.rstrip(" ,(") + "…"


def name_lines(name: str, limit: int) -> tuple[str, str]:
    """A name on one line, or two split between words (the second shortened if need be)."""
    if len(name) <= limit or " " not in name[:limit + 1]:
        return shorten(name, limit), ""
    first = name[:limit + 1].rsplit(" ", 1)[0]
    return first, shorten(name[len(first):].strip(), limit)


def _axis(c: Canvas, scale: TimeScale, top: float, bottom: float) -> None:
    for t in scale.ticks():
        x = scale.x(t)
        c.line(x, top, x, bottom, class_="grid")
        c.text(x, top - 8, offset_label(t), class_="muted", text_anchor="middle")


def beliefs_svg(report: Report, standalone: bool = False) -> str:
    """One small panel per actor: the probability it gave each answer, the truth drawn bold."""
    panel, gap = 46, 12
    rows = report.beliefs
    height = AXIS + len(rows) * (panel + gap) + 46  # two legend lines: a long truth fits
    truth = report.summary.truth
    c = Canvas(WIDTH, height, f"Belief in the truth ({report.hypothesis(truth)}) over time")
    scale = TimeScale(report.end, LABEL, WIDTH - RIGHT)
    _axis(c, scale, AXIS, AXIS + len(rows) * (panel + gap))
    for i, series in enumerate(rows):
        top = AXIS + i * (panel + gap) + gap / 2
        bottom = top + panel
        c.add("rect", x=float(LABEL), y=top, width=float(WIDTH - RIGHT - LABEL), height=float(panel),
              class_="lane")
        half = (top + bottom) / 2
        c.line(LABEL, half, WIDTH - RIGHT, half, class_="grid", stroke_dasharray="3 3")
        name = report.name(series.actor)
        first, rest = name_lines(name, NAME_CHARS)
        c.text(8, top + 13, first, tip=name, class_="fg", font_weight="600")
        if rest:
            c.text(8, top + 26, rest, tip=name, class_="fg", font_weight="600")
        knew = ("truth led at " + offset_label(series.knew_at)) if series.knew_at is not None \
            else "truth never led"
        c.text(8, top + (40 if rest else 30), knew, class_="muted", font_size="9.5")
        hypotheses = [h for h, _ in report.hypotheses if h != truth] + [truth]
        for h in hypotheses:  # the truth last, so it is drawn on top
            d = _steps(series.points, h, scale, top, bottom)
            tip = f"{report.name(series.actor)}: P({report.hypothesis(h)})"
            c.add("path", tip=tip, d=d, class_="truth" if h == truth else "other")
        final = series.points[-1][1].get(truth, 0.0)
        c.text(WIDTH - RIGHT + 6, top + panel / 2 + 4, f"{final:.0%}", class_="fg", font_weight="600")
        if series.knew_at is not None:
            p = dict(series.points).get(series.knew_at, {}).get(truth, 0.5)
            c.add("circle", cx=scale.x(series.knew_at), cy=bottom - p * panel, r=3.5, class_="ok",
                  tip=f"the truth leads from {offset_label(series.knew_at)}")
    legend_y = height - 26  # one line each: a truth's label may be long
    c.line(LABEL, legend_y - 4, LABEL + 18, legend_y - 4, class_="truth")
    c.text(LABEL + 24, legend_y, f"probability of the truth: {report.hypothesis(truth)}",
           class_="muted")
    c.line(LABEL, legend_y + 12, LABEL + 18, legend_y + 12, class_="other")
    c.text(LABEL + 24, legend_y + 16, "other answers · dashed line: one half · right: at the end",
           class_="muted")
    return c.render(standalone)


def _steps(points: tuple, hypothesis: str, scale: TimeScale, top: float, bottom: float) -> str:
    """A step path of one hypothesis's probability over time."""
    height = bottom - top
    out = []
    last_y = None
    for t, belief in points:
        x = scale.x(t)
        yv = bottom - float(belief.get(hypothesis, 0.0)) * height
        if last_y is None:
            out.append(f"M{num(x)} {num(yv)}")
        else:
            out.append(f"H{num(x)}V{num(yv)}")
        last_y = yv
    out.append(f"H{num(scale.x(scale.end))}")
    return "".join(out)


def posture_svg(report: Report, standalone: bool = False) -> str:
    """One strip per actor coloured by its rung on the ladder over time."""
    strip, gap = 18, 8
    rows = report.postures
    rungs = len(report.ladder)
    height = AXIS + len(rows) * (strip + gap) + 34
    c = Canvas(WIDTH, height, "Posture on the escalation ladder over time")
    scale = TimeScale(report.end, LABEL, WIDTH - RIGHT)
    _axis(c, scale, AXIS, AXIS + len(rows) * (strip + gap))
    labels = dict(report.ladder)
    ids = [lv for lv, _ in report.ladder]
    for i, series in enumerate(rows):
        top = AXIS + i * (strip + gap) + gap / 2
        name = report.name(series.actor)
        c.text(8, top + 13, shorten(name, NAME_CHARS), tip=name, class_="fg", font_weight="600")
        steps = list(series.steps)
        for j, (t, rung) in enumerate(steps):
            t_next = steps[j + 1][0] if j + 1 < len(steps) else report.end
            x0, x1 = scale.x(t), scale.x(t_next)
            level = ids[rung] if 0 <= rung < rungs else str(rung)
            tip = (f"{report.name(series.actor)}: {labels.get(level, level)} from "
                   f"{offset_label(t)} to {offset_label(t_next)}")
            c.add("rect", tip=tip, x=x0, y=top, width=max(0.0, x1 - x0), height=float(strip),
                  fill=rung_colour(rung, rungs))
            if x1 - x0 > 8 + CHAR_WIDTH * len(level):  # a level's name whole, or not at all
                c.text(x0 + 4, top + 13, level, fill="#111", font_size="10")
        peak = max(r for _, r in steps)
        c.text(WIDTH - RIGHT + 6, top + 13, ids[peak] if 0 <= peak < rungs else str(peak),
               class_="fg", font_size="10")
    x = float(LABEL)
    y = height - 12
    for rung, (_, label) in enumerate(report.ladder):
        c.add("rect", x=x, y=y - 10, width=14.0, height=12.0, fill=rung_colour(rung, rungs))
        text = f"{rung} {label}"
        c.text(x + 18, y, text, class_="muted")
        x += 30 + 6.0 * len(text)
    c.text(WIDTH - RIGHT + 6, height - 12, "peak", class_="muted", font_size="10")
    return c.render(standalone)
