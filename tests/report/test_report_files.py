"""The written report: HTML self-contained and escaped, Markdown tables that render, SVGs beside it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from markdown_it import MarkdownIt

from sim.engine.session import Session
from sim.report.build import build_report
from sim.report.html import render_html
from sim.report.markdown import md_escape, render_markdown
from sim.scenario import load_scenario_text

from .helpers import DRILL, NOTE

HOSTILE = '</svg><script>alert("x")</script><img src="https://evil.example/x.png">'


def parse_svg(text: str) -> ET.Element:
    """Parse SVG markup the report made (our own output, not untrusted input)."""
    return ET.fromstring(text)  # noqa: S314


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


def test_html_has_every_section_and_three_inline_pictures(drill_files: dict[str, Path]) -> None:
    html = drill_files["html"].read_text(encoding="utf-8")
    for title in ("Summary", "Objectives", "Timeline by actor", "Who reached whom", "Call attempts",
                  "Beliefs against the ground truth", "Posture on the ladder",
                  "First public claims", "Against 2022", "Decisions and notes",
                  "Questions for the debrief"):
        assert f"<h2>{title}</h2>" in html
    pictures = svgs(html)
    assert len(pictures) == 3
    for svg in pictures:
        parse_svg(svg)  # well-formed XML: every text inside is escaped


def test_html_asks_for_nothing_from_elsewhere(drill_files: dict[str, Path]) -> None:
    html = drill_files["html"].read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html
    assert "default-src 'none'" in html
    for ref in re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', html):
        assert ref.startswith("#"), ref
    assert not re.search(r"<script|<link|<iframe|<img|@import|url\((?!#)", html)
    assert "prefers-color-scheme: dark" in html
    assert "@media print" in html


def test_html_escapes_what_the_scenario_and_players_wrote(drill_files: dict[str, Path]) -> None:
    html = drill_files["html"].read_text(encoding="utf-8")
    assert "&lt;checks&gt;" in html
    assert "<checks>" not in html
    assert NOTE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;") in html
    assert "Border drill &lt;with&gt; &quot;tricky&quot; &amp; text" in html


def test_hostile_names_stay_text_in_html_svg_and_markdown() -> None:
    text = DRILL.read_text(encoding="utf-8").replace("name: Wire service", f"name: '{HOSTILE}'")
    scenario = load_scenario_text(text, "hostile.yaml")
    session = Session(scenario, seed=1)
    session.advance(scenario.duration)
    report = build_report(session)
    html = render_html(report)
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;/svg&gt;&lt;script&gt;" in html
    for svg in svgs(html):
        parse_svg(svg)
    md, pictures = render_markdown(report, "r")
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in rendered
    assert "<img src=\"https://evil" not in rendered
    for svg in pictures.values():
        parse_svg(svg.split("\n", 1)[1])


def test_markdown_pictures_are_svg_files_beside_it(drill_files: dict[str, Path]) -> None:
    md = drill_files["md"].read_text(encoding="utf-8")
    for key in ("timeline", "beliefs", "posture"):
        assert f"](report-{key}.svg)" in md
        svg = drill_files[key].read_text(encoding="utf-8")
        assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')
        root = parse_svg(svg.split("\n", 1)[1])
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert "prefers-color-scheme: dark" in svg  # a picture file keeps both looks


def tables_in(md: str) -> list[list[str]]:
    blocks, current = [], []
    for line in md.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


def cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]


def test_markdown_tables_have_header_separator_and_even_rows(drill_files: dict[str, Path]) -> None:
    md = drill_files["md"].read_text(encoding="utf-8")
    tables = tables_in(md)
    assert len(tables) == 8
    for table in tables:
        width = len(cells(table[0]))
        assert all(re.fullmatch(r"-{3,}", c) for c in cells(table[1])), table[1]
        assert all(len(cells(row)) == width for row in table), table[0]
    objectives = next(t for t in tables if t[0].startswith("| Objective"))
    assert len({len(line) for line in objectives}) == 1  # columns line up as plain text


def test_markdown_renders_its_tables_and_escapes_markup(drill_files: dict[str, Path]) -> None:
    md = drill_files["md"].read_text(encoding="utf-8")
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert html.count("<table>") == len(tables_in(md))
    assert "<td>PL calls Washington before Moscow &amp; &lt;checks&gt; &quot;facts&quot;</td>" in html
    assert "<td>3 (3 unanswered; by US Chairman 3)</td>" in html
    assert "<td>never</td>" in html
    assert '<img src="report-timeline.svg"' in html
    assert "<li>Who should have called whom first?</li>" in html


def test_markdown_escape_keeps_text_as_written() -> None:
    for text in ("a | b", "<b>x</b>", "*not emphasis*", "_x_", "# not a heading", "1. not a list",
                 "- not a bullet", "> not a quote", "[not](a link)", "snake_case_id", "&amp;"):
        rendered = MarkdownIt("commonmark").enable("table").render(md_escape(text))
        assert rendered.strip() == "<p>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(
            ">", "&gt;") + "</p>", text
