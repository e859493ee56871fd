"""The report as Markdown that also reads as plain text; its pictures go in SVG files beside it."""

from __future__ import annotations

import re

from sim.report.charts import beliefs_svg, posture_svg
from sim.report.model import Report
from sim.report.sections import Block, Bullets, Figure, Items, Table, Text, played, sections
from sim.report.swimlane import swimlane_svg, swimlane_zoom_svg

#: The pictures by the key a `Figure` names.
PICTURES = {"timeline": swimlane_svg, "timeline-zoom": swimlane_zoom_svg, "beliefs": beliefs_svg,
            "posture": posture_svg}

_SPECIAL = re.compile(r"[\\`*\[\]<|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|&(?=[#A-Za-z])"
                      r"|^>|^[#+\-](?=\s)|(?<=^\d)[.)](?=\s)|(?<=^\d\d)[.)](?=\s)")


def md_escape(text: str) -> str:
    """Text that Markdown shows as written: markup characters get a backslash, lines join."""
    text = " ".join(str(text).split())
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def render_markdown(report: Report, stem: str) -> tuple[str, dict[str, str]]:
    """The report as Markdown, and its pictures as {file name: SVG} to write beside it.

    Args:
        report: the report.
        stem: the Markdown file's name without `.md`; pictures are called `STEM-KEY.svg`.
    """
    s = report.summary
    seed = "seed not recorded" if s.seed is None else f"seed {s.seed}"
    lines = [f"# After-action report: {md_escape(s.title)}", "",
             md_escape(f"{s.scenario_id} · {seed} · variant {s.variant or 'none'} · "
                       f"{played(report)}"), ""]
    pictures: dict[str, str] = {}
    for section in sections(report):
        lines += [f"## {md_escape(section.title)}", ""]
        for block in section.blocks:
            lines += _block(report, block, stem, pictures)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n", pictures


def _text(cell: object) -> str:
    return md_escape(cell[0] if isinstance(cell, tuple) else str(cell))


def _block(report: Report, block: Block, stem: str, pictures: dict[str, str]) -> list[str]:
    if isinstance(block, Text):
        return [("**" + md_escape(block.text) + "**") if block.tone == "warn" else md_escape(block.text)]
    if isinstance(block, Items):
        return [f"- {md_escape(label)}: {_text(value)}" for label, value in block.pairs]
    if isinstance(block, Table):
        if not block.rows:
            return [md_escape(block.empty)]
        return table(block.headers, block.rows)
    if isinstance(block, Figure):
        name = f"{stem}-{block.key}.svg"
        pictures[name] = PICTURES[block.key](report, standalone=True)
        return [f"![{md_escape(block.caption.split('.')[0])}]({name})", "", f"*{md_escape(block.caption)}*"]
    if isinstance(block, Bullets):
        return [(f"{i}. " if block.ordered else "- ") + md_escape(item)
                for i, item in enumerate(block.items, start=1)]
    raise TypeError(f"unknown block {block!r}")


def table(headers: tuple[str, ...], rows: tuple[tuple[object, ...], ...]) -> list[str]:
    """A pipe table with padded columns, so it lines up as plain text too."""
    cells = [[md_escape(h) for h in headers]] + [[_text(c) for c in row] for row in rows]
    widths = [max(3, *(len(r[i]) for r in cells)) for i in range(len(headers))]
    widths = [min(w, 60) for w in widths]  # very long cells do not stretch every other row

    def line(row: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    return [line(cells[0]), "| " + " | ".join("-" * w for w in widths) + " |",
            *(line(r) for r in cells[1:])]
