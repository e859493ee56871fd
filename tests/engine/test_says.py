"""What messages and statements carry: a claim, the sender's whole assessment, or nothing."""

from __future__ import annotations

import pytest

from sim.engine.world import World
from sim.scenario import ScenarioError

from .helpers import actor, build, start_rule

MESSAGE = {"id": "mail", "kind": "message", "members": ["a", "b"], "latency": "5m"}
WIRE = {"id": "wire", "kind": "broadcast", "publishers": ["a"], "latency": "1m"}


def _world(do: dict, **extra) -> World:
    scenario = build(
        actors=[actor("a", belief={"red": 0.7, "blue": 0.3}),
                actor("b", belief={"red": 0.2, "blue": 0.8}, trust={"a": 0.5})],
        channels=[MESSAGE, WIRE], rules=[start_rule("say", "a", do)], **extra)
    world = World(scenario, 0, {})
    world.run()
    return world


def test_a_message_without_a_claim_passes_what_the_sender_holds_not_its_prior() -> None:
    world = _world({"message": {"to": "b", "channel": "mail"}})
    # `a` holds no basis yet: its 0.7 on red is only a prior, so nothing moves `b`
    assert world.actors["b"].belief == pytest.approx({"red": 0.2, "blue": 0.8})
    received = next(r for r in world.log if r.kind == "received" and r.actor == "b")
    assert (received.t, received.data["hypothesis"]) == (5.0, "red")
    assert "basis" not in received.data


def test_a_message_with_a_claim_is_the_senders_opinion_weighed_by_trust() -> None:
    world = _world({"message": {"to": "b", "channel": "mail",
                                "claim": {"hypothesis": "red", "confidence": 1.0}}})
    # L = (1, 0), r = trust 0.5: P(report | h) = 0.5·L + 0.5·0.5 = (0.75, 0.25);
    # odds red:blue = 0.2·0.75 : 0.8·0.25 = 0.15 : 0.2
    assert world.actors["b"].belief == pytest.approx({"red": 0.15 / 0.35, "blue": 0.2 / 0.35})
    received = next(r for r in world.log if r.kind == "received" and r.actor == "b")
    assert received.data["basis"] == {"op:a": ["a"]}


def test_a_holding_statement_asserts_nothing_and_moves_nobody() -> None:
    world = _world({"statement": {"channel": "wire", "holding": True, "text": "verifying"}})
    statement = next(r for r in world.log if r.kind == "statement")
    assert "hypothesis" not in statement.data
    assert "correct" not in statement.data
    assert statement.data["text"] == "verifying"
    received = next(r for r in world.log if r.kind == "received" and r.actor == "b")
    assert received.t == 1.0
    assert "hypothesis" not in received.data
    assert world.actors["b"].belief == {"red": 0.2, "blue": 0.8}
    assert not any(r.kind == "belief" for r in world.log)


def test_a_statement_on_a_channel_that_is_down_is_not_published() -> None:
    wire_down = {**WIRE, "down": [{"start": "0m", "end": "1h"}]}
    scenario = build(actors=[actor("a"), actor("b")], channels=[wire_down],
                     rules=[start_rule("say", "a", {"statement": {"channel": "wire"}})])
    world = World(scenario, 0, {})
    world.run()
    kinds = [r.kind for r in world.log]
    assert "statement_failed" in kinds
    assert "statement" not in kinds
    assert "received" not in kinds


def test_holding_and_a_claim_together_are_refused() -> None:
    with pytest.raises(ScenarioError, match="a holding line carries no claim"):
        build(channels=[WIRE], rules=[start_rule("say", "a", {"statement": {
            "channel": "wire", "holding": True, "claim": {"hypothesis": "red"}}})])
