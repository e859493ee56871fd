"""A real exercise server on loopback, and seats joined to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from sim.catalog import default_scenario
from sim.engine.session import FACILITATOR
from sim.net.client import SeatClient
from sim.net.exercise import Exercise
from sim.net.hosting import new_exercise
from sim.net.server import ExerciseServer
from sim.scenario import Scenario, load_scenario

#: The seats the tests play: five actors of the Przewodów scenario.
PLAYERS = ("us-cjcs", "ru-cgs", "pl-president", "us-president", "nato-sg")


@pytest.fixture(scope="session")
def poland() -> tuple[Path, Scenario]:
    """The shipped scenario, loaded once."""
    path = default_scenario()
    return path, load_scenario(path)


@pytest.fixture
def make_exercise(poland: tuple[Path, Scenario], tmp_path: Path) -> Callable[..., Exercise]:
    """Make a new exercise with a journal in tmp_path."""
    def make(**kwargs: object) -> Exercise:
        path, scenario = poland
        return new_exercise(path, scenario, tmp_path / "ex.jsonl",
                            seats=kwargs.pop("seats", PLAYERS), seed=3, **kwargs)  # type: ignore[arg-type]
    return make


@pytest.fixture
async def server(make_exercise: Callable[..., Exercise]) -> AsyncIterator[ExerciseServer]:
    """A server of a new exercise (facilitator's turns), listening on a free loopback port."""
    srv = ExerciseServer(make_exercise())
    await srv.start()
    yield srv
    await srv.stop()
    srv.exercise.journal.close()


@pytest.fixture
async def join(server: ExerciseServer) -> AsyncIterator[Callable[..., object]]:
    """Join seats of `server` by name; every client is closed at the end."""
    clients: list[SeatClient] = []

    async def joined(seat: str = FACILITATOR) -> SeatClient:
        client = SeatClient(server.url, server.exercise.tokens.tokens[seat])
        await client.connect()
        clients.append(client)
        return client

    yield joined
    for client in clients:
        await client.close()


class ThreadedHost:
    """A server on a loop of its own thread: for callers that block (the seat app's link)."""

    def __init__(self, exercise: Exercise) -> None:
        import asyncio
        import threading

        self.server = ExerciseServer(exercise)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.run(self.server.start())

    def run(self, coroutine: object) -> object:
        """Run a coroutine on the server's loop and wait for it."""
        import asyncio

        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)  # type: ignore[arg-type]

    def client(self, seat: str) -> SeatClient:
        """A connected client of `seat`, living on the server's loop."""
        client = SeatClient(self.server.url, self.server.exercise.tokens.tokens[seat])
        self.run(client.connect())
        return client

    def close(self) -> None:
        """Stop the server and its thread."""
        self.run(self.server.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.server.exercise.journal.close()


@pytest.fixture
def host(make_exercise: Callable[..., Exercise]) -> object:
    """A threaded host of a new exercise."""
    threaded = ThreadedHost(make_exercise())
    yield threaded
    threaded.close()
