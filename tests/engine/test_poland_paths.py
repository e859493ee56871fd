"""The Przewodów scenario's paths for a working channel: mechanisms, not headline results."""

from __future__ import annotations

from pathlib import Path

from sim.engine.session import Session, SessionAction
from sim.scenario import load_scenario
from sim.scenario.events import Action

POLAND = Path(__file__).resolve().parents[2] / "scenarios/poland-2022.yaml"


def _advance(session: Session, until: float) -> None:
    while session.now < until and not session.finished:
        session.advance(until)


def test_the_cjcs_seat_can_order_eucom_onto_the_deconfliction_line() -> None:
    session = Session(load_scenario(POLAND), seed=2, seats=["us-cjcs"])
    _advance(session, 60)
    order = Action.model_validate({"message": {"to": "us-eucom", "channel": "us-internal",
                                               "tag": "use-deconfliction", "holding": True,
                                               "text": "Call the NDMC."}})
    session.act(SessionAction(actor="us-cjcs", do=order))
    _advance(session, 240)
    dialled = [r for r in session.log if r.kind == "call_attempt" and r.channel == "deconfliction"]
    assert dialled
    assert (dialled[0].actor, dialled[0].counterpart) == ("us-eucom", "ru-ndmc")
    assert dialled[0].t > 60


def test_without_the_order_eucom_leaves_the_line_unused() -> None:
    session = Session(load_scenario(POLAND), seed=2, seats=["us-cjcs"])
    _advance(session, 240)
    assert not any(r.kind == "call_attempt" and r.channel == "deconfliction" for r in session.log)


def test_a_connected_milley_gerasimov_call_carries_moves_that_reach_washington() -> None:
    scenario = load_scenario(POLAND)
    for seed in range(1, 30):
        session = Session(scenario, seed=seed, variant="line-works")
        _advance(session, 12 * 60)
        log = session.log
        connected = [r for r in log if r.kind == "call_connected" and r.channel == "cjcs-cgs"]
        if connected:
            break
    assert connected, "the line connected in none of 29 worlds under line-works"
    t = connected[0].t
    moves = [r for r in log if r.kind == "call_move" and r.channel == "cjcs-cgs"]
    assert {r.actor for r in moves} == {"us-cjcs", "ru-cgs"}
    # Milley's readout goes to the NSC staff's desk, the intelligence community and the Secretary
    readout = {r.counterpart for r in log if r.kind == "message_sent" and r.actor == "us-cjcs"
               and r.t >= t and r.counterpart in ("us-secdef", "us-intel", "us-sitroom")}
    assert readout == {"us-secdef", "us-intel", "us-sitroom"}
