"""What a report is made from: a play journal, a saved run (also a journal), or run JSON lines.

`load_source` looks at the file's first line to tell them apart, and turns every way a file
can be wrong (missing, empty, cut short, damaged, of another program) into a `SourceError`
whose message says what is wrong and what was expected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.engine.records import Record
from sim.report.build import RunInfo, info_from_session
from sim.scenario.events import EVENT_KINDS
from sim.userfile import UserFileError, read_user_file

EXPECTED = ("expected a Hotline play journal, a run saved with `hotline run --save`, or the "
            "JSON lines of `hotline run --json` (with --scenario)")


#: The largest journal or run log read (a run of the Poland scenario logs about 0.5 MB).
MAX_BYTES = 64 * 1024 * 1024


class SourceError(Exception):
    """A file that cannot be made into a report; the message says why and what was expected."""


@dataclass
class Source:
    """A log ready for `build_report`: a session, or records and their scenario."""

    session: Any = None
    """A replayed `Session` (journals)."""
    log: list[Record] = field(default_factory=list)
    """The records (run JSON lines)."""
    scenario: Any = None
    info: RunInfo = field(default_factory=RunInfo)


def sniff(path: Path) -> tuple[str, bytes]:
    """The kind of file (`journal` or `records`) and its bytes.

    Raises:
        SourceError: missing, empty, binary, or not one of the expected kinds.
    """
    try:
        raw = read_user_file(path, MAX_BYTES, blank_ok=False)
    except UserFileError as exc:
        raise SourceError(f"{path}: {exc}; {EXPECTED}") from None
    first = raw.split(b"\n", 1)[0]
    try:
        head = json.loads(first.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        what = "a binary file" if b"\0" in raw[:1024] else "its first line is not JSON"
        raise SourceError(f"{path}: not a Hotline journal or run log ({what}); {EXPECTED}") from None
    if isinstance(head, dict) and head.get("format") == "hotline-journal":
        return "journal", raw
    if isinstance(head, dict) and isinstance(head.get("t"), int | float) and "kind" in head:
        return "records", raw
    if isinstance(head, dict) and "format" in head:
        raise SourceError(f"{path}:1: a file of format {head['format']!r}, not a Hotline journal; "
                          f"{EXPECTED}")
    raise SourceError(f"{path}:1: JSON, but neither a Hotline journal header nor an event record; "
                      f"{EXPECTED}")


def load_source(path: str | Path, scenario_path: str | Path | None = None, *,
                seed: int | None = None, variant: str | None = None) -> Source:
    """Read a report's source file.

    Args:
        path: the journal, saved run, or run JSON lines.
        scenario_path: the scenario: required for JSON lines; for a journal it replaces the
            scenario its header names.
        seed: for JSON lines, the seed the run used (shown in the summary).
        variant: for JSON lines, the variant the run used.

    Raises:
        SourceError: the file cannot be used; ScenarioError: the scenario file is invalid.
    """
    path = Path(path)
    kind, raw = sniff(path)
    if kind == "journal":
        return _journal(path, scenario_path)
    if scenario_path is None:
        raise SourceError(f"{path}: a `hotline run --json` log does not name its scenario; "
                          "give it with --scenario FILE")
    return _records(path, raw, Path(scenario_path), seed, variant)


def _journal(path: Path, scenario_path: str | Path | None) -> Source:
    from sim.engine.journal import JournalError, open_session, read_journal

    try:
        contents = read_journal(path)
    except JournalError as exc:
        raise SourceError(str(exc)) from None
    header = contents.header
    if scenario_path is None:
        named = Path(str(header.get("scenario", "")))
        if not named.is_absolute():
            named = path.parent / named  # a journal shipped with its scenario beside it
        beside = path.parent / named.name
        scenario_path = named if named.is_file() or not beside.is_file() else beside
    if not Path(scenario_path).is_file():
        raise SourceError(f"{path}: its scenario {scenario_path} cannot be read (no such file); "
                          "give the scenario with --scenario FILE")
    try:
        session = open_session(contents, scenario_path)
    except JournalError as exc:
        raise SourceError(f"{path}: {exc}") from None
    except KeyError as exc:
        raise SourceError(f"{path}:1: damaged journal header (missing {exc}); {EXPECTED}") from None
    except (TypeError, ValueError) as exc:  # a bad seed, variant or seat, or a bad operation
        raise SourceError(f"{path}: damaged journal ({exc})") from None
    saved = bool(contents.ops) and all(op.get("op") == "advance" for op in contents.ops) \
        and not header.get("seats")
    warnings = [*contents.warnings, *([session.halted] if session.halted else [])]
    info = info_from_session(session, str(path), "saved run" if saved else "journal", warnings)
    return Source(session=session, scenario=session.scenario, info=info)


def _records(path: Path, raw: bytes, scenario_path: Path, seed: int | None,
             variant: str | None) -> Source:
    from sim.engine.params import ParameterError, resolve_params
    from sim.scenario import load_scenario

    scenario = load_scenario(scenario_path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SourceError(f"{path}: not UTF-8 text; {EXPECTED}") from None
    lines = text.split("\n")
    complete, tail = lines[:-1], lines[-1]
    warnings = []
    if tail.strip():
        warnings.append(f"{path}:{len(complete) + 1}: the last line was cut short; it is ignored")
    # counterparts name actors, or the meeting that moved a belief
    known = {a.id for a in scenario.actors} | {c.id for c in scenario.channels}
    log: list[Record] = []
    for number, line in enumerate(complete, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not _record_shape(obj):
                raise ValueError("not a record")
            record = Record.from_json(obj)
        except ValueError:
            raise SourceError(f"{path}:{number}: damaged record; expected one event record "
                              "(a JSON object with t and kind) per line") from None
        if record.kind not in EVENT_KINDS:
            raise SourceError(f"{path}:{number}: unknown record kind {record.kind!r}")
        for who in (record.actor, record.counterpart):
            if who is not None and who not in known:
                raise SourceError(f"{path}:{number}: actor {who!r} is not in scenario "
                                  f"{scenario.id!r}; is --scenario the one this run used?")
        log.append(record)
    try:
        params = resolve_params(scenario, variant, {})
    except ParameterError as exc:
        raise SourceError(f"--variant: {exc}") from None
    info = RunInfo(seed=seed, variant=variant or scenario.default_variant, params=params,
                   source=str(path), source_kind="run log", warnings=tuple(warnings))
    return Source(log=log, scenario=scenario, info=info)


def _record_shape(obj: Any) -> bool:
    """Whether a JSON value looks like a record of `hotline run --json`."""
    return (isinstance(obj, dict) and isinstance(obj.get("t"), int | float)
            and not isinstance(obj.get("t"), bool) and isinstance(obj.get("kind"), str)
            and isinstance(obj.get("data", {}), dict)
            and all(isinstance(obj.get(k), str | None) for k in ("actor", "counterpart", "channel")))
