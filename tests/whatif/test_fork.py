"""Forking a live exercise: the past as played, many futures, as is and changed, paired."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sim.engine.journal import Journal, read_journal
from sim.engine.params import ParameterError
from sim.engine.session import Session, SessionAction
from sim.scenario import load_scenario
from sim.whatif.fork import ForkJob, ops_until, run_from_session
from sim.whatif.plan import Plan, Point

from .conftest import DATA, ROOT, TINY


def _call(actor: str = "a") -> SessionAction:
    return SessionAction.model_validate({"actor": actor, "do": {"call": {"to": "b", "channel": "line"}}})


@pytest.fixture
def dead_line(tiny) -> Session:
    """A session on a line nobody answers, 18 minutes in; A's rule will call at minute 20."""
    session = Session(tiny, seed=4, variant="dead-line")
    session.advance(18)
    return session


def test_change_after_the_fork_changes_the_future(tiny, dead_line):
    summary = run_from_session(dead_line, tiny, change={"answer_p": 1}, reps=20)
    data = summary.to_json()
    assert [p["label"] for p in data["points"]] == ["as is", "answer_p=1"]
    happened = data["comparison"]["happened"]["contact"]
    assert (happened["a"], happened["b"], happened["n"]) == (0.0, 1.0, 20)
    assert data["fork"] == {"at": 18.0, "history": "kept", "change": {"answer_p": 1}}
    assert not summary.partial


def test_past_stays_as_played_and_futures_differ():
    noisy = load_scenario(DATA / "paired.yaml")
    session = Session(noisy, seed=3)  # a world whose wire reports after the fork
    session.advance(25)
    past = list(session.log)
    assert past
    plan = Plan(points=(Point(0, "as is", {}, dict(session.params)),), reps=5, seed=3,
                common_seeds=True)
    job = ForkJob(noisy, plan, tuple(session.ops), 3, None, {}, ({},), (), 25.0)
    futures = [job.world(0, rep).log for rep in range(5)]
    for log in futures:
        assert log[:len(past)] == past
    assert len({tuple(r.t for r in log) for log in futures}) > 1


def test_arms_share_future_seeds():
    """Rule: both arms draw the same futures, so with no change every pair is identical, even
    where the futures themselves differ from one replication to the next."""
    noisy = load_scenario(DATA / "paired.yaml")
    session = Session(noisy, seed=3)  # a world whose wire reports after the fork
    session.advance(25)
    contact = run_from_session(session, noisy, change={}, reps=10).to_json()[
        "comparison"]["metrics"]["contact"]
    assert (contact["n"], contact["diff"], contact["ci"]) == (10, 0.0, [0.0, 0.0])  # paired: none
    low, high = contact["unpaired_ci"]
    assert high - low > 1.0  # yet the minutes to contact vary across the ten futures


def test_history_replayed_redoes_the_past_under_the_change(tiny):
    session = Session(tiny, seed=1, variant="dead-line", seats=["a"])
    session.advance(30)
    session.act(_call())
    session.advance(90)  # the player's call has failed three times: the line is dead
    kept = run_from_session(session, tiny, change={"answer_p": 1}, reps=5).to_json()
    replayed = run_from_session(session, tiny, change={"answer_p": 1}, reps=5,
                                history="replayed").to_json()
    assert kept["comparison"]["happened"]["contact"]["b"] == 0.0  # that call is in the past
    assert replayed["comparison"]["happened"]["contact"]["b"] == 1.0  # it now connects
    assert replayed["points"][1]["metrics"]["contact"]["median"] == pytest.approx(31.0)


def test_progress_and_cancel(tiny, dead_line):
    seen: list[tuple[int, int]] = []
    summary = run_from_session(dead_line, tiny, change={"answer_p": 1}, reps=30,
                               progress=lambda done, total: seen.append((done, total)))
    assert not summary.partial
    assert seen[-1] == (60, 60)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    stopped = run_from_session(dead_line, tiny, change={"answer_p": 1}, reps=400,
                               cancelled=lambda: True)
    assert stopped.partial
    assert 0 < stopped.done < 800
    assert stopped.to_json()["partial"] is True


def test_from_journal_contents(tiny, tmp_path, dead_line):
    path = tmp_path / "session.jsonl"
    session = Session(tiny, seed=4, variant="dead-line")
    journal = Journal.create(path, session, TINY, TINY.read_text(encoding="utf-8"))
    session.advance(18)
    journal.close()
    contents = read_journal(path)
    from_journal = run_from_session(contents, tiny, change={"answer_p": 0.5}, reps=15)
    from_session = run_from_session(dead_line, tiny, change={"answer_p": 0.5}, reps=15)
    assert from_journal.to_json() == from_session.to_json()


def test_fork_at_an_earlier_minute(tiny, dead_line):
    dead_line.advance(120)
    early = run_from_session(dead_line, tiny, change={"answer_p": 1}, reps=5, at=18)
    assert early.to_json()["fork"]["at"] == 18
    assert early.to_json()["comparison"]["happened"]["contact"]["b"] == 1.0
    late = run_from_session(dead_line, tiny, change={"answer_p": 1}, reps=5)
    assert late.to_json()["comparison"]["happened"]["contact"]["b"] == 0.0


def test_ops_until_cuts_the_last_advance():
    ops = [{"op": "advance", "until": 10}, {"op": "act", "t": 10, "action": {}},
           {"op": "advance", "until": 60}, {"op": "act", "t": 60, "action": {}}]
    assert ops_until(ops, 30) == [ops[0], ops[1], {"op": "advance", "until": 30}]
    assert ops_until(ops, 10) == [{"op": "advance", "until": 10}]


def test_bad_change_is_a_parameter_error(tiny, dead_line):
    with pytest.raises(ParameterError, match="unknown parameter 'answer'"):
        run_from_session(dead_line, tiny, change={"answer": 1}, reps=2)
    with pytest.raises(ParameterError, match="out of range"):
        run_from_session(dead_line, tiny, change={"answer_p": 3}, reps=2)
    with pytest.raises(ParameterError, match="reps must be at least 1"):
        run_from_session(dead_line, tiny, change={"answer_p": 1}, reps=0)


def test_importable_without_textual():
    code = ("import sys; import sim.whatif.fork, sim.whatif.tables; "
            "assert 'textual' not in sys.modules; "
            "assert 'matplotlib' not in sys.modules and 'distributed' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_changed_durations_apply_to_draws_after_the_fork():
    slow = load_scenario(DATA / "setup.yaml")
    session = Session(slow, seed=2, variant="dead-line")
    session.advance(30)  # the first attempt (set up in 1m) has failed; the next is at 33
    summary = run_from_session(session, slow, change={"answer_p": 1, "line_setup": "30m"}, reps=3)
    contact = summary.to_json()["points"][1]["metrics"]["contact"]
    assert contact["median"] == pytest.approx(33 + 30)  # the 2nd attempt's set-up takes 30m


def test_batch_futures_give_the_rows_of_full_ones():
    scenario = load_scenario(ROOT / "scenarios/poland-2022.yaml")
    session = Session(scenario, seed=2)
    session.advance(6 * 60)
    plan = Plan(points=(Point(0, "as is", {}, dict(session.params)),), reps=3, seed=2,
                common_seeds=True)
    for history in ("kept", "replayed"):
        job = ForkJob(scenario, plan, tuple(session.ops), 2, None, {}, ({},), (), session.now,
                      history)
        for rep in range(3):
            full = job.world(0, rep)
            batch = job.world(0, rep, batch=True)
            assert len(batch.log) < len(full.log)
            assert job.run(0, rep) == job.measure(full.log, full.truth)
