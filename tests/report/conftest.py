"""Fixtures: the drill played once per test run, its journal, its report and the written files."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine.session import Session
from sim.report.build import build_report, write_html, write_markdown
from sim.report.model import Report

from .helpers import play_drill, write_drill_journal


@pytest.fixture(scope="session")
def drill_session() -> Session:
    """The drill, played to its end."""
    return play_drill()


@pytest.fixture(scope="session")
def drill_report(drill_session: Session) -> Report:
    """The drill's report, built from the live session (as the play app does)."""
    return build_report(drill_session)


@pytest.fixture(scope="session")
def drill_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The drill's journal on disk."""
    path = tmp_path_factory.mktemp("journal") / "drill.journal"
    write_drill_journal(path)
    return path


@pytest.fixture(scope="session")
def drill_files(drill_report: Report, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The drill's report written as HTML and as Markdown with its pictures."""
    folder = tmp_path_factory.mktemp("report")
    html = write_html(drill_report, folder / "report.html")
    md, *pictures = write_markdown(drill_report, folder / "report.md")
    return {"html": html, "md": md, **{p.stem.removeprefix("report-"): p for p in pictures}}
