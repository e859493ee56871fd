"""Debrief questions that name the metrics they need: loaded, checked, and chosen per run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]
PLAY = ROOT / "tests" / "data" / "scenarios" / "play.yaml"

QUESTIONS = """discussion:
  - What would you have said in public in the first hour?
  - {ask: "What did Carter learn from Sokol?", if: [contact]}
  - {ask: "What if Carter had got through?", unless: [contact]}
  - {ask: "Why did the wire go first?", if: [first-report]}
"""


def _scenario(tmp_path: Path, questions: str = QUESTIONS) -> Path:
    text = PLAY.read_text(encoding="utf-8")
    head = text[:text.index("discussion:")]
    path = tmp_path / "play.yaml"
    path.write_text(head + questions, encoding="utf-8")
    return path


def test_questions_load_beside_plain_strings(tmp_path):
    scenario = load_scenario(_scenario(tmp_path))
    assert scenario.discussion[0] == "What would you have said in public in the first hour?"
    assert scenario.discussion[1].if_ == ["contact"]


def test_an_unknown_metric_is_refused_where_it_is_written(tmp_path):
    path = _scenario(tmp_path, 'discussion:\n  - {ask: "Why?", if: [contct]}\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    report = info.value.report()
    assert f"{path}:" in report
    assert ":162:24: error: discussion[0].if[0]: " in report
    assert "unknown metric 'contct' (did you mean 'contact'?)" in report


def test_the_report_asks_only_about_what_happened(tmp_path):
    from sim.engine.journal import Journal
    from sim.engine.session import Session

    path = _scenario(tmp_path)
    session = Session(load_scenario(path), seed=7)  # east never answers: no contact
    journal = Journal.create(tmp_path / "j.jsonl", session, path, path.read_text(encoding="utf-8"))
    session.advance(360)
    journal.close()
    done = subprocess.run([sys.executable, "-m", "sim.cli", "report", str(tmp_path / "j.jsonl"),
                           "--md", str(tmp_path / "aar.md")], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    md = (tmp_path / "aar.md").read_text(encoding="utf-8")
    debrief = md[md.index("## Questions for the debrief"):]
    assert "What would you have said in public" in debrief
    assert "What if Carter had got through?" in debrief
    assert "Why did the wire go first?" in debrief
    assert "What did Carter learn from Sokol?" not in debrief
