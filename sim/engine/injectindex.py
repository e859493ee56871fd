"""Triggered injects indexed by what sets them off, each dropped once it has fired.

A trigger used to scan every unfired inject listening for its kind, whoever it happened to:
with K copies of a scenario that is K times the injects for K times the triggers. Here an
inject waits under (kind, recipient) for each of its recipients, or (kind, None) if it has
none, and leaves every place once fired; candidates come back in the scenario's order, the
order in which they were always tried.
"""

from __future__ import annotations

from collections.abc import Iterable

from sim.scenario.events import Inject


class TriggeredInjects:
    """The injects still waiting for a trigger, by (kind, recipient)."""

    def __init__(self, injects: Iterable[Inject]) -> None:
        """Index the injects that a trigger may fire: those with a `when`, not optional."""
        self._waiting: dict[tuple[str, str | None], dict[str, tuple[int, Inject]]] = {}
        for order, inj in enumerate(injects):
            if inj.when is None or inj.optional:
                continue
            for to in inj.to or (None,):
                self._waiting.setdefault((inj.when.kind, to), {})[inj.id] = (order, inj)

    def candidates(self, kind: str, actor: str) -> list[Inject]:
        """The waiting injects that `kind` happening to `actor` may fire, in scenario order."""
        own = self._waiting.get((kind, actor))
        anyone = self._waiting.get((kind, None))
        if not own:
            return [inj for _, inj in anyone.values()] if anyone else []
        if not anyone:
            return [inj for _, inj in own.values()]
        return [inj for _, inj in sorted([*own.values(), *anyone.values()], key=lambda e: e[0])]

    def waits(self, kind: str, actor: str) -> bool:
        """Whether any inject still waits for `kind` happening to `actor`."""
        return bool(self._waiting.get((kind, actor)) or self._waiting.get((kind, None)))

    def drop(self, inj: Inject) -> None:
        """The inject has fired: it waits no more."""
        for to in inj.to or (None,):
            waiting = self._waiting.get((inj.when.kind, to)) if inj.when else None
            if waiting:
                waiting.pop(inj.id, None)


__all__ = ["TriggeredInjects"]
