"""Drawing helpers for the report's pictures: an SVG canvas that escapes its text, a time scale.

Colours that change with the light or dark look are CSS classes (`SVG_CSS`) reading CSS
variables (`THEME_CSS`); the HTML page defines them once, and a stand-alone SVG file carries
them in its own `<style>` so it looks right wherever it is opened.
"""

from __future__ import annotations

from html import escape

#: Colours of the light and the dark look, as CSS variables.
THEME_CSS = """\
:root, svg.hl {
  --bg: #ffffff; --fg: #1d232b; --muted: #5d6875; --grid: #d9dee4; --lane: #f3f5f8;
  --ok: #1a7f37; --bad: #c62828; --call: #1f6feb; --msg: #8250df; --meet: #bf8700;
  --note: #6e7781;
}
@media (prefers-color-scheme: dark) {
  :root, svg.hl {
    --bg: #14181d; --fg: #e3e7ec; --muted: #9aa5b1; --grid: #343c46; --lane: #1c2229;
    --ok: #4ac26b; --bad: #ff7b72; --call: #58a6ff; --msg: #bc8cff; --meet: #d29922;
    --note: #9aa5b1;
  }
}
"""

#: Classes the pictures use.
SVG_CSS = """\
svg.hl { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 11px; }
svg.hl .fg { fill: var(--fg); } svg.hl .muted { fill: var(--muted); }
svg.hl .lane { fill: var(--lane); } svg.hl .grid { stroke: var(--grid); stroke-width: 1; }
svg.hl .axis { stroke: var(--muted); stroke-width: 1; }
svg.hl .call { stroke: var(--call); fill: var(--call); }
svg.hl .fail { stroke: var(--bad); fill: none; stroke-dasharray: 4 3; stroke-width: 1.4; }
svg.hl .x { stroke: var(--bad); stroke-width: 1.8; }
svg.hl .msg { stroke: var(--msg); fill: none; stroke-width: 1.2; }
svg.hl .lost { stroke: var(--muted); fill: none; stroke-dasharray: 2 3; stroke-width: 1.2; }
svg.hl .meet { fill: var(--meet); stroke: var(--meet); }
svg.hl .ok { fill: var(--ok); stroke: var(--ok); } svg.hl .bad { fill: var(--bad); stroke: var(--bad); }
svg.hl .note { fill: var(--note); stroke: var(--note); }
svg.hl .truth { stroke: var(--ok); fill: none; stroke-width: 2.2; }
svg.hl .other { stroke: var(--muted); fill: none; stroke-width: 1; opacity: .8; }
svg.hl .bg { fill: var(--bg); }
"""

#: Colours of the posture ladder, lowest rung first (calm to alarmed; both looks).
RUNG_COLOURS = ("#9aa7b4", "#e3b341", "#f0883e", "#e5534b", "#a8254c", "#6e1030")


def rung_colour(rung: int, rungs: int) -> str:
    """A colour for a rung of a ladder of `rungs` levels, spread over the whole ramp."""
    if rungs <= 1:
        return RUNG_COLOURS[0]
    i = round(rung * (len(RUNG_COLOURS) - 1) / (rungs - 1))
    return RUNG_COLOURS[max(0, min(i, len(RUNG_COLOURS) - 1))]


def num(value: float) -> str:
    """A coordinate with at most one decimal, for small files."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


class Canvas:
    """An SVG picture built element by element; every text and attribute is escaped."""

    def __init__(self, width: float, height: float, title: str) -> None:
        self.width = width
        self.height = height
        self.title = title
        self._parts: list[str] = []

    def add(self, tag: str, text: str | None = None, tip: str | None = None, **attrs: object) -> None:
        """Add an element; `class_` sets the class; `tip` becomes a hover `<title>`."""
        out = [f"<{tag}"]
        for key, value in attrs.items():
            if value is None:
                continue
            name = key.rstrip("_").replace("_", "-")
            shown = num(value) if isinstance(value, float) else str(value)
            out.append(f' {name}="{escape(shown, quote=True)}"')
        inner = ""
        if tip:
            inner += f"<title>{escape(tip, quote=False)}</title>"
        if text is not None:
            inner += escape(text, quote=False)
        self._parts.append("".join(out) + (f">{inner}</{tag}>" if inner else "/>"))

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: object) -> None:
        """A straight line."""
        self.add("line", x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), **attrs)

    def text(self, x: float, y: float, text: str, **attrs: object) -> None:
        """A line of text."""
        self.add("text", text, x=float(x), y=float(y), **attrs)

    def cross(self, x: float, y: float, size: float = 4.0, tip: str | None = None) -> None:
        """An ✗ mark, for a failed attempt or a lost message."""
        self.add("path", tip=tip, d=f"M{num(x - size)} {num(y - size)}L{num(x + size)} "
                 f"{num(y + size)}M{num(x - size)} {num(y + size)}L{num(x + size)} {num(y - size)}",
                 class_="x")

    def raw(self, markup: str) -> None:
        """Add markup made by this module's own helpers (never text from a scenario)."""
        self._parts.append(markup)

    def render(self, standalone: bool = False) -> str:
        """The picture as SVG markup; `standalone` adds the XML prolog and its own styles."""
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="hl" role="img" '
                f'viewBox="0 0 {num(self.width)} {num(self.height)}" '
                f'width="{num(self.width)}" height="{num(self.height)}">'
                f"<title>{escape(self.title, quote=False)}</title>")
        if standalone:
            head = ('<?xml version="1.0" encoding="UTF-8"?>\n' + head
                    + f"<style>{THEME_CSS}{SVG_CSS}</style>"
                    + f'<rect class="bg" width="{num(self.width)}" height="{num(self.height)}"/>')
        return head + "".join(self._parts) + "</svg>\n"


#: Steps between time ticks, in minutes, from which the scale picks.
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080)


class TimeScale:
    """Maps scenario minutes from `start` (default 0) to `end` onto x from `left` to `right`."""

    def __init__(self, end: float, left: float, right: float, start: float = 0.0) -> None:
        self.start = start
        self.end = max(end, start + 1.0)
        self.left = left
        self.right = right

    def x(self, t: float) -> float:
        """The x position of minute `t` (clamped to the scale)."""
        span = self.end - self.start
        return self.left + (self.right - self.left) * (min(max(t, self.start), self.end)
                                                       - self.start) / span

    def ticks(self, most: int = 12) -> list[float]:
        """Round minutes for gridlines: at most `most` of them."""
        span = self.end - self.start
        step = next((s for s in TICK_STEPS if span / s <= most), TICK_STEPS[-1])
        first = -(-self.start // step) * step
        count = int((self.end - first) // step)
        return [first + i * step for i in range(count + 1)]


def offset_label(t: float) -> str:
    """A tick label: `+30m`, `+2h`, `+1d 6h`."""
    t = round(t)
    days, rest = divmod(t, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if hours:
        parts.append(f"{hours}h")
    if minutes or not parts:
        parts.append(f"{minutes}m")
    return "+" + " ".join(parts)
