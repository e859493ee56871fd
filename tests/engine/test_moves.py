"""Calls with content: each side's moves, shared evidence, proposals and what was agreed."""

from __future__ import annotations

import pytest

from sim.engine.moves import SAY, answer, choose
from sim.scenario import ScenarioError
from sim.scenario.moves import Move

from .helpers import actor, build, run, trace

LINE = {"id": "line", "kind": "call", "ends": ["a", "b"], "duration": "10m"}
#: b's radar sees what a blue interceptor leaves, always.
RADAR = {"id": "radar", "title": "Radar", "at": "0m", "to": ["b"],
         "outcomes": {"cruise": {"red": 1.0, "blue": 0.0}, "interceptor": {"red": 0.0, "blue": 1.0}}}
CALL_AT_10 = {"id": "dial", "actor": "a", "when": {"at": "10m"},
              "do": {"call": {"to": "b", "channel": "line"}}}


def test_a_shared_piece_of_evidence_moves_the_receiver_by_exactly_that_basis() -> None:
    s = build(actors=[actor("a", trust={"b": 0.5}),
                      actor("b", moves=[{"move": "share", "evidence": "radar", "text": "our track"}])],
              channels=[LINE], evidence=[RADAR], rules=[CALL_AT_10])
    log = run(s)
    assert trace(log, kinds=("call_connected", "call_move", "received", "belief")) == [
        (0.0, "received b hypothesis=blue"),
        (0.0, "belief b"),
        (10.0, "call_connected a>b @line attempt=1"),
        (10.0, "call_move b>a @line hypothesis=blue"),  # a holds nothing, so says nothing
        (10.0, "received a>b @line hypothesis=blue"),
        (10.0, "belief a>b"),
    ]
    move = next(r for r in log if r.kind == "call_move")
    assert (move.data["move"], move.data["text"], move.data["basis"]) == ("share", "our track",
                                                                         {"ev:radar": ["b"]})
    # the radar's (0, 1) through b at trust 0.5: (0.25, 0.75) on an even prior
    belief = next(r for r in log if r.kind == "belief" and r.actor == "a").data["belief"]
    assert belief == pytest.approx({"red": 0.25, "blue": 0.75})


def test_a_proposal_accepted_is_agreed_and_sets_off_rules_on_both_sides() -> None:
    s = build(actors=[actor("a", moves=[{"move": "propose", "measure": "stand-down"}]),
                      actor("b", moves=[{"move": "accept", "measure": "stand-down",
                                         "if": [{"after": "5m"}]}])],
              channels=[LINE],
              rules=[CALL_AT_10,
                     {"id": "a-stands-down", "actor": "a", "when": {"agreed": "stand-down"},
                      "do": {"posture": {"raise": 1}}},
                     {"id": "b-stands-down", "actor": "b", "when": {"agreed": "stand-down"},
                      "do": {"posture": {"raise": 2}}}])
    assert trace(run(s), kinds=("call_move", "agreed", "posture")) == [
        (10.0, "call_move a>b @line"),
        (10.0, "call_move b>a @line"),
        (10.0, "agreed a>b @line"),
        (10.0, "posture a level=alert"),
        (10.0, "posture b level=crisis"),
    ]
    moves = [(r.data["move"], r.data.get("measure")) for r in run(s) if r.kind == "call_move"]
    assert moves == [("propose", "stand-down"), ("accept", "stand-down")]


def test_a_proposal_is_refused_when_no_accept_move_holds() -> None:
    s = build(actors=[actor("a", moves=[{"move": "propose", "measure": "stand-down"}]),
                      actor("b", moves=[{"move": "accept", "measure": "stand-down",
                                         "if": [{"after": "1h"}]}])],
              channels=[LINE], rules=[CALL_AT_10])
    log = run(s)
    assert [r.data["move"] for r in log if r.kind == "call_move"] == ["propose", "refuse"]
    assert not any(r.kind == "agreed" for r in log)


def test_a_warning_sets_off_the_listeners_rule_and_each_side_speaks_each_turn() -> None:
    s = build(actors=[actor("a", moves=[{"move": "warn", "text": "stand off"}]),
                      actor("b", moves=[{"move": "reassure"}])],
              channels=[{**LINE, "turns": 2}],
              rules=[CALL_AT_10, {"id": "worried", "actor": "b", "when": {"move": {"move": "warn",
                                                                                   "from": "a"}},
                                  "do": {"posture": {"raise": 1}}, "repeat": True}])
    log = run(s)
    assert [(r.actor, r.data["move"]) for r in log if r.kind == "call_move"] == [
        ("a", "warn"), ("b", "reassure"), ("a", "warn"), ("b", "reassure")]
    assert trace(log, kinds=("posture",)) == [(10.0, "posture b level=alert"),
                                              (10.0, "posture b level=crisis")]


def test_a_players_chosen_moves_replace_its_own() -> None:
    s = build(actors=[actor("a", moves=[{"move": "warn"}]), actor("b")], channels=[LINE],
              rules=[{**CALL_AT_10, "do": {"call": {"to": "b", "channel": "line",
                                                    "say": [{"move": "ask", "text": "your launches?"}]}}}])
    assert [(r.actor, r.data["move"], r.data["text"]) for r in run(s) if r.kind == "call_move"] == [
        ("a", "ask", "your launches?")]


def test_choose_draws_by_weight_among_the_moves_that_hold() -> None:
    warn, deny, stall = Move(move="warn", weight=1), Move(move="deny", weight=3), Move(move="stall")
    moves = [warn, deny, stall]
    not_stall = lambda m: m is not stall  # noqa: E731
    assert choose(moves, not_stall, float, 0.2) is warn       # [0, 0.25): warn
    assert choose(moves, not_stall, float, 0.3) is deny       # [0.25, 1): deny
    assert choose(moves, lambda m: False, float, 0.5) is SAY  # nothing holds: say what it holds
    assert answer([Move(move="accept", measure="x")], "x", "b", lambda m: True) == "accept"
    assert answer([Move(move="accept", measure="x", with_=["c"])], "x", "b", lambda m: True) == "refuse"


def test_a_proposal_without_a_measure_is_refused_at_load() -> None:
    with pytest.raises(ScenarioError, match="a propose move names its 'measure'"):
        build(actors=[actor("a", moves=[{"move": "propose"}]), actor("b")])


def test_in_a_meeting_a_member_with_moves_makes_one_to_everyone_present() -> None:
    council = {"id": "council", "kind": "meeting", "members": ["a", "b", "c"], "convene": "30m"}
    s = build(actors=[actor("a", moves=[{"move": "propose", "measure": "inquiry", "with": "council"}]),
                      actor("b", moves=[{"move": "accept", "measure": "inquiry"}]), actor("c")],
              channels=[council],
              rules=[{"id": "ask", "actor": "a", "when": {"start": True}, "do": {"convene": "council"}},
                     {"id": "c-hears", "actor": "c", "when": {"move": {"move": "propose"}},
                      "do": {"posture": {"raise": 1}}}])
    log = run(s)
    moves = [(r.actor, r.counterpart, r.data["move"]) for r in log if r.kind == "call_move"]
    # a proposes to each member; b's accept move holds, c has none and refuses; b has no move
    # that opens a turn (accept only answers), and holds nothing to pass on
    assert moves == [("a", "b", "propose"), ("b", "a", "accept"), ("a", "c", "propose"),
                     ("c", "a", "refuse")]
    assert trace(log, kinds=("agreed", "posture")) == [(30.0, "agreed a>b @council"),
                                                       (30.0, "posture c level=alert")]


def test_a_pattern_names_the_step_so_a_later_offer_waits_for_an_earlier_refusal() -> None:
    """`happened: {kind: call_move, measure: ...}` orders a ladder of offers; metrics see steps."""
    offers = [{"move": "propose", "measure": "regret"},
              {"move": "propose", "measure": "apology", "weight": 100,
               "if": [{"happened": {"kind": "call_move", "actor": "b", "measure": "regret"}}]}]
    s = build(actors=[actor("a", moves=offers),
                      actor("b", moves=[{"move": "accept", "measure": "apology"}])],
              channels=[LINE],
              rules=[CALL_AT_10, {**CALL_AT_10, "id": "redial", "when": {"at": "2h"}}],
              metrics=[{"id": "settled", "kind": "first", "label": "Apology agreed",
                        "event": {"kind": "agreed", "measure": "apology"}},
                       {"id": "regret-agreed", "kind": "first", "label": "Regret agreed",
                        "event": {"kind": "agreed", "measure": "regret"}}])
    log = run(s)
    steps = [(r.t, r.data["move"], r.data["measure"]) for r in log if r.kind == "call_move"]
    # nothing matches the second offer until b has answered the first one, at the first call
    assert steps == [(10.0, "propose", "regret"), (10.0, "refuse", "regret"),
                     (120.0, "propose", "apology"), (120.0, "accept", "apology")]
    agreed = next(r for r in log if r.kind == "agreed")
    assert (agreed.t, agreed.data["measure"]) == (120.0, "apology")
    from sim.engine.metrics import MetricSet
    values = MetricSet(s).compute(log)
    assert values == {"settled": agreed.t, "regret-agreed": None}


def test_a_pattern_naming_a_step_no_move_names_is_an_error_at_its_place() -> None:
    with pytest.raises(ScenarioError) as err:
        build(actors=[actor("a", moves=[{"move": "propose", "measure": "regret"}]), actor("b")],
              channels=[LINE],
              metrics=[{"id": "m", "kind": "first", "label": "M",
                        "event": {"kind": "agreed", "measure": "regrett"}}])
    message = str(err.value.diagnostics[0])
    assert "metrics[0].event.measure: unknown measure 'regrett' (did you mean 'regret'?)" in message
