"""Evidence sources, provenance and trust, with exact logs on tiny scenarios."""

from __future__ import annotations

from typing import Any

import pytest

from sim.engine.params import resolve_params
from sim.engine.world import World
from sim.scenario import Scenario

from .helpers import actor, build, trace

#: A radar that sees red's missiles as cruise profiles and blue's as interceptor profiles.
RADAR = {"id": "radar", "title": "Radar track", "at": "30m", "to": ["a"], "origin": "c",
         "outcomes": {"cruise": {"red": 0.8, "blue": 0.1},
                      "interceptor": {"red": 0.2, "blue": 0.9}}}

#: A radar that cannot be wrong, so that a test can choose its outcome by the truth.
EXACT = {**RADAR, "outcomes": {"cruise": {"red": 1.0, "blue": 0.0},
                               "interceptor": {"red": 0.0, "blue": 1.0}}}

NEWS = {"id": "news", "kind": "broadcast", "publishers": ["c", "b", "d"], "latency": "1m"}


def _run(scenario: Scenario, variant: str | None = None, seed: int = 0) -> World:
    world = World(scenario, seed, resolve_params(scenario, variant))
    world.run()
    return world


def test_an_evidence_source_reports_the_outcome_drawn_from_the_truths_column() -> None:
    s = build(actors=[actor("a"), actor("b"), actor("c")], evidence=[EXACT],
              variants={"reverse": {"truth": "red"}})
    world = _run(s)
    assert trace(world.log) == [
        (30.0, "evidence c evidence=radar outcome=interceptor hypothesis=blue"),
        (30.0, "received a>c hypothesis=blue"),
        (30.0, "belief a>c"),
    ]
    assert world.log[1].data["basis"] == {"ev:radar": []}  # straight from the instrument
    assert world.actors["a"].belief["blue"] == pytest.approx(1.0, abs=1e-9)
    # the same scenario with red as the truth shows its actors the other outcome
    reverse = _run(s, "reverse")
    assert trace(reverse.log, kinds=("evidence",)) == [
        (30.0, "evidence c evidence=radar outcome=cruise hypothesis=red")]
    assert reverse.log[0].data["correct"] is True


def test_an_unreliable_instrument_passes_a_weaker_likelihood_ratio() -> None:
    s = build(actors=[actor("a"), actor("b"), actor("c")],
              evidence=[{**RADAR, "reliability": 0.5}])
    world = _run(s)
    outcome = world.log[0].data["outcome"]
    column = RADAR["outcomes"][outcome]
    # r = 0.5: P(report | h) = 0.5·L(h) + 0.5·mean(L), on an even prior
    mixed = {h: 0.5 * p + 0.5 * (sum(column.values()) / 2) for h, p in column.items()}
    total = sum(mixed.values())
    assert world.actors["a"].belief == pytest.approx({h: p / total for h, p in mixed.items()})


def test_evidence_with_an_admiralty_letter_is_as_reliable_as_the_letters_mean() -> None:
    s = build(actors=[actor("a"), actor("b"), actor("c")], evidence=[{**EXACT, "reliability": "B"}])
    world = _run(s)
    # B is Beta(8, 2), mean 0.8: P(report | blue) = 0.8 + 0.1, P(report | red) = 0.1
    assert world.actors["a"].belief == pytest.approx({"red": 0.1, "blue": 0.9})


def _relay_scenario(**a_fields: Any) -> Scenario:
    """c states an opinion; b and d relay it (cites: inherit); a hears all three."""
    relay = {"statement": {"channel": "news", "claim": {"hypothesis": "red", "confidence": 0.8,
                                                       "cites": "inherit"}}}
    return build(
        actors=[actor("a", **a_fields), actor("b"), actor("c"), actor("d")],
        channels=[NEWS],
        rules=[{"id": "c-says", "actor": "c", "when": {"at": "10m"},
                "do": {"statement": {"channel": "news", "claim": {"hypothesis": "red",
                                                                  "confidence": 0.8}}}},
               {"id": "b-relays", "actor": "b", "when": {"received": {"origin": "c"}},
                "delay": "5m", "do": relay},
               {"id": "d-relays", "actor": "d", "when": {"received": {"origin": "b"}},
                "delay": "5m", "do": relay}])


def test_a_relay_chain_keeps_its_root_and_moves_a_belief_once() -> None:
    world = _run(_relay_scenario())
    heard = [r for r in world.log if r.kind == "received" and r.actor == "a"]
    assert [(r.t, r.counterpart, r.data["basis"]) for r in heard] == [
        (11.0, "c", {"op:c": ["c"]}),
        (17.0, "b", {"op:c": ["c", "b"]}),
        (23.0, "d", {"op:c": ["c", "b", "d"]}),
    ]
    # only the first report moved anyone: the relays carry the same root by weaker chains
    assert trace(world.log, kinds=("belief",)) == [
        (11.0, "belief a>c"), (11.0, "belief b>c"), (11.0, "belief d>c")]
    # c's (0.8, 0.2) at trust 0.5: (0.65, 0.35) on an even prior, as if heard once
    assert world.actors["a"].belief == pytest.approx({"red": 0.65, "blue": 0.35})


def test_a_circular_report_counts_each_relay_when_provenance_is_hidden() -> None:
    traced = _run(_relay_scenario()).actors["a"].belief["red"]
    hidden = _run(_relay_scenario(sees_provenance=0.0))
    heard = [r for r in hidden.log if r.kind == "belief" and r.actor == "a"]
    # each relay looks like its relayer's own opinion: three roots where there is one
    assert [r.t for r in heard] == [11.0, 17.0, 23.0]
    assert set(hidden.actors["a"].ledger.entries) == {"op:c", "op:b", "op:d"}
    assert hidden.actors["a"].belief["red"] > traced
    # three independent (0.65, 0.35) reports on an even prior
    assert hidden.actors["a"].belief["red"] == pytest.approx(0.65**3 / (0.65**3 + 0.35**3))


def test_a_contradicted_source_loses_trust_and_a_confirmed_one_gains() -> None:
    s = build(actors=[actor("a", trust={"liar": 0.7, "honest": 0.7}), actor("b"), actor("c"),
                      actor("liar"), actor("honest")],
              evidence=[{**EXACT, "at": "1h", "reliability": 0.95}],
              injects=[{"id": "lie", "title": "Lie", "at": "10m", "to": ["a"], "origin": "liar",
                        "claim": {"hypothesis": "red", "confidence": 0.8}},
                       {"id": "truth", "title": "Truth", "at": "20m", "to": ["a"], "origin": "honest",
                        "claim": {"hypothesis": "blue", "confidence": 0.8}}])
    world = _run(s)
    judged = [(r.t, r.counterpart, r.data["confirmed"], round(r.data["previous"], 4),
               round(r.data["trust"], 4)) for r in world.log if r.kind == "trust"]
    # at 60m the radar settles it: without the liar's own root, P(red) is far below 0.1
    assert [j[:3] for j in judged] == [(60.0, "liar", False), (60.0, "honest", True)]
    liar, honest = judged
    assert liar[3] == 0.7
    assert liar[4] < 0.7
    assert honest[3] == 0.7
    assert honest[4] > 0.7
    # Beta(7, 3) + a miss at confidence 0.8: α + 0.8·p, β + 0.8·(1 − p), p ≈ 0
    assert liar[4] == pytest.approx(7 / 10.8, abs=1e-3)
    assert world.actors["a"].trust_in("liar") == pytest.approx(liar[4], abs=1e-4)


def test_an_actor_can_relay_evidence_it_holds_by_citing_it() -> None:
    s = build(actors=[actor("a"), actor("b", trust={"a": 0.9}), actor("c")],
              channels=[{"id": "mail", "kind": "message", "members": ["a", "b"], "latency": "5m"}],
              evidence=[EXACT],
              rules=[{"id": "tell", "actor": "a", "when": {"evidence": "radar"},
                      "do": {"message": {"to": "b", "channel": "mail",
                                         "claim": {"hypothesis": "blue", "confidence": 0.9,
                                                   "cites": ["radar"]}}}}])
    world = _run(s)
    received = next(r for r in world.log if r.kind == "received" and r.actor == "b")
    assert received.t == 35.0
    assert received.data["basis"] == {"ev:radar": ["a"]}
    # the radar's (0, 1) through a at 0.9: (0.05, 0.95), on an even prior
    assert world.actors["b"].belief == pytest.approx({"red": 0.05, "blue": 0.95})


def test_an_outcome_is_picked_from_the_truths_column_by_its_cumulative_share() -> None:
    from sim.engine.provenance import pick_outcome

    outcomes = RADAR["outcomes"]  # under blue: cruise 0.1, interceptor 0.9
    assert pick_outcome(outcomes, "blue", 0.05) == "cruise"
    assert pick_outcome(outcomes, "blue", 0.1000001) == "interceptor"
    assert pick_outcome(outcomes, "red", 0.79) == "cruise"
    assert pick_outcome(outcomes, "red", 0.81) == "interceptor"
    assert pick_outcome({"x": {"h": 0.5}, "y": {"h": 0.49}}, "h", 0.999) == "y"  # the rest


def test_a_recipient_gets_evidence_first_hand_whatever_it_can_trace() -> None:
    """Rule: `sees_provenance` concerns relays; a source's own recipients always hold its result."""
    s = build(actors=[actor("a", sees_provenance=0.0), actor("b"), actor("c")], evidence=[EXACT])
    world = _run(s)
    assert list(world.actors["a"].ledger.entries) == ["ev:radar"]
