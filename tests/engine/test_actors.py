"""An actor's availability by its clock: when it can be reached again after unreachable spells."""

from __future__ import annotations

import pytest

from sim.engine.actors import ActorState
from sim.engine.params import Values

from .helpers import actor, build


@pytest.mark.parametrize(("t", "reachable"), [
    (0.0, 0.0),      # before any spell
    (10.0, 40.0),    # inside the first; it ends inside the second, which ends at 40m
    (30.0, 40.0),    # inside the second only
    (40.0, 40.0),    # a spell's end is reachable (spans are half-open)
    (45.0, 45.0),
    (60.0, 90.0),    # inside the last
])
def test_reachable_from_is_the_end_of_the_chain_of_spells(t: float, reachable: float) -> None:
    """Rule: an actor is reachable again at the first moment outside every unreachable spell."""
    s = build(actors=[actor("a", unreachable=[{"start": "10m", "end": "35m"},
                                              {"start": "30m", "end": "40m"},
                                              {"start": "1h", "end": "90m"}]), actor("b")])
    assert ActorState(s.actor("a"), s, Values({})).reachable_from(t) == reachable
