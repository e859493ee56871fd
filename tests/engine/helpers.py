"""Small scenarios built in Python, and a compact `(time, what)` form of an event log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import yaml

from sim.engine.records import Record
from sim.engine.world import World
from sim.scenario import Scenario, load_scenario_text

START = "2022-11-15T12:00:00Z"

LADDER = [{"id": "routine", "label": "Routine"}, {"id": "alert", "label": "Alert"},
          {"id": "crisis", "label": "Crisis"}]

QUESTION = {"text": "Who fired?", "truth": "blue",
            "hypotheses": [{"id": "red", "label": "Red did it"}, {"id": "blue", "label": "Blue did it"}]}

#: Data keys shown in `what`, in this order.
SHOWN = ("attempt", "reason", "attempts", "inject", "evidence", "outcome", "hypothesis", "level",
         "members")


def actor(actor_id: str, **fields: Any) -> dict[str, Any]:
    """An actor in UTC, playable, with whatever else is given."""
    return {"id": actor_id, "name": actor_id.upper(), "side": "x", "timezone": "UTC",
            "playable": True, **fields}


def start_rule(rule_id: str, who: str, do: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A rule that fires at the start."""
    return {"id": rule_id, "actor": who, "when": {"start": True}, "do": do, **fields}


def call(to: str, channel: str) -> dict[str, Any]:
    """A call action."""
    return {"call": {"to": to, "channel": channel}}


def scenario_data(**parts: Any) -> dict[str, Any]:
    """The plain data of a scenario: a small header, the question and ladder, and `parts`."""
    data: dict[str, Any] = {"hotline": 1, "id": "t", "title": "Test", "start": START,
                            "duration": "12h", "turn": "1h", "question": QUESTION,
                            "ladder": LADDER, "actors": [actor("a"), actor("b")]}
    data.update(parts)
    return data


def build(**parts: Any) -> Scenario:
    """A scenario from parts, through the real loader (field and reference checks)."""
    return load_scenario_text(yaml.safe_dump(scenario_data(**parts), sort_keys=False), "test.yaml")


def run(scenario: Scenario, seed: int = 0, params: dict[str, float] | None = None,
        until: float | None = None) -> list[Record]:
    """One replication's log."""
    from sim.engine.params import resolve_params

    world = World(scenario, seed, params if params is not None else resolve_params(scenario))
    world.run(until)
    return world.log


def what(r: Record) -> str:
    """A record in one line: kind, actor>counterpart, @channel, the telling data."""
    text = r.kind
    if r.actor:
        text += f" {r.actor}"
    if r.counterpart:
        text += f">{r.counterpart}"
    if r.channel:
        text += f" @{r.channel}"
    for key in SHOWN:
        if key in r.data:
            value = r.data[key]
            text += f" {key}={','.join(value) if isinstance(value, list) else value}"
    return text


def trace(log: Iterable[Record], kinds: Sequence[str] = (), skip: Sequence[str] = ()) -> list[
        tuple[float, str]]:
    """The log as `(time, what)` pairs, keeping only `kinds` (if given), leaving out `skip`."""
    return [(r.t, what(r)) for r in log
            if (not kinds or r.kind in kinds) and r.kind not in skip]
