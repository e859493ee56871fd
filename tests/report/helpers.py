"""The drill session the report tests read, and the `hotline` command as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sim.engine.journal import Journal
from sim.engine.session import Session, SessionAction
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
JOURNALS = ROOT / "tests" / "data" / "journals"
DRILL = JOURNALS / "drill.yaml"
"""A small scenario with a dead military line, allies who meet, and a false public claim."""
COMMITTED = JOURNALS / "drill.journal"
"""`write_drill_journal(COMMITTED, relative=True)`: the drill's journal, kept in the repository."""

NOTE = 'PL calls Washington before Moscow & <checks> "facts"'
"""The facilitator's first note: markup characters that every writer must escape."""


def play_drill(journal: Path | None = None) -> Session:
    """Play the drill with seed 7, Poland seated, known actions and notes; journal it if asked."""
    scenario = load_scenario(DRILL)
    session = Session(scenario, seed=7, seats=["pl"])
    written = None
    if journal is not None:
        written = Journal.create(journal, session, DRILL, DRILL.read_text(encoding="utf-8"))
    act = SessionAction.model_validate
    session.advance(30)
    session.act(act({"actor": "pl", "do": {"call": {"to": "us", "channel": "pl-us"}}}))
    session.act(act({"note": NOTE}))
    session.advance(60)
    session.act(act({"actor": "pl", "do": {"message": {"to": ["us", "nato"], "channel": "cable",
                                                       "text": "Need consultations"}}}))
    session.act(act({"actor": "pl", "do": {"convene": "nac"}}))
    session.act(act({"actor": "pl", "do": {"posture": {"raise": 1}}}))
    session.advance(90)
    session.act(act({"actor": "pl", "do": {"statement": {
        "channel": "wire", "claim": {"hypothesis": "russia", "confidence": 0.6},
        "text": "We are investigating"}}}))
    session.act(act({"inject": "leak"}))
    session.advance(150)
    session.act(act({"note": "Consultations convened"}))
    session.act(act({"actor": "pl", "pass": True}))
    while not session.finished:
        session.advance(scenario.duration)
    if written is not None:
        written.close()
    return session


def write_drill_journal(path: Path, *, relative: bool = False) -> Session:
    """Play the drill into a journal at `path`; `relative` names the scenario by file name only."""
    session = play_drill(path)
    if relative:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        header = json.loads(lines[0])
        header["scenario"] = DRILL.name
        lines[0] = json.dumps(header, sort_keys=True, ensure_ascii=False) + "\n"
        path.write_text("".join(lines), encoding="utf-8")
    return session


def hotline(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run `hotline` in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)
