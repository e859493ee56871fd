"""Session journals: resume after a torn write keeps every whole line, counted in bytes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from sim.engine.journal import Journal, JournalError, fork, open_session, read_journal, resume
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


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_header_names_the_scenario_its_content_and_the_session(tmp_path: Path) -> None:
    """Rule: line 1 says which scenario content, seed, variant, overrides and seats were played."""
    path, scenario_path = _journal(tmp_path)
    text = scenario_path.read_text(encoding="utf-8")
    assert _lines(path)[0] == {
        "format": "hotline-journal", "version": 1, "scenario": str(scenario_path.resolve()),
        "scenario_id": "t", "scenario_hash": hashlib.sha256(text.encode()).hexdigest(),
        "seed": 3, "variant": None, "overrides": {}, "seats": []}


def test_each_operation_is_on_disk_before_the_call_returns(tmp_path: Path) -> None:
    """Rule: a journal line is written and flushed at each operation, not when the file closes."""
    scenario_path = tmp_path / "s.yaml"
    scenario_path.write_text(yaml.safe_dump(scenario_data(), sort_keys=False), encoding="utf-8")
    session = Session(load_scenario(scenario_path), seed=1, seats=["a"])
    session.advance(30)  # done before the journal existed: written when it is created
    path = tmp_path / "deep" / "j.jsonl"
    journal = Journal.create(path, session, scenario_path, scenario_path.read_text(encoding="utf-8"))
    assert [line.get("op") for line in _lines(path)] == [None, "advance"]
    session.act(SessionAction(note=NOTE))
    assert _lines(path)[-1] == {"op": "act", "t": 30.0, "action": {"note": NOTE}}
    assert NOTE.encode() in path.read_bytes()  # written as UTF-8, not as \\u escapes
    journal.close()
    assert _lines(path)[0]["seats"] == ["a"]


def write(path: Path, *lines: object, tail: bytes = b"") -> Path:
    path.write_bytes(b"".join(json.dumps(line).encode() + b"\n" for line in lines) + tail)
    return path


HEADER = {"format": "hotline-journal", "version": 1, "scenario": "s.yaml", "seed": 0}


@pytest.mark.parametrize(("content", "message"), [
    (None, "{path}: no such journal"),
    (b"", "{path}: the journal is empty"),
    (b" \n\n", "{path}: the journal is empty"),
    (b"\xff\xfe{}\n", "{path}: not a journal (not UTF-8 text)"),
    (b'{"format": "hotline-journal", "version": 1}\nnot json\n',
     "{path}:2: damaged journal line; expected one JSON object per line"),
    (b"[1, 2]\n", "{path}:1: damaged journal line; expected one JSON object per line"),
    (b'{"format": "hotline-jour', "{path}: no complete header line"),
    (b'{"format": "csv", "version": 1}\n',
     "{path}:1: not a Hotline journal (expected format 'hotline-journal')"),
    (b'{"format": "hotline-journal", "version": 2}\n', "{path}:1: journal version 2; expected 1"),
    (b'{"format": "hotline-journal"}\n', "{path}:1: journal version None; expected 1"),
    (b'{"format": "hotline-journal", "version": 1, "scenario": "s.yaml", "seed": 0}\n'
     b'{"op": "advance", "until": 5}\n{"op": "jump"}\n',
     "{path}:3: damaged journal line: unknown operation 'jump'; expected advance, next_event, "
     "act, change or abandoned_note"),
])
def test_unusable_journals_say_where_and_why(tmp_path: Path, content: bytes | None, message: str) -> None:
    """Rule: a journal that cannot be used is a JournalError naming the file, the line and why."""
    path = tmp_path / "j.jsonl"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(JournalError) as info:
        read_journal(path)
    assert str(info.value) == message.format(path=path)


def test_a_directory_is_not_a_journal(tmp_path: Path) -> None:
    with pytest.raises(JournalError) as info:
        read_journal(tmp_path)
    assert str(info.value) == f"{tmp_path}: is a directory; expected a journal file"


def test_every_known_operation_reads_and_only_a_torn_last_line_is_dropped(tmp_path: Path) -> None:
    """Rule: advance, next_event and act are operations; a cut-short last line is only a warning."""
    ops = [{"op": "advance", "until": 30}, {"op": "next_event"},
           {"op": "act", "t": 31, "action": {"note": "n"}}]
    path = write(tmp_path / "j.jsonl", HEADER, *ops, tail=b'{"op": "adv')
    contents = read_journal(path)
    assert (contents.header, contents.ops) == (HEADER, ops)
    assert contents.warnings == [f"{path}:5: the last line was cut short (the program was "
                                 "stopped while writing); it is ignored"]
    assert contents.valid_bytes == len(path.read_bytes()) - len(b'{"op": "adv')
    whole = read_journal(write(tmp_path / "k.jsonl", HEADER))
    assert (whole.ops, whole.warnings) == ([], [])


def test_a_journal_replays_only_on_the_content_it_was_written_with(tmp_path: Path) -> None:
    """Rule: the scenario's hash must match; a missing scenario or a failing op is a JournalError."""
    path, scenario_path = _journal(tmp_path)
    contents = read_journal(path)
    session = open_session(contents)
    assert (session.now, session.seed, [op["op"] for op in session.ops]) == (
        120.0, 3, ["advance", "act", "advance"])
    scenario_path.write_text(scenario_path.read_text(encoding="utf-8") + "\n# edited\n",
                             encoding="utf-8")
    with pytest.raises(JournalError) as info:
        open_session(contents)
    assert str(info.value) == (f"scenario {scenario_path} is not the content this journal was "
                               "written with (its hash differs); expected the same scenario file")
    with pytest.raises(JournalError) as info:
        open_session(contents, tmp_path / "gone.yaml")
    assert str(info.value) == (f"scenario {tmp_path / 'gone.yaml'} of the journal cannot be read: "
                               "no such file; expected the path of a scenario .yaml file")


def test_an_operation_that_does_not_apply_is_a_journal_error(tmp_path: Path) -> None:
    path, _ = _journal(tmp_path)
    contents = read_journal(path)
    contents.ops.append({"op": "act", "t": 120, "action": {"actor": "nobody", "pass": True}})
    with pytest.raises(JournalError, match=r"^journal does not replay on this scenario: unknown actor "
                                           r"'nobody'$"):
        open_session(contents)


@pytest.mark.parametrize(("upto", "kept"), [
    (120.0, [("advance", 60), ("act", 60.0), ("advance", 120)]),   # an advance ending there
    (90.0, [("advance", 60), ("act", 60.0), ("advance", 90)]),     # the last advance is cut
    (60.0, [("advance", 60)]),                                     # actions at upto are after it
    (30.0, [("advance", 30)]),
])
def test_rewinding_keeps_the_operations_before_the_minute(tmp_path: Path, upto: float,
                                                          kept: list[tuple[str, float]]) -> None:
    """Rule: a prefix keeps what happened before `upto`, the advance that spans it cut at `upto`."""
    path, _ = _journal(tmp_path)
    session = open_session(read_journal(path), upto=upto)
    assert [(op["op"], op.get("until", op.get("t"))) for op in session.ops] == kept
    assert session.now == upto


def test_a_fork_is_a_new_journal_with_the_shared_history(tmp_path: Path) -> None:
    """Rule: a fork's journal starts with the same header and the history up to the fork minute."""
    path, scenario_path = _journal(tmp_path)
    session, journal = fork(read_journal(path), 90.0, tmp_path / "fork.jsonl")
    session.advance(100)
    journal.close()
    lines = _lines(tmp_path / "fork.jsonl")
    assert lines[0] == _lines(path)[0]
    assert [(op["op"], op.get("until", op.get("t"))) for op in lines[1:]] == [
        ("advance", 60), ("act", 60.0), ("advance", 90), ("advance", 100)]
    assert read_journal(path).ops[-1] == {"op": "advance", "until": 120}  # the original is intact
    assert scenario_path.exists()


def _rich_journal(tmp_path: Path) -> tuple[Path, Path]:
    """A journal with a variant, an override, a seat, and events met by `next_event`."""
    scenario_path = tmp_path / "rich.yaml"
    scenario_path.write_text(yaml.safe_dump(scenario_data(
        parameters={"p": {"type": "probability", "default": 0.5}},
        variants={"v": {"set": {"p": 0.9}}},
        injects=[{"id": "ping", "title": "Ping", "at": "45m", "to": ["a"]},
                 {"id": "pong", "title": "Pong", "at": "130m", "to": ["b"]}],
    ), sort_keys=False), encoding="utf-8")
    session = Session(load_scenario(scenario_path), seed=5, variant="v", overrides={"p": "0.7"},
                      seats=["a"])
    path = tmp_path / "deeper" / "still" / "rich.jsonl"  # missing folders are made
    journal = Journal.create(path, session, scenario_path, scenario_path.read_text(encoding="utf-8"))
    assert journal.path == path
    session.advance(30)
    session.run_to_next_event()         # to the ping at 45m
    session.act(SessionAction(note="at 45"))
    session.advance(120)
    session.run_to_next_event()         # to the pong at 130m
    session.advance(150)
    journal.close()
    return path, scenario_path


def test_lines_are_json_objects_with_sorted_keys(tmp_path: Path) -> None:
    """Rule: every journal line is one JSON object with its keys sorted (stable, diffable)."""
    path, _ = _rich_journal(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[3] == '{"action": {"note": "at 45"}, "op": "act", "t": 45.0}'
    assert lines[0].startswith('{"format": "hotline-journal", "overrides": {"p": "0.7"}, ')


def test_replay_restores_the_variant_overrides_and_seats(tmp_path: Path) -> None:
    """Rule: the header's variant, overrides and seats are those of the rebuilt session."""
    path, _ = _rich_journal(tmp_path)
    session = open_session(read_journal(path))
    assert (session.variant, session.overrides, session.seats) == ("v", {"p": "0.7"}, ("a",))
    assert session.params == {"p": 0.7}
    assert session.now == 150.0


@pytest.mark.parametrize(("upto", "kept", "now"), [
    # an action at exactly upto is after it; a step to the next event stops at upto
    (45.0, ["advance 30", "next_event", "advance 45"], 45.0),
    (120.0, ["advance 30", "next_event", "act", "advance 120"], 120.0),  # nothing after upto
])
def test_rewinding_stops_before_actions_and_events_at_the_minute(
        tmp_path: Path, upto: float, kept: list[str], now: float) -> None:
    """Rule: rewinding to minute T keeps no action taken at T and nothing after an advance to T."""
    path, _ = _rich_journal(tmp_path)
    session = open_session(read_journal(path), upto=upto)
    assert [f"{op['op']} {op['until']:g}" if "until" in op else op["op"] for op in session.ops] == kept
    assert session.now == now


def test_resume_and_fork_can_be_pointed_at_a_moved_scenario(tmp_path: Path) -> None:
    """Rule: resume and fork take the scenario from where it is now, if told, not the header's path."""
    path, scenario_path = _rich_journal(tmp_path)
    moved = scenario_path.rename(tmp_path / "moved.yaml")
    session, journal, _ = resume(path, moved)
    session.advance(160)
    journal.close()
    assert read_journal(path).ops[-1] == {"op": "advance", "until": 160}
    forked, journal = fork(read_journal(path), 40.0, tmp_path / "fork.jsonl", moved)
    journal.close()
    assert forked.now == 40.0  # the kept next_event stops at the fork's minute
    assert _lines(tmp_path / "fork.jsonl")[1:] == [{"op": "advance", "until": 30},
                                                   {"op": "next_event", "limit": 40.0},
                                                   {"op": "advance", "until": 40.0}]


def test_a_scenario_that_is_no_longer_text_is_named_in_the_error(tmp_path: Path) -> None:
    path, scenario_path = _rich_journal(tmp_path)
    scenario_path.write_bytes(b"hotline: 1\n\xff\n")
    with pytest.raises(JournalError) as info:
        open_session(read_journal(path))
    assert str(info.value) == (f"scenario {scenario_path} of the journal cannot be read: is not "
                               "UTF-8 text (byte 0xff at offset 11); expected a UTF-8 YAML scenario")


def test_a_journal_path_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    path = tmp_path / ("x" * 300)  # longer than a file name may be
    with pytest.raises(JournalError) as info:
        read_journal(path)
    assert str(info.value) == f"{path}: cannot be read: File name too long"
