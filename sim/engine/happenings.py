"""Whether something has happened yet in a run: each `happened` condition reads each record once.

A rule's or a meeting's `happened` condition used to scan the whole log every time it was
asked, so a scenario whose log grows with its size paid log length × questions: K = 30 copies
of Hainan cost 25× the K = 1 cost per event. The log only grows, and once a record matches a
pattern the condition holds for the rest of the run; so records are filed once, by kind and
by kind and actor or channel, and each pattern reads on from where it stopped, in the
narrowest file that holds every record it could match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sim.engine.metrics import matches
from sim.engine.records import Record
from sim.scenario.events import EventPattern

#: A file of records: ("kind", kind, None), ("actor", kind, actor) or ("channel", kind, channel).
FileKey = tuple[str, str, str | None]


class Happenings:
    """Answers `happened` conditions against one run's append-only log."""

    def __init__(self, log: Sequence[Record], public_channels: set[str]) -> None:
        """Watch `log`, which must only ever be appended to."""
        self._log = log
        self._public = public_channels
        #: Records of the log filed so far.
        self._filed = 0
        self._files: defaultdict[FileKey, list[Record]] = defaultdict(list)
        #: For each pattern asked about (by identity; the pattern is kept so that its id is not
        #: reused): the pattern, and how far it has read in each of its files, or None once a
        #: record matched.
        self._read: dict[int, tuple[EventPattern, list[int] | None]] = {}

    def happened(self, pattern: EventPattern) -> bool:
        """Whether a record of the log so far matches `pattern`."""
        _, read = self._read.setdefault(id(pattern), (pattern, [0] * max(1, len(pattern.kind))))
        if read is None:
            return True
        self._file_new()
        public = self._public
        for i, records in enumerate(self._shelves(pattern)):
            for j in range(read[i], len(records)):
                if matches(pattern, records[j], public):
                    self._read[id(pattern)] = (pattern, None)
                    return True
            read[i] = len(records)
        return False

    def _shelves(self, pattern: EventPattern) -> list[Sequence[Record]]:
        """Where the records `pattern` may match are: one file per kind, or the whole log."""
        if not pattern.kind:
            return [self._log]
        if pattern.actor is not None:
            return [self._files["actor", kind, pattern.actor] for kind in pattern.kind]
        if pattern.channel is not None:
            return [self._files["channel", kind, pattern.channel] for kind in pattern.kind]
        return [self._files["kind", kind, None] for kind in pattern.kind]

    def _file_new(self) -> None:
        """File the records logged since last asked."""
        log, files = self._log, self._files
        for record in log[self._filed:]:
            kind = record.kind
            files["kind", kind, None].append(record)
            if record.actor is not None:
                files["actor", kind, record.actor].append(record)
            if record.channel is not None:
                files["channel", kind, record.channel].append(record)
        self._filed = len(log)


__all__ = ["Happenings"]
