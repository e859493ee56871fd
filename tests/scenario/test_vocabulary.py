"""The names a scenario listens for, which the play dialogs suggest: tags and steps."""

from __future__ import annotations

from sim.scenario.vocabulary import listened_tags, named_steps
from tests.engine.helpers import actor, build

LINE = {"id": "line", "kind": "call", "ends": ["a", "b"], "duration": "10m"}
CABLE = {"id": "cable", "kind": "message", "members": ["a", "b"], "latency": "5m"}


def test_tags_come_from_every_received_filter_and_steps_from_the_moves() -> None:
    s = build(
        actors=[actor("a", moves=[{"move": "propose", "measure": "stand-down"}]),
                actor("b", moves=[{"move": "accept", "measure": "stand-down"},
                                  {"move": "refuse", "measure": "inquiry"}])],
        channels=[LINE, CABLE],
        rules=[{"id": "b-grants", "actor": "b", "when": {"received": {"tag": "access-request"}},
                "do": {"posture": {"raise": 1}}},
               {"id": "b-again", "actor": "b", "when": {"received": {"tag": "access-request"}},
                "do": {"posture": {"raise": 1}}},
               {"id": "a-orders", "actor": "a", "when": {"received": {"origin": "b"}},
                "do": {"message": {"to": ["b"], "channel": "cable", "tag": "only-sent"}}}],
        injects=[{"id": "leak", "title": "Leak", "to": ["a"],
                  "when": {"received": {"tag": "bulletin"}}}])
    assert listened_tags(s) == ["access-request", "bulletin"]  # a tag only sent is not listened for
    assert named_steps(s) == ["inquiry", "stand-down"]


def test_a_scenario_without_them_has_none() -> None:
    s = build(actors=[actor("a"), actor("b")], channels=[LINE])
    assert (listened_tags(s), named_steps(s)) == ([], [])
