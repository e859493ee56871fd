"""Session journals: resume after a torn write keeps every whole line, counted in bytes."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from sim.engine.journal import Journal, read_journal, resume
from sim.engine.session import Session, SessionAction
from sim.scenario import load_scenario

from .helpers import scenario_data

#: A facilitator's note in Polish: 2 bytes in UTF-8 for each of its 7 accented letters.
NOTE = "Przewodów: żołnierze na miejscu, źródła niepewne"


def _journal(tmp_path: Path) -> tuple[Path, Path]:
    scenario_path = tmp_path / "s.yaml"
    scenario_path.write_text(yaml.safe_dump(scenario_data(), sort_keys=False), encoding="utf-8")
    session = Session(load_scenario(scenario_path), seed=3)
    path = tmp_path / "j.jsonl"
    journal = Journal.create(path, session, scenario_path, scenario_path.read_text(encoding="utf-8"))
    session.advance(60)
    session.act(SessionAction(note=NOTE))
    session.advance(120)
    journal.close()
    return path, scenario_path


def test_valid_bytes_counts_utf8_bytes_not_characters(tmp_path: Path) -> None:
    """Rule: `valid_bytes` is the byte length of the whole lines, so resume cuts in the right place."""
    path, _ = _journal(tmp_path)
    whole = path.read_bytes()
    assert len(whole) > len(whole.decode("utf-8"))  # the note makes bytes and characters differ
    with path.open("ab") as f:
        f.write(b'{"op": "adv')  # the program was stopped mid-write
    assert read_journal(path).valid_bytes == len(whole)


def test_a_torn_journal_with_polish_notes_resumes_advances_and_reads_again(tmp_path: Path) -> None:
    """Rule: resume drops only the cut-short last line; every whole line, notes included, survives."""
    path, _ = _journal(tmp_path)
    with path.open("ab") as f:
        f.write(b'{"op": "advance", "unt')
    session, journal, warnings = resume(path)
    assert warnings == [f"{path}:5: the last line was cut short (the program was stopped while "
                        "writing); it is ignored"]
    session.advance(180)
    journal.close()
    again = read_journal(path)
    assert again.warnings == []
    assert [(op["op"], op.get("until"), op.get("action", {}).get("note")) for op in again.ops] == [
        ("advance", 60, None), ("act", None, NOTE), ("advance", 120, None), ("advance", 180, None)]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[2])["action"]["note"] == NOTE
