"""Several seats play one exercise through a real server on loopback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from sim.engine.journal import open_session, read_journal
from sim.engine.records import Record
from sim.engine.session import visible
from sim.net.client import JoinError, SeatClient
from sim.net.exercise import Exercise
from sim.net.server import ExerciseServer
from tests.net.conftest import PLAYERS

CALL = {"actor": "us-cjcs", "do": {"call": {"to": "ru-cgs", "channel": "cjcs-cgs"}}}


def feed_from_journal(path: Path, seat: str) -> list[dict]:
    """What the engine's fog of war lets `seat` see, rebuilt from the journal alone."""
    session = open_session(read_journal(path))
    return [r.to_json() for r in session.log if visible(r, seat)]


async def test_five_seats_play_ten_turns_when_all_are_ready(
        make_exercise: Callable[..., Exercise]) -> None:
    server = ExerciseServer(make_exercise(turns="ready"))
    await server.start()
    clients = []
    try:
        for seat in PLAYERS:
            client = SeatClient(server.url, server.exercise.tokens.tokens[seat])
            await client.connect()
            clients.append(client)
        for turn in range(1, 11):
            assert all(c.state.turn == turn for c in clients)
            for client in clients:
                action = CALL if client.seat == "us-cjcs" and turn == 2 else {
                    "actor": client.seat, "pass": True}
                assert (await client.act(action)).ok
                assert (await client.ready()).ok
            for client in clients:
                await client.wait_for(lambda c=client, t=turn: c.state.turn == t + 1)
                assert client.state.deciding == list(PLAYERS)  # a new turn: all decide again
    finally:
        for client in clients:
            await client.close()
        await server.stop()
    journal = server.exercise.journal.path
    server.exercise.journal.close()
    ops = read_journal(journal).ops
    assert sum(op["op"] == "act" for op in ops) == 50
    replayed = open_session(read_journal(journal))
    assert replayed.now == 10 * replayed.scenario.turn  # ten whole turns, pauses played through
    for client in clients:  # each seat holds exactly its own view, nothing more, nothing less
        assert client.records == feed_from_journal(journal, client.seat)
        assert all(visible(Record.from_json(r), client.seat) for r in client.records)


async def test_a_seat_waits_for_the_others_and_sees_who_is_deciding(
        make_exercise: Callable[..., Exercise]) -> None:
    server = ExerciseServer(make_exercise(turns="ready", seats=("us-cjcs", "ru-cgs")))
    await server.start()
    a = SeatClient(server.url, server.exercise.tokens.tokens["us-cjcs"])
    b = SeatClient(server.url, server.exercise.tokens.tokens["ru-cgs"])
    try:
        await a.connect()
        await b.connect()
        assert (await a.ready()).ok
        await b.wait_for(lambda: b.state.deciding == ["ru-cgs"])
        assert a.state.turn == 1
        assert b.state.connected == ["ru-cgs", "us-cjcs"]
        assert (await b.ready()).ok
        await a.wait_for(lambda: a.state.turn == 2)
    finally:
        await a.close()
        await b.close()
        await server.stop()
        server.exercise.journal.close()


async def test_a_call_rings_on_the_callees_screen_only(server: ExerciseServer, join) -> None:
    cjcs, cgs, other, facilitator = (await join("us-cjcs"), await join("ru-cgs"),
                                     await join("pl-president"), await join())
    assert (await cjcs.act(CALL)).ok

    def about_the_call(client: SeatClient) -> list[str]:
        return [r["kind"] for r in client.records if r.get("channel") == "cjcs-cgs"]

    for _ in range(6):  # the clock runs until the line rings at Gerasimov's desk, and pauses
        assert (await facilitator.advance()).ok
        if "call_ringing" in about_the_call(facilitator):
            break
    await cgs.wait_for(lambda: "call_ringing" in about_the_call(cgs))
    assert "call_ringing" not in about_the_call(cjcs)  # it rings at the callee's end only
    assert (await cgs.act({"actor": "ru-cgs", "answer": True})).ok  # the player picks up
    await cjcs.wait_for(lambda: "call_connected" in about_the_call(cjcs))
    await cgs.wait_for(lambda: "call_connected" in about_the_call(cgs))
    assert "call_attempt" in about_the_call(cjcs)  # the caller sees its own attempt
    assert "call_attempt" not in about_the_call(cgs)  # the callee sees only what rang
    assert about_the_call(other) == []
    assert "call_attempt" in about_the_call(facilitator)
    refused = await other.act({"actor": "pl-president", "answer": True})
    assert not refused.ok
    assert "no call is ringing for pl-president" in refused.error


async def test_a_seat_asking_for_another_seats_view_gets_nothing(
        server: ExerciseServer, join, caplog: pytest.LogCaptureFixture) -> None:
    cjcs, facilitator = await join("us-cjcs"), await join()
    assert (await cjcs.act(CALL)).ok
    before = list(cjcs.records)
    with caplog.at_level(logging.WARNING, logger="hotline.host"):
        ack = await cjcs.view_of("ru-cgs")
    assert not ack.ok
    assert ack.view is None
    assert "only its own view" in ack.error
    assert cjcs.records == before
    assert "seat us-cjcs asked for the view of 'ru-cgs': refused" in caplog.text
    seen = await facilitator.view_of("ru-cgs")  # the facilitator may look
    assert seen.ok
    assert seen.view["role"] == "ru-cgs"
    assert seen.view["records"] == server.exercise.feed("ru-cgs")


async def test_the_server_checks_who_may_do_what(server: ExerciseServer, join) -> None:
    cjcs = await join("us-cjcs")
    as_other = await cjcs.act({**CALL, "actor": "ru-cgs",
                               "do": {"call": {"to": "us-cjcs", "channel": "cjcs-cgs"}}})
    assert not as_other.ok
    assert "acts only as us-cjcs" in as_other.error
    inject = await cjcs.act({"note": "I am the facilitator now"})
    assert not inject.ok
    assert "facilitator's" in inject.error
    clock = await cjcs.advance()
    assert not clock.ok
    assert "only the facilitator" in clock.error
    bad = await cjcs.act({"actor": "us-cjcs", "do": {"call": {"to": "ru-cgs", "channel": "nope"}}})
    assert not bad.ok
    assert server.exercise.session.actions == []  # nothing of it reached the world


async def test_a_wrong_or_reused_token_is_refused_and_logged(
        server: ExerciseServer, join, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hotline.host"):
        with pytest.raises(JoinError, match="wrong token"):
            await SeatClient(server.url, "0" * 40).connect()
        await join("us-cjcs")
        with pytest.raises(JoinError, match="already connected"):
            await SeatClient(server.url, server.exercise.tokens.tokens["us-cjcs"]).connect()
    assert "wrong token" in caplog.text
    assert "the token of seat us-cjcs is in use" in caplog.text


async def test_a_cut_seat_reconnects_and_sees_everything_it_missed(
        server: ExerciseServer, join) -> None:
    cjcs, cgs, facilitator = await join("us-cjcs"), await join("ru-cgs"), await join()
    held = len(cgs.records)
    await cgs.cut()
    assert (await cjcs.act(CALL)).ok
    for _ in range(4):
        assert (await facilitator.advance()).ok
    missed = server.exercise.feed("ru-cgs", held)
    assert missed  # the call and the turns' news reached the seat while it was away
    await cgs.wait_for(lambda: cgs.connections == 2
                       and len(cgs.records) == server.exercise.feed_length("ru-cgs"))
    assert cgs.records == server.exercise.feed("ru-cgs")
    assert cgs.state.t == facilitator.state.t
