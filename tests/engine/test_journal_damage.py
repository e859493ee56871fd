"""Journals cut short or damaged: every complete record is kept, whatever the cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine.journal import Journal, JournalError, read_journal, resume
from sim.engine.session import Session, SessionAction
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"


def journal_with_note(tmp_path: Path, note: str) -> Path:
    """A journal whose last line is a facilitator's note, as raw UTF-8."""
    session = Session(load_scenario(TINY))
    path = tmp_path / "j.jsonl"
    journal = Journal.create(path, session, TINY, TINY.read_text())
    session.advance(60)
    session.act(SessionAction(note=note))
    journal.close()
    return path


@pytest.mark.parametrize("note", ["Łódź wants a call", "Lodz wants a call"])
def test_a_cut_inside_the_last_line_keeps_every_complete_record(tmp_path: Path, note: str) -> None:
    path = journal_with_note(tmp_path, note)
    raw = path.read_bytes()
    cut = raw.index(note[0].encode()) + 1  # after the first byte of "Ł" (a 2-byte character)
    path.write_bytes(raw[:cut])
    contents = read_journal(path)  # "not a journal (not UTF-8 text)" before, for "Ł"
    assert [op["op"] for op in contents.ops] == ["advance"]
    assert contents.warnings == [f"{path}:3: the last line was cut short (the program was "
                                 "stopped while writing); it is ignored"]
    session, journal, _ = resume(path)
    journal.close()
    assert session.now == 60
    assert path.read_bytes() == raw[:contents.valid_bytes]


def test_bad_utf8_in_a_complete_line_is_a_damaged_line(tmp_path: Path) -> None:
    path = journal_with_note(tmp_path, "Łódź")
    raw = path.read_bytes()
    at = raw.index("Ł".encode())
    path.write_bytes(raw[:at] + b"\xff" + raw[at + 2:])
    with pytest.raises(JournalError, match=r"j.jsonl:3: damaged journal line \(not UTF-8 text\)"):
        read_journal(path)


def test_a_binary_file_is_not_a_journal(tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(JournalError, match=r"not a journal \(not UTF-8 text\)"):
        read_journal(path)
