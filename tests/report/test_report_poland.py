"""Smoke: a report of the shipped Przewodów 2022 scenario, run headless with a fixed seed."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from sim.catalog import default_scenario
from sim.engine.session import Session
from sim.report.build import build_report, write_html, write_markdown
from sim.scenario import load_scenario

POLAND = default_scenario()

#: Every section of docs/reports.md, in its order (the scenario has notes and debrief questions).
SECTIONS = ["Summary", "Objectives", "Timeline by actor", "Who reached whom", "Call attempts",
            "Beliefs against the ground truth", "Posture on the ladder", "First public attribution",
            "Against 2022", "Decisions and notes", "Questions for the debrief"]


def test_poland_reports_every_section(tmp_path: Path) -> None:
    scenario = load_scenario(POLAND)
    session = Session(scenario, seed=0)
    while not session.finished:
        session.advance(scenario.duration)
    report = build_report(session)
    assert report.summary.scenario_id == scenario.id
    assert len(report.objectives) == len(scenario.objectives)
    assert len(report.historical) == len(scenario.metrics)
    assert len(report.beliefs) == len(report.postures) == len(scenario.actors)
    html = write_html(report, tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3
    assert re.findall(r"<h2>(.*?)</h2>", html) == SECTIONS
    md, *pictures = write_markdown(report, tmp_path / "report.md")
    assert len(pictures) == 3
    rendered = MarkdownIt("commonmark").enable("table").render(md.read_text(encoding="utf-8"))
    assert re.findall(r"<h2>(.*?)</h2>", rendered) == SECTIONS  # the same sections, in order
    assert rendered.count("<table>") == 7
