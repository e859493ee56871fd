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
            "Beliefs against the ground truth", "Posture on the ladder", "First public claims",
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
    assert html.count("<svg") == 4  # the timeline, its crowded opening again, beliefs, posture
    assert re.findall(r"<h2>(.*?)</h2>", html) == SECTIONS
    md, *pictures = write_markdown(report, tmp_path / "report.md")
    assert len(pictures) == 4
    assert "report-timeline-zoom.svg" in {p.name for p in pictures}
    rendered = MarkdownIt("commonmark").enable("table").render(md.read_text(encoding="utf-8"))
    assert re.findall(r"<h2>(.*?)</h2>", rendered) == SECTIONS  # the same sections, in order
    assert rendered.count("<table>") == 6  # the who-reached-whom matrix is left out above 14 actors


def test_the_attribution_section_and_the_metrics_agree(tmp_path: Path) -> None:
    scenario = load_scenario(POLAND)
    session = Session(scenario, seed=1)
    while not session.finished:
        session.advance(scenario.duration)
    report = build_report(session)
    md = write_markdown(report, tmp_path / "report.md")[0].read_text(encoding="utf-8")
    section = md[md.index("## First public claims"):md.index("## Against 2022")]
    history = {h.metric: h.session for h in report.historical}
    label = "First public false attribution to a Russian attack"
    assert history[label] != "never"
    # the section gives the metric by its own label and the very time the table gives
    assert f"{label}: +{history[label]} " in section.replace("**", "")
    assert "First public attribution" not in section  # the old, conflicting name is gone
    first = report.first_public
    assert first is not None
    assert f"First public claim: {report.hypothesis(first.hypothesis)}" in section.replace("**", "")
