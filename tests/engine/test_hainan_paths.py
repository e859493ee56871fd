"""The Hainan scenario's ladder of wording and leaders' line: mechanisms, not headline results."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine.params import resolve_params
from sim.engine.records import Record
from sim.engine.world import World
from sim.scenario import Scenario, load_scenario

HAINAN = Path(__file__).resolve().parents[2] / "scenarios/hainan-2001.yaml"


@pytest.fixture(scope="module")
def hainan() -> Scenario:
    return load_scenario(HAINAN)


def _log(scenario: Scenario, seed: int, variant: str | None = None) -> list[Record]:
    world = World(scenario, seed, resolve_params(scenario, variant))
    world.run()
    return world.log


def _first(log: list[Record], kind: str, **where: str) -> Record | None:
    for r in log:
        if r.kind == kind and all(getattr(r, k, None) == v or r.data.get(k) == v
                                  for k, v in where.items()):
            return r
    return None


def _settled_run(scenario: Scenario, variant: str | None = None) -> list[Record]:
    for seed in range(1, 40):
        log = _log(scenario, seed, variant)
        if _first(log, "meeting_convened", channel="letter-handover"):
            return log
    raise AssertionError("the letter was delivered in none of 39 worlds")


def test_each_rung_is_offered_only_after_washington_authorises_it(hainan: Scenario) -> None:
    for seed in (1, 2, 3):
        log = _log(hainan, seed)
        for step, authority in (("regret-letter", "authorise-regret"),
                                ("very-sorry-letter", "authorise-very-sorry")):
            offer = _first(log, "call_move", actor="us-ambassador", measure=step)
            if offer is None:
                continue
            agreed = _first(log, "agreed", measure=authority)
            assert agreed is not None, (seed, step)
            assert agreed.t <= offer.t, (seed, step)


def test_the_president_agrees_to_regret_only_after_the_crew_were_seen(hainan: Scenario) -> None:
    for seed in (1, 2, 3):
        log = _log(hainan, seed)
        agreed = _first(log, "agreed", measure="authorise-regret", counterpart="us-president")
        if agreed is None:
            continue
        seen = _first(log, "meeting_convened", channel="hainan-access")
        assert seen is not None
        assert seen.t <= agreed.t


def test_china_accepts_the_letter_only_once_jiangs_word_has_reached_zhou(hainan: Scenario) -> None:
    log = _settled_run(hainan)
    accepted = _first(log, "agreed", measure="very-sorry-letter")
    approval = _first(log, "message_delivered", actor="cn-president", channel="leadership")
    assert accepted is not None
    assert approval is not None
    assert approval.t <= accepted.t
    # every very-sorry offer before the approval was refused
    answers = [r.data["move"] for r in log if r.kind == "call_move" and r.actor == "cn-afm"
               and r.data.get("measure") == "very-sorry-letter" and r.t < approval.t]
    assert answers
    assert set(answers) == {"refuse"}
    handover = _first(log, "meeting_convened", channel="letter-handover")
    leave = _first(log, "message_sent", channel="custody")
    assert handover is not None
    assert accepted.t < handover.t
    assert leave is None or handover.t < leave.t


def test_historically_the_leaders_never_speak_and_the_line_only_fails(hainan: Scenario) -> None:
    log = _log(hainan, 1)
    assert _first(log, "call_connected", channel="leaders-line") is None
    reasons = {r.data.get("reason") for r in log if r.kind == "call_failed"
               and r.channel == "leaders-line"}
    assert reasons
    assert reasons <= {"unanswered", "unreachable", "busy"}


def test_a_leaders_call_gives_zhou_the_top_s_word_without_a_draft_going_up(hainan: Scenario) -> None:
    for seed in range(1, 20):
        log = _log(hainan, seed, "leaders-line")
        call = _first(log, "call_connected", channel="leaders-line")
        offer = _first(log, "call_move", actor="us-ambassador", measure="very-sorry-letter")
        if call is not None and (offer is None or call.t < offer.t):
            break
    else:
        raise AssertionError("no world under leaders-line where the leaders spoke before the offer")
    word = _first(log, "message_sent", actor="cn-president", channel="leadership")
    draft_up = _first(log, "message_sent", actor="cn-afm", counterpart="cn-president")
    assert word is not None
    assert word.t >= call.t
    assert draft_up is None or word.t < draft_up.t
