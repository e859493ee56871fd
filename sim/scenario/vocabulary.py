"""The words a scenario's rules listen for: message tags and the steps of proposals.

A player who sends a message or proposes a step on a call types a name that only matters if
some rule or move of the scenario knows it (`received: {tag: access-request}`, a move that
answers `regret-letter`). These are the names the play dialogs suggest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from sim.scenario.events import ReceivedTest
from sim.scenario.models import Scenario


def models_in(value: Any) -> Iterator[BaseModel]:
    """Every pydantic model in a value (a scenario, say), depth first."""
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from models_in(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from models_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from models_in(item)


def listened_tags(scenario: Scenario) -> list[str]:
    """The tags some `received` trigger or condition filters on, sorted."""
    return sorted({m.tag for m in models_in(scenario) if isinstance(m, ReceivedTest) and m.tag})


def named_steps(scenario: Scenario) -> list[str]:
    """The steps (`measure`) that the actors' moves propose or answer, sorted."""
    return sorted({m.measure for a in scenario.actors for m in a.moves if m.measure})
