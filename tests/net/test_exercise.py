"""The hosted exercise without a network: what each seat is sent, the ready rule, the timer."""

from __future__ import annotations

from collections.abc import Callable

from sim.net.exercise import Exercise
from sim.net.protocol import Advance, Ready


class FakeClock:
    """Wall-clock seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_player_is_sent_the_scenario_without_its_secrets(
        make_exercise: Callable[..., Exercise]) -> None:
    exercise = make_exercise()
    player, facilitator = exercise.scenario_for("ru-cgs"), exercise.scenario_for("facilitator")
    assert facilitator["question"]["truth"] == exercise.session.scenario.question.truth
    assert player["question"]["truth"] == "hidden"
    assert facilitator["rules"]
    assert facilitator["injects"]
    for secret in ("rules", "evidence", "injects", "discussion", "pause_on"):
        assert secret not in player
    assert [a["id"] for a in player["actors"]] == [a["id"] for a in facilitator["actors"]]
    assert exercise.state("ru-cgs").truth is None
    assert exercise.state("facilitator").truth == exercise.session.scenario.question.truth


def test_the_turn_timer_ends_the_turn(make_exercise: Callable[..., Exercise]) -> None:
    clock = FakeClock()
    exercise = make_exercise(timer=300.0, clock=clock)
    exercise.handle("ru-cgs", Ready(id=1))
    clock.now += 299
    assert not exercise.tick()
    assert exercise.state("ru-cgs").timer_left == 1.0
    clock.now += 1
    assert exercise.tick()  # nobody is connected: the scenario's pauses are played through
    assert exercise.session.turn == 2
    assert exercise.ready == set()
    assert exercise.timer_left() == 300.0


def test_a_pause_mid_turn_keeps_who_is_ready(make_exercise: Callable[..., Exercise]) -> None:
    exercise = make_exercise()
    exercise.handle("ru-cgs", Ready(id=1))
    exercise.handle("facilitator", Advance(id=2))
    session = exercise.session
    assert session.paused  # the scenario stops play at its first news, mid-turn 1
    assert session.turn == 1
    assert exercise.state("us-cjcs").deciding == ["us-cjcs", "pl-president", "us-president",
                                                 "nato-sg"]
    exercise.handle("facilitator", Advance(id=3))
    while session.paused:
        exercise.handle("facilitator", Advance(id=4))
    assert session.turn == 2
    assert "ru-cgs" in exercise.state("us-cjcs").deciding


def test_a_hosted_journal_reopens_in_play_as_the_facilitators(
        make_exercise: Callable[..., Exercise]) -> None:
    from sim.net.protocol import Act
    from tui.game import Game

    exercise = make_exercise()
    assert exercise.handle("us-cjcs", Act(id=1, action={"actor": "us-cjcs", "pass": True})).ok
    exercise.journal.close()
    game, _ = Game.resume(exercise.journal.path)
    try:
        assert game.seat.is_facilitator
        assert game.session.seats == exercise.session.seats
        assert game.session.log == exercise.session.log
    finally:
        game.close()
