"""Smoke: a report of the Przewodów 2022 scenario, run headless with a fixed seed, if it is present."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from sim.catalog import default_scenario
from sim.engine.session import Session
from sim.report.build import build_report, write_html, write_markdown
from sim.scenario import load_scenario

POLAND = default_scenario()


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
    assert "<h2>Against 2022</h2>" in html
    md, *pictures = write_markdown(report, tmp_path / "report.md")
    assert len(pictures) == 3
    rendered = MarkdownIt("commonmark").enable("table").render(md.read_text(encoding="utf-8"))
    assert rendered.count("<table>") >= 5
