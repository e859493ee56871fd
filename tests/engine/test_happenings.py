"""`happened` conditions answer as a scan of the whole log would, reading each record once."""

from __future__ import annotations

import random

import pytest

from sim.engine import happenings
from sim.engine.happenings import Happenings
from sim.engine.metrics import matches
from sim.engine.records import Record
from sim.scenario.events import EventPattern

PUBLIC = {"tv"}
PATTERNS = [
    EventPattern(kind=["statement"], public=True),
    EventPattern(kind=["call_connected"], actor="a"),
    EventPattern(kind=["posture", "call_connected"], actor="b"),
    EventPattern(kind=["statement"], channel="leaks"),
    EventPattern(channel="tv"),  # any kind
    EventPattern(kind=["decision"]),  # never logged below
]


def _record(rng: random.Random, t: float) -> Record:
    kind = rng.choice(["statement", "call_connected", "posture", "belief"])
    return Record(t, kind, rng.choice(["a", "b", "c"]), None, rng.choice(["tv", "leaks", None]))


@pytest.mark.parametrize("seed", range(20))
def test_answers_as_a_scan_of_the_log_so_far(seed: int) -> None:
    rng = random.Random(seed)
    log: list[Record] = []
    seen = Happenings(log, PUBLIC)
    for t in range(60):
        log.extend(_record(rng, float(t)) for _ in range(rng.randrange(3)))
        pattern = rng.choice(PATTERNS)
        assert seen.happened(pattern) == any(matches(pattern, r, PUBLIC) for r in log)


def test_each_record_is_read_once_and_only_by_patterns_that_may_match_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked after each of n records, a pattern never met reads n records, not n²/2, and
    never another kind's or another actor's."""
    read: list[Record] = []

    def counted(pattern: EventPattern, record: Record, public: set[str]) -> bool:
        read.append(record)
        return matches(pattern, record, public)

    monkeypatch.setattr(happenings, "matches", counted)
    log: list[Record] = []
    seen = Happenings(log, PUBLIC)
    never = EventPattern(kind=["belief"], hypothesis="never")
    of_a = EventPattern(kind=["posture"], actor="a")
    for t in range(200):
        log.append(Record(float(t), "belief", "a", None, None, {"hypothesis": "red"}))
        log.append(Record(float(t), "posture", "b", None, None))
        assert not seen.happened(never)
        assert not seen.happened(of_a)
    assert len(read) == 200
    assert {r.kind for r in read} == {"belief"}
    log.append(Record(200.0, "belief", "b", None, None, {"hypothesis": "never"}))
    assert seen.happened(never)
    assert seen.happened(never)  # found: nothing more is read
    assert len(read) == 201
