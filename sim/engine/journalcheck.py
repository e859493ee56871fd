"""Checks of a journal's header and operations, so that a damaged journal is a clear error.

A journal is JSON a person may have edited or a disk may have damaged: any field can be
missing or of the wrong type. `hotline report` and `hotline play --resume` both read journals
through `read_journal`, which calls these checks, so both refuse the same journals with the
same message (FILE:LINE and what was expected) instead of failing deep inside a replay.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from sim.engine.session import SessionAction


def header_problem(header: dict[str, Any]) -> str | None:
    """What is wrong with a journal's header line, or None."""
    if not isinstance(header.get("scenario"), str) or not header["scenario"]:
        return _wrong("scenario", "the path of the scenario file (text)", header)
    seed = header.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool):
        return _wrong("seed", "a whole number", header)
    if not isinstance(header.get("variant"), str | None):
        return _wrong("variant", "a variant's name (text) or null", header)
    overrides = header.get("overrides", {})
    if not isinstance(overrides, dict | None) or not all(isinstance(k, str) for k in overrides or {}):
        return _wrong("overrides", "a mapping of parameter names to values", header)
    if not all(isinstance(v, str | int | float) and not isinstance(v, bool)
               for v in (overrides or {}).values()):
        return _wrong("overrides", "a mapping of parameter names to numbers or text", header)
    seats = header.get("seats", [])
    if not isinstance(seats, list | None) or not all(isinstance(s, str) for s in seats or []):
        return _wrong("seats", "a list of actor ids", header)
    return None


def op_problem(op: dict[str, Any]) -> str | None:
    """What is wrong with one operation line (advance, next_event, act, change ...), or None."""
    kind = op.get("op")
    if kind == "advance" and not _number(op.get("until")):
        return _wrong("until", "the minute the advance ran to (a number)", op, "an advance")
    if kind == "act":
        if not _number(op.get("t")):
            return _wrong("t", "the minute of the action (a number)", op, "an act")
        try:
            SessionAction.model_validate(op.get("action"))
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            text = first["msg"].removeprefix("Value error, ")
            return f"an act's action is not an action ({where + ': ' if where else ''}{text})"
    if kind not in ("advance", "next_event", "act", "change", "abandoned_note"):
        return (f"unknown operation {kind!r}; expected advance, next_event, act, change or "
                "abandoned_note")
    return None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _wrong(field: str, expected: str, entry: dict[str, Any], what: str = "the header") -> str:
    if field not in entry:
        return f"{what} has no {field!r}; expected {expected}"
    return f"{what} has {field!r} {entry[field]!r}; expected {expected}"


__all__ = ["header_problem", "op_problem"]
