"""Triggered injects indexed by what sets them off, each dropped once it has fired.

A trigger used to scan every unfired inject listening for its kind, whoever it happened to:
with K copies of a scenario that is K times the injects for K times the triggers. Here an
inject waits under (kind, recipient, origin): for each of its recipients, or None if it has
none (anyone's trigger may fire it), and, for a `received` trigger, the origin it listens
for, or None if any. It leaves every place once fired; candidates come back in the
scenario's order, the order in which they were always tried.
"""

from __future__ import annotations

from collections.abc import Iterable

from sim.scenario.events import Inject

Place = tuple[str, str | None, str | None]


class TriggeredInjects:
    """The injects still waiting for a trigger, by (kind, recipient, origin)."""

    def __init__(self, injects: Iterable[Inject]) -> None:
        """Index the injects that a trigger may fire: those with a `when`, not optional."""
        self._waiting: dict[Place, dict[str, tuple[int, Inject]]] = {}
        for order, inj in enumerate(injects):
            if inj.when is None or inj.optional:
                continue
            for place in _places(inj):
                self._waiting.setdefault(place, {})[inj.id] = (order, inj)
        #: Entries still waiting under each kind: most triggers are of a kind nothing awaits.
        self._kinds: dict[str, int] = {}
        for (kind, _, _), waiting in self._waiting.items():
            self._kinds[kind] = self._kinds.get(kind, 0) + len(waiting)

    def candidates(self, kind: str, actor: str, origin: str | None = None) -> list[Inject]:
        """The waiting injects that `kind` happening to `actor` (from `origin`) may fire, in order."""
        if not self._kinds.get(kind):
            return []
        found = [w for w in self._lists(kind, actor, origin) if w]
        if not found:
            return []
        if len(found) == 1:
            return [inj for _, inj in found[0].values()]
        return [inj for _, inj in sorted([e for w in found for e in w.values()], key=lambda e: e[0])]

    def waits(self, kind: str, actor: str, origin: str | None = None) -> bool:
        """Whether any inject still waits for `kind` happening to `actor` (from `origin`)."""
        return bool(self._kinds.get(kind)) and any(self._lists(kind, actor, origin))

    def drop(self, inj: Inject) -> None:
        """The inject has fired: it waits no more."""
        for place in _places(inj):
            waiting = self._waiting.get(place)
            if waiting and waiting.pop(inj.id, None) is not None:
                self._kinds[place[0]] -= 1

    def _lists(self, kind: str, actor: str, origin: str | None) -> list[dict[str, tuple[int, Inject]]]:
        get = self._waiting.get
        places = [(kind, actor, None), (kind, None, None)]
        if origin is not None:
            places += [(kind, actor, origin), (kind, None, origin)]
        return [w for w in map(get, places) if w is not None]


def _places(inj: Inject) -> list[Place]:
    """Where an inject waits: per recipient (or anyone), under the origin it listens for."""
    when = inj.when
    if when is None:
        return []
    received = when.received
    origin = received.origin if when.kind == "received" and received is not None else None
    return [(when.kind, to, origin) for to in inj.to or (None,)]


__all__ = ["TriggeredInjects"]
