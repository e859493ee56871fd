"""The report as one self-contained HTML page: pictures inline, no request to any other address.

A Content-Security-Policy forbids loading anything from elsewhere, so the page reads the same
offline; the look follows the reader's light or dark preference and prints on white.
"""

from __future__ import annotations

from html import escape

from sim import __version__
from sim.report.charts import beliefs_svg, posture_svg
from sim.report.model import Report
from sim.report.sections import Block, Bullets, Cell, Figure, Items, Section, Table, Text, played, sections
from sim.report.svg import SVG_CSS, THEME_CSS
from sim.report.swimlane import swimlane_svg, swimlane_zoom_svg

#: The pictures by the key a `Figure` names.
PICTURES = {"timeline": swimlane_svg, "timeline-zoom": swimlane_zoom_svg, "beliefs": beliefs_svg,
            "posture": posture_svg}

PAGE_CSS = """\
* { box-sizing: border-box; }
html { color-scheme: light dark; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif; }
header, main, nav, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--grid); }
.sub { color: var(--muted); margin: 0; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 0; margin: 16px 0 0; }
nav a, a { color: var(--call); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 10px 0; }
dt { color: var(--muted); } dd { margin: 0; }
.table { overflow-x: auto; margin: 10px 0 16px; }
table.sources td { overflow-wrap: anywhere; }
table.matrix { font-size: 12px; min-width: 0; }
table.matrix th:not(:first-child) { writing-mode: vertical-rl; transform: rotate(180deg);
  white-space: nowrap; padding: 6px 3px; vertical-align: bottom; }
table.matrix td { padding: 3px 4px; white-space: nowrap; }
details > summary { cursor: pointer; color: var(--muted); margin: 4px 0; }
table { border-collapse: collapse; font-size: 13.5px; min-width: 50%; }
th, td { text-align: left; vertical-align: top; padding: 5px 10px; border-bottom: 1px solid var(--grid); }
th { background: var(--lane); font-weight: 600; position: sticky; top: 0; }
tbody tr:nth-child(even) td { background: color-mix(in srgb, var(--lane) 55%, transparent); }
td.ok, dd.ok { color: var(--ok); font-weight: 600; } td.bad, dd.bad { color: var(--bad); font-weight: 600; }
td.muted { color: var(--muted); } td.time { white-space: nowrap; }
figure { margin: 12px 0 18px; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; max-width: 80ch; }
.warn { border-left: 4px solid var(--bad); padding: 6px 12px; background: var(--lane); }
footer { color: var(--muted); font-size: 12px; padding: 30px 24px; }
@media print {
  :root, svg.hl { --bg: #fff; --fg: #000; --muted: #444; --grid: #bbb; --lane: #f1f1f1; }
  body { font-size: 11pt; }
  nav { display: none; }
  header, main, footer { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, tr, dl { break-inside: avoid; }
  th { position: static; }
  .table { overflow: visible; }
  details > summary { display: none; }
  details > * { display: block; }
  a { color: inherit; text-decoration: none; }
}
"""


def render_html(report: Report) -> str:
    """The whole report as one HTML document."""
    s = report.summary
    parts = sections(report)
    nav = "".join(f'<li><a href="#{p.id}">{escape(p.title)}</a></li>' for p in parts)
    body = "".join(_section(report, p) for p in parts)
    seed = "seed not recorded" if s.seed is None else f"seed {s.seed}"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta http-equiv="x-dns-prefetch-control" content="off">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>After-action report: {escape(s.title)}</title>"
        f"<style>{THEME_CSS}{SVG_CSS}{PAGE_CSS}</style></head><body>"
        f"<header><h1>After-action report: {escape(s.title)}</h1>"
        f'<p class="sub">{escape(s.scenario_id)} · {escape(seed)} · variant '
        f"{escape(s.variant or 'none')} · {escape(played(report))}</p>"
        f'<nav aria-label="Contents"><ol>{nav}</ol></nav></header>'
        f"<main>{body}</main>"
        f"<footer>Made by Hotline {escape(__version__)} from the event log.</footer>"
        "</body></html>\n")


def _section(report: Report, section: Section) -> str:
    inner = "".join(_block(report, b) for b in section.blocks)
    return f'<section id="{escape(section.id)}"><h2>{escape(section.title)}</h2>{inner}</section>'


def _cell(tag: str, cell: object) -> str:
    if isinstance(cell, tuple):
        text, tone = cell
        cls = f' class="{escape(tone)}"' if tone else ""
        return f"<{tag}{cls}>{escape(str(text))}</{tag}>"
    return f"<{tag}>{escape(str(cell))}</{tag}>"


def _block(report: Report, block: Block) -> str:
    if isinstance(block, Text):
        cls = ' class="warn"' if block.tone == "warn" else ""
        return f"<p{cls}>{escape(block.text)}</p>"
    if isinstance(block, Items):
        return "<dl>" + "".join(f"<dt>{escape(label)}</dt>{_cell('dd', value)}"
                                for label, value in block.pairs) + "</dl>"
    if isinstance(block, Table):
        if not block.rows:
            return f"<p>{escape(block.empty)}</p>"
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.headers)
        cls = f' class="{block.kind}"' if block.kind else ""

        def table(rows: tuple[tuple[Cell, ...], ...]) -> str:
            body = "".join("<tr>" + "".join(_cell("td", c) for c in row) + "</tr>" for row in rows)
            return (f'<div class="table"><table{cls}><thead><tr>{head}</tr></thead>'
                    f"<tbody>{body}</tbody></table></div>")
        shown = block.fold_after
        if shown is None or len(block.rows) <= shown:
            return table(block.rows)
        rest = block.rows[shown:]
        return (table(block.rows[:shown]) + f"<details><summary>{len(rest)} more rows</summary>"
                + table(rest) + "</details>")
    if isinstance(block, Figure):
        svg = PICTURES[block.key](report)
        return f"<figure>{svg}<figcaption>{escape(block.caption)}</figcaption></figure>"
    if isinstance(block, Bullets):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + f"</{tag}>"
    raise TypeError(f"unknown block {block!r}")
