"""The host survives what a hostile or broken client sends, and the other seats keep playing."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from sim.net.exercise import Exercise
from sim.net.protocol import MAX_FRAME, Hello, ProtocolError, parse_client
from sim.net.server import ExerciseServer

#: Frames that are not valid requests, each for its own reason.
BAD_FRAMES = [
    "", "not json", "{", "[]", "null", "42", '"hello"', "{}", '{"v": 1}',
    '{"v": 2, "type": "act", "id": 1, "action": {}}',
    '{"v": 1, "type": "act", "id": "one", "action": {}}',
    '{"v": 1, "type": "act", "id": -1, "action": {}}',
    '{"v": 1, "type": "act", "id": 1, "action": []}',
    '{"v": 1, "type": "advance", "id": 1, "how": "backwards"}',
    '{"v": 1, "type": "ready", "id": 1, "ready": "maybe"}',
    '{"v": 1, "type": "view", "id": 1, "role": ' + json.dumps("x" * 500) + "}",
    '{"v": 1, "type": "shutdown", "id": 1}',
    '{"v": 1, "type": "hello", "token": "again"}',
    "[" * 50_000,  # deep nesting, within the frame limit
    '{"v": 1, "type": "act", "id": 1, "action": {"note": "\\ud800"}}',
    b"\x00\xff\xfe binary",
]


async def _play_on(server: ExerciseServer, join) -> None:
    """Another seat acts and the facilitator moves the clock: both are answered."""
    cjcs, facilitator = await join("us-cjcs"), await join()
    t = facilitator.state.t
    assert (await cjcs.act({"actor": "us-cjcs", "pass": True})).ok
    assert (await facilitator.advance()).ok
    await cjcs.wait_for(lambda: cjcs.state.t > t)


async def test_malformed_frames_get_errors_and_change_nothing(server: ExerciseServer,
                                                               join) -> None:
    hostile = await join("ru-cgs")
    for frame in BAD_FRAMES:
        await hostile.send_raw(frame)
    await hostile.wait_for(lambda: len(hostile.errors) == len(BAD_FRAMES))
    assert any("not JSON" in e for e in hostile.errors)
    assert any("binary frame" in e for e in hostile.errors)
    assert "type: expected one of hello, act, advance, ready, view" in hostile.errors
    nonsense = await hostile.act({"actor": 7, "do": "call"})  # a request, but not an action
    assert not nonsense.ok
    assert nonsense.error.startswith("not an action")
    assert hostile.connections == 1  # still the same connection
    assert server.exercise.session.actions == []
    await _play_on(server, join)


async def test_a_huge_frame_closes_only_that_connection(server: ExerciseServer, join) -> None:
    token = server.exercise.tokens.tokens["ru-cgs"]
    async with connect(server.url, max_size=None) as ws:
        await ws.send(Hello(token=token).model_dump_json())
        await ws.recv()  # the welcome
        await ws.send("x" * (MAX_FRAME + 1))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd.code == 1009  # message too big
    await _play_on(server, join)


async def test_garbage_before_hello_is_refused(server: ExerciseServer, join) -> None:
    for frame in ['{"v": 1, "type": "act", "id": 1, "action": {"note": "x"}}', "nonsense",
                  Hello(token="x" * 4096).model_dump_json()]:
        async with connect(server.url) as ws:
            await ws.send(frame)
            reply = json.loads(await ws.recv())
            assert reply["type"] == "error"
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)
    await _play_on(server, join)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(frame=st.one_of(
    st.text(max_size=300),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=4)
                 | st.dictionaries(st.sampled_from(["v", "type", "id", "action", "how", "ready",
                                                    "role", "token", "do", "actor", "note",
                                                    "pass", "call", "to", "channel"]), inner,
                                   max_size=5), max_leaves=12).map(json.dumps)),
       seat=st.sampled_from(["facilitator", "ru-cgs"]))
def test_any_frame_is_refused_with_a_reason_or_answered(make_exercise, frame: str,
                                                        seat: str) -> None:
    exercise = _shared(make_exercise)
    try:
        message = parse_client(frame)
    except ProtocolError as exc:
        reason = str(exc)  # what the client is sent
        assert reason, frame
        return
    if isinstance(message, Hello):
        return  # the server answers a second hello itself
    ack = exercise.handle(seat, message)  # never raises: every request gets its answer
    assert ack.id == message.id
    assert ack.ok or ack.error


_EXERCISES: dict[int, Exercise] = {}


def _shared(make_exercise) -> Exercise:
    """One exercise for all examples of a test run (making one per example would be slow)."""
    key = id(make_exercise)
    if key not in _EXERCISES:
        _EXERCISES.clear()
        _EXERCISES[key] = make_exercise()
    return _EXERCISES[key]


async def test_a_client_that_never_reads_is_dropped(make_exercise, monkeypatch) -> None:
    monkeypatch.setattr("sim.net.server.MAX_BACKLOG", 4)
    monkeypatch.setattr("sim.net.server.SEND_BUFFER", 8192)
    server = ExerciseServer(make_exercise())
    await server.start()
    tokens = server.exercise.tokens.tokens
    # a socket with a tiny receive window that says hello and then never reads
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    sock.connect(("127.0.0.1", server.port))
    async with connect(server.url, sock=sock, max_size=None) as lazy:
        await lazy.send(Hello(token=tokens["ru-cgs"]).model_dump_json())
        lazy.transport.pause_reading()
        from sim.net.client import SeatClient

        facilitator = SeatClient(server.url, tokens["facilitator"])
        await facilitator.connect()
        try:
            for n in range(200):
                assert (await facilitator.act({"note": f"note {n} " + "x" * 2000})).ok
                if "ru-cgs" not in server.live:
                    break
            assert "ru-cgs" not in server.live
            assert all(c.outbox.qsize() <= 4 for c in server.live.values())
            assert (await facilitator.advance()).ok  # the exercise goes on
        finally:
            await facilitator.close()
            lazy.transport.abort()  # it would never read the close handshake either
    await server.stop()
    server.exercise.journal.close()
