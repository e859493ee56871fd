"""Session journals: a JSON-lines file of every operation, flushed at each, for resume and replay.

Line 1 is a header naming the scenario (path and content hash), seed, variant, overrides and
seats; every further line is one operation of the session (`advance`, `next_event`, `act`, and
`change`: another variant or parameter values from then on; `abandoned_note`: a note kept
from a branch a rewind dropped).
Replaying the operations on a fresh session rebuilds the same state, so a journal is enough
to resume after a crash, to rewind to a turn, or to fork a what-if branch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sim.engine.journalcheck import header_problem, op_problem
from sim.engine.params import ParameterError
from sim.engine.session import ActionError, Session, content_hash
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.loader import read_scenario_text
from sim.userfile import UserFileError, read_user_file

FORMAT = "hotline-journal"
VERSION = 1


class JournalError(Exception):
    """A journal that cannot be used: missing, damaged, or of other scenario content."""


@dataclass
class JournalContents:
    """What a journal file holds."""

    header: dict[str, Any]
    ops: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    valid_bytes: int = 0
    """Length of the file up to the end of its last whole line."""


class Journal:
    """Appends a session's operations to a file, flushed and synced before returning."""

    def __init__(self, path: str | Path, stream: TextIO) -> None:
        self.path = Path(path)
        self._stream = stream

    @classmethod
    def create(cls, path: str | Path, session: Session, scenario_path: str | Path,
               scenario_text: str) -> Journal:
        """Start a new journal for `session` (which must not have done anything yet)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        journal = cls(path, path.open("w", encoding="utf-8"))
        journal.write(header_for(session, scenario_path, scenario_text))
        for op in session.ops:
            journal.write(op)
        session.on_op.append(journal.write)
        return journal

    def write(self, entry: Mapping[str, Any]) -> None:
        """Append one line and make sure it is on disk."""
        self._stream.write(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n")
        self._stream.flush()
        os.fsync(self._stream.fileno())

    def close(self) -> None:
        """Close the file."""
        self._stream.close()


def header_for(session: Session, scenario_path: str | Path, scenario_text: str) -> dict[str, Any]:
    """The first line of a journal for this session."""
    return {"format": FORMAT, "version": VERSION, "scenario": str(Path(scenario_path).resolve()),
            "scenario_id": session.scenario.id, "scenario_hash": content_hash(scenario_text),
            "seed": session.seed, "variant": session.variant, "overrides": session.overrides,
            "seats": list(session.seats),
            **({"answering": True} if session.answering else {})}


def read_journal(path: str | Path) -> JournalContents:
    """Read a journal; a last line cut short is dropped with a warning.

    Raises:
        JournalError: missing, empty, not a journal, or damaged before its last line.
    """
    path = Path(path)
    raw = read_journal_bytes(path)
    lines = raw.split(b"\n")
    # the last piece has no newline: cut short while written, maybe inside a UTF-8 character
    complete, tail = lines[:-1], lines[-1]
    warnings: list[str] = []
    entries: list[dict[str, Any]] = []
    valid = 0
    for number, line in enumerate(complete, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            if number == 1:
                raise JournalError(f"{path}: not a journal (not UTF-8 text)") from None
            raise JournalError(f"{path}:{number}: damaged journal line (not UTF-8 text); "
                               "expected one JSON object per line") from None
        try:
            entry = json.loads(text)
            if not isinstance(entry, dict):
                raise ValueError("not an object")
        except ValueError:
            raise JournalError(f"{path}:{number}: damaged journal line; expected one JSON "
                               "object per line") from None
        entries.append(entry)
        valid += len(line) + 1
    if tail.strip():
        warnings.append(f"{path}:{len(complete) + 1}: the last line was cut short "
                        "(the program was stopped while writing); it is ignored")
    if not entries:
        raise JournalError(f"{path}: no complete header line")
    header = entries[0]
    if header.get("format") != FORMAT:
        raise JournalError(f"{path}:1: not a Hotline journal (expected format {FORMAT!r})")
    if header.get("version") != VERSION:
        raise JournalError(f"{path}:1: journal version {header.get('version')!r}; "
                           f"expected {VERSION}")
    problem = header_problem(header)
    if problem:
        raise JournalError(f"{path}:1: damaged journal header: {problem}")
    for number, op in enumerate(entries[1:], start=2):
        problem = op_problem(op)
        if problem:
            raise JournalError(f"{path}:{number}: damaged journal line: {problem}")
    return JournalContents(header, entries[1:], warnings, valid)


#: The largest journal read: a long exercise writes a few megabytes at most.
MAX_BYTES = 64 * 1024 * 1024

#: How a journal's reader words each way the file cannot be read (`sim.userfile` kinds).
_UNREADABLE = {
    "missing": "no such journal",
    "directory": "is a directory; expected a journal file",
    "special": "is not a regular file (a device, a FIFO or a socket); expected a journal file",
    "empty": "the journal is empty",
}


def read_journal_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """A journal's bytes, read safely (a regular file, not empty, within `limit`).

    Raises:
        JournalError: the file cannot be read; the message says why.
    """
    try:
        return read_user_file(path, limit, blank_ok=False)
    except UserFileError as exc:
        raise JournalError(f"{path}: {_UNREADABLE.get(exc.kind, str(exc))}") from None


def open_session(contents: JournalContents, scenario_path: str | Path | None = None,
                 *, upto: float | None = None) -> Session:
    """Rebuild a session from a journal's contents by replaying its operations.

    Args:
        contents: what `read_journal` returned.
        scenario_path: the scenario file; default: the one the header names.
        upto: replay only up to this minute (rewind and fork).

    Raises:
        JournalError: the scenario is missing or its content changed, or an operation fails.
        ScenarioError: the scenario file is invalid.
    """
    header = contents.header
    path = Path(scenario_path or header["scenario"])
    try:
        text = read_scenario_text(path)
    except ScenarioError as exc:
        problem = exc.diagnostics[0].message if exc.diagnostics else str(exc)
        raise JournalError(f"scenario {path} of the journal cannot be read: {problem}") from None
    if content_hash(text) != header.get("scenario_hash"):
        raise JournalError(f"scenario {path} is not the content this journal was written with "
                           "(its hash differs); expected the same scenario file")
    scenario = load_scenario(path)
    session = Session(scenario, seed=header["seed"], variant=header.get("variant"),
                      overrides=header.get("overrides") or {}, seats=header.get("seats") or [],
                      answering=bool(header.get("answering")))
    try:
        if upto is None:
            session.replay(contents.ops)
        else:
            replay_upto(session, contents.ops, upto)
    except (ActionError, ParameterError) as exc:
        raise JournalError(f"journal does not replay on this scenario: {exc}") from None
    return session


def replay_upto(session: Session, ops: list[dict[str, Any]], upto: float) -> None:
    """Replay the operations done before minute `upto`, then run on to `upto` itself.

    A turn that paused mid-way takes two or more `advance` records to finish, so replay
    does not stop at the first advance that reaches `upto`: it stops once the session
    stands at `upto` unpaused, and a step to the next event is kept from passing it.
    Notes kept from abandoned branches are kept again, wherever they stand.
    """
    for op in ops:
        kind = op["op"]
        if kind == "abandoned_note":
            continue
        if kind in ("act", "change") and op["t"] >= upto:
            break
        if kind == "advance" and op["until"] >= upto:
            op = {"op": "advance", "until": upto}  # noqa: PLW2901 - the cut copy replaces it
        elif kind == "next_event":
            op = {"op": "next_event", "limit": upto}  # noqa: PLW2901
        session.replay([op])
        if session.now >= upto and not session.paused:
            break
    while session.now < upto and not session.finished:
        session.advance(upto)  # pauses on the way are passed: the turn's start is the target
    session.replay([op for op in ops if op["op"] == "abandoned_note"])


def notes_after(ops: list[dict[str, Any]], upto: float) -> list[tuple[float, str]]:
    """The facilitator's notes written at or after minute `upto`: (minute, text)."""
    return [(float(op["t"]), str(op["action"]["note"])) for op in ops
            if op["op"] == "act" and op["t"] >= upto and "note" in op.get("action", {})]


def resume(path: str | Path, scenario_path: str | Path | None = None) -> tuple[Session, Journal,
                                                                             list[str]]:
    """Reopen a journal: replay it, drop a cut-short last line, and keep appending to it.

    Returns:
        The session, the journal (attached to the session) and any warnings.
    """
    contents = read_journal(path)
    session = open_session(contents, scenario_path)
    with Path(path).open("r+b") as f:
        f.truncate(contents.valid_bytes)
    stream = Path(path).open("a", encoding="utf-8")  # noqa: SIM115 - the journal keeps it open
    journal = Journal(path, stream)
    session.on_op.append(journal.write)
    halted = [session.halted] if session.halted else []  # a runaway: it replays to the same halt
    return session, journal, [*contents.warnings, *halted]


def fork(contents: JournalContents, upto: float, new_path: str | Path,
         scenario_path: str | Path | None = None) -> tuple[Session, Journal]:
    """A new session and journal that share this one's history up to minute `upto`."""
    session = open_session(contents, scenario_path, upto=upto)
    path = Path(scenario_path or contents.header["scenario"])
    text = read_scenario_text(path)  # read again: a journal keeps the hash of what it ran
    return session, Journal.create(new_path, session, path, text)
