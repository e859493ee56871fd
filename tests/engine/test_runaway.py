"""Rules that set each other off with no delay: the run stops with a message, never hangs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.engine.journal import read_journal, resume
from sim.engine.params import resolve_params
from sim.engine.runaway import BASE_BUDGET, RunawayError
from sim.engine.session import ActionError, Session, SessionAction
from sim.engine.world import World
from sim.scenario import load_scenario
from sim.scenario.loops import zero_delay_cycles

ROOT = Path(__file__).resolve().parents[2]
LOOP = "tests/data/scenarios/hostile/zero_delay_loop.yaml"
NAMED = "'a-forwards' (5,101×), 'b-forwards' (5,100×)"


def hotline(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, check=False)


def test_the_world_stops_a_zero_delay_loop_naming_its_rules() -> None:
    scenario = load_scenario(ROOT / LOOP)
    world = World(scenario, 0, resolve_params(scenario))
    with pytest.raises(RunawayError, match="at minute 30") as caught:
        world.run()
    assert NAMED in str(caught.value)
    assert len(world.log) < 10 * BASE_BUDGET  # bounded work, not 1.4 M records
    assert {r.t for r in world.log if r.kind == "message_sent"} == {30.0}


def test_run_ends_with_exit_2_and_the_message() -> None:
    done = hotline("run", LOOP, "--json")
    assert done.returncode == 2
    assert done.stderr.startswith("hotline run: error: the run stopped at minute 30: rules fired "
                                  f"10,201 times without scenario time moving on ({NAMED})")
    assert "internal error" not in done.stderr


def test_validate_warns_of_the_cycle_and_still_says_ok() -> None:
    done = hotline("validate", LOOP)
    assert done.returncode == 0
    assert done.stderr.startswith(f"{LOOP}:29:5: warning: rules[0]: rules 'a-forwards' → "
                                  "'b-forwards' → 'a-forwards' can set each other off for ever")
    as_json = json.loads(hotline("validate", "--json", LOOP).stdout)
    assert as_json[0]["valid"] is True
    assert [(d["line"], d["severity"]) for d in as_json[0]["diagnostics"]] == [(29, "warning")]


def test_no_cycle_is_seen_in_scenarios_whose_loops_take_time() -> None:
    for path in ("scenarios/poland-2022.yaml", "tests/data/scenarios/tiny.yaml",
                 "tests/data/scenarios/play.yaml"):
        assert zero_delay_cycles(load_scenario(ROOT / path)) == []
    text = (ROOT / LOOP).read_text().replace("    repeat: true\n    do: {message: {to: [a]",
                                              "    repeat: true\n    delay: 1m\n"
                                              "    do: {message: {to: [a]")
    from sim.scenario import load_scenario_text

    assert zero_delay_cycles(load_scenario_text(text)) == []


def test_a_journal_that_ran_away_still_opens_report_and_resume(tmp_path: Path) -> None:
    journal = tmp_path / "loop.jsonl"
    done = hotline("run", str(ROOT / LOOP), "--save", str(journal))
    assert done.returncode == 2
    assert "the run stopped at minute 30" in done.stderr
    assert [op["op"] for op in read_journal(journal).ops] == ["advance"]

    report = hotline("report", str(journal), "--md", str(tmp_path / "r.md"))
    assert report.returncode == 0, report.stderr
    assert "hotline report: warning: the run stopped at minute 30" in report.stderr
    assert "Warning: the run stopped at minute 30" in (tmp_path / "r.md").read_text()

    session, writer, warnings = resume(journal)
    try:
        assert session.halted is not None
        assert warnings == [session.halted]
        assert session.finished
        before = len(session.log)
        session.advance(600)
        assert len(session.log) == before  # time no longer moves
        with pytest.raises(ActionError, match="the run stopped"):
            session.act(SessionAction(actor="a", do={"posture": {"raise": 1}}))
        session.act(SessionAction(note="the loop is the lesson"))  # notes are still taken
    finally:
        writer.close()


def test_a_session_halts_in_an_action_too() -> None:
    scenario = load_scenario(ROOT / LOOP)
    session = Session(scenario)
    session.act(SessionAction(inject="report"))
    assert session.halted is not None
    assert "'b-forwards'" in session.halted
