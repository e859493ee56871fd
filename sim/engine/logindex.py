"""The event log split, in one pass, into the slices that metrics read.

Each reader asks once for the records of some kinds, optionally of one actor and one channel
(`want`); `split` then hands every record of a log to each slice that asked for it, in log
order. A record is routed by dictionary look-ups on (kind, actor, channel), so splitting costs
the same per record however many metrics there are, and each metric reads only its slice:
metrics × records becomes records + the records each metric reads.
"""

from __future__ import annotations

from collections.abc import Sequence

from sim.engine.records import Record

#: A slice's address: its kinds (empty: every kind), then actor and channel (None: any).
SliceKey = tuple[tuple[str, ...], str | None, str | None]


class LogIndex:
    """Slices of the log wanted by readers; build once per scenario, `split` each run's log."""

    def __init__(self) -> None:
        self._slots: dict[SliceKey, int] = {}
        #: For each shape of address in use (which of kind, actor, channel it names), the
        #: slots a record goes to, by its (kind, actor, channel) with the unnamed ones None.
        self._routes: dict[tuple[bool, bool, bool], dict[tuple[str | None, ...], list[int]]] = {}

    def want(self, kinds: Sequence[str] = (), actor: str | None = None,
             channel: str | None = None) -> int:
        """Ask for the records of `kinds` (empty: any), of `actor` and on `channel` if given.

        Returns:
            The slot of that slice in what `split` returns; the same for the same address.
        """
        key: SliceKey = (tuple(dict.fromkeys(kinds)), actor, channel)
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = len(self._slots)
            shape = (bool(key[0]), actor is not None, channel is not None)
            routes = self._routes.setdefault(shape, {})
            for kind in key[0] or (None,):
                routes.setdefault((kind, actor, channel), []).append(slot)
        return slot

    def split(self, log: Sequence[Record]) -> list[list[Record]]:
        """Every wanted slice of `log`, by slot, each in log order."""
        slices: list[list[Record]] = [[] for _ in self._slots]
        routes = list(self._routes.items())
        for record in log:
            for (by_kind, by_actor, by_channel), table in routes:
                slots = table.get((record.kind if by_kind else None,
                                   record.actor if by_actor else None,
                                   record.channel if by_channel else None))
                if slots:
                    for slot in slots:
                        slices[slot].append(record)
        return slices


__all__ = ["LogIndex", "SliceKey"]
