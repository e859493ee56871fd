"""A seat's end of the exercise protocol: connect with a token, mirror the seat's feed, reconnect.

`SeatClient` is asyncio; `SeatLink` runs one in a thread of its own for a program that is not
(the Textual seat, which calls it from its UI thread and workers). The mirror holds only what
the server sent: this seat's feed and state. After a cut the client reconnects with the same
token and the number of records it holds, and the server sends what it missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from sim.net.protocol import (
    SERVER,
    Ack,
    Act,
    Advance,
    Hello,
    Ready,
    Refused,
    SeatState,
    Update,
    ViewOf,
    Welcome,
)

T = TypeVar("T")

#: Close codes after which trying again cannot help (a bad hello, a wrong token).
FINAL_CODES = frozenset({4400, 4401})

#: Seconds between attempts to reconnect: the first, and the longest.
RETRY_FIRST, RETRY_MOST = 0.1, 2.0


class JoinError(Exception):
    """The seat could not be joined: the server refused it or cannot be reached."""


class SeatClient:
    """One seat's connection and its mirror of what the seat may see."""

    def __init__(self, url: str, token: str, *, on_change: Callable[[], None] | None = None,
                 reconnect: bool = True) -> None:
        self.url = url
        self.token = token
        self.on_change = on_change
        """Called (in the client's loop) after each welcome and update."""
        self.reconnect = reconnect
        """Whether a lost connection is tried again."""
        self.seat: str | None = None
        """The seat the token opens, once welcomed."""
        self.scenario: dict[str, Any] | None = None
        """The scenario as this seat may know it."""
        self.records: list[dict[str, Any]] = []
        """The seat's feed so far, in order."""
        self.state: SeatState | None = None
        """Where the exercise stands."""
        self.refused: str | None = None
        """Why the server refused the seat for good, if it did."""
        self.errors: list[str] = []
        """Errors the server sent about frames it could not use."""
        self.connections = 0
        self.online = False
        """Whether the seat is connected now (False while it reconnects)."""
        """How many times the seat was welcomed (more than 1: it reconnected)."""
        self._ws: ClientConnection | None = None
        self._runner: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[Ack]] = {}
        self._next = 0
        self._changed = asyncio.Event()
        self._welcomed = asyncio.Event()
        self._closing = False

    # -- connecting ------------------------------------------------------------------------------

    async def connect(self, timeout: float = 10) -> None:
        """Connect and wait for the welcome.

        Raises:
            JoinError: the token was refused, or no server answered in time.
        """
        self._runner = asyncio.create_task(self._run())
        try:
            await asyncio.wait_for(self._welcomed.wait(), timeout)
        except TimeoutError:
            await self.close()
            raise JoinError(self.refused or f"no exercise answered at {self.url}") from None
        if self.refused:
            raise JoinError(self.refused)

    async def _run(self) -> None:
        delay = RETRY_FIRST
        while not self._closing:
            code = None
            try:
                async with connect(self.url, max_size=None, open_timeout=5,
                                   ping_interval=10, ping_timeout=20) as ws:
                    self._ws = ws
                    await ws.send(Hello(token=self.token, since=len(self.records)).model_dump_json())
                    async for frame in ws:
                        self._take(frame)
                        delay = RETRY_FIRST
                code = ws.close_code
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else None
            except InvalidURI:
                self.refused = f"{self.url} is not an exercise address; expected ws://HOST:PORT"
            except (OSError, InvalidHandshake, TimeoutError):
                if not self.connections:  # never joined: a wrong address, not a restart
                    self.refused = f"no exercise answered at {self.url}"
            finally:
                self._ws = None
                if self.online:
                    self.online = False
                    self._wake()
                    if self.on_change is not None:
                        self.on_change()
                self._fail_pending()
            if code in FINAL_CODES or self.refused or not self.reconnect or self._closing:
                self._welcomed.set()  # a waiting `connect` learns it was refused
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MOST)

    def _fail_pending(self) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(ConnectionError(
                    "the connection was lost; the feed shows whether it was done"))
        self._pending.clear()

    def _take(self, frame: str | bytes) -> None:
        message = SERVER.validate_json(frame)
        if isinstance(message, Welcome):
            self.seat, self.scenario = message.seat, message.scenario
            self.connections += 1
            self.online = True
            self._apply(message.first, message.records, message.state)
            self._welcomed.set()
        elif isinstance(message, Update):
            self._apply(message.first, message.records, message.state)
        elif isinstance(message, Ack):
            future = self._pending.pop(message.id, None)
            if future is not None and not future.done():
                future.set_result(message)
        elif isinstance(message, Refused):
            if self.seat is None:
                self.refused = message.error
            self.errors.append(message.error)
            self._wake()

    def _apply(self, first: int, records: list[dict[str, Any]], state: SeatState) -> None:
        # the server sends from what we hold; anything else would be a gap, never filled wrongly
        if first <= len(self.records):
            self.records[first:] = records
        self.state = state
        self._wake()
        if self.on_change is not None:
            self.on_change()

    def _wake(self) -> None:
        """Let every `wait_for` look again."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def close(self) -> None:
        """Leave the exercise."""
        self._closing = True
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner

    async def cut(self) -> None:
        """Drop the connection as a network fault would; the client reconnects by itself."""
        if self._ws is not None:
            self._ws.transport.abort()

    # -- requests --------------------------------------------------------------------------------

    async def _request(self, make: Callable[[int], Act | Advance | Ready | ViewOf],
                       timeout: float = 30) -> Ack:
        if self._ws is None:
            raise ConnectionError("not connected to the exercise; reconnecting")
        self._next += 1
        future: asyncio.Future[Ack] = asyncio.get_running_loop().create_future()
        self._pending[self._next] = future
        await self._ws.send(make(self._next).model_dump_json())
        return await asyncio.wait_for(future, timeout)

    async def act(self, action: dict[str, Any]) -> Ack:
        """Do an action as this seat; the ack comes once it is on the host's disk."""
        return await self._request(lambda n: Act(id=n, action=action))

    async def advance(self, how: str = "turn") -> Ack:
        """Facilitator: end the turn, or run to the next event."""
        return await self._request(lambda n: Advance(id=n, how=how))  # type: ignore[arg-type]

    async def ready(self, ready: bool = True) -> Ack:
        """Say this seat is done deciding this turn (or not)."""
        return await self._request(lambda n: Ready(id=n, ready=ready))

    async def view_of(self, role: str) -> Ack:
        """Facilitator: another seat's view."""
        return await self._request(lambda n: ViewOf(id=n, role=role))

    async def send_raw(self, frame: str | bytes) -> None:
        """Send a frame as is (tests of a hostile client)."""
        if self._ws is not None:
            await self._ws.send(frame)

    async def wait_for(self, ready: Callable[[], bool], timeout: float = 10) -> None:
        """Wait until `ready()` holds after some update or error.

        Raises:
            TimeoutError: it did not within `timeout` seconds.
        """
        async def until() -> None:
            while not ready():
                await self._changed.wait()

        await asyncio.wait_for(until(), timeout)


class SeatLink:
    """A `SeatClient` on a loop in its own thread, for callers that are not asyncio."""

    def __init__(self, url: str, token: str, on_change: Callable[[], None] | None = None) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="hotline-seat",
                                        daemon=True)
        self._thread.start()
        try:
            self.client: SeatClient = self.call(_make(url, token, on_change))
        except BaseException:
            self._stop()
            raise

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Run a coroutine on the link's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def close(self) -> None:
        """Leave, and stop the thread."""
        with contextlib.suppress(Exception):
            self.call(self.client.close(), timeout=5)
        self._stop()

    def _stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


async def _make(url: str, token: str, on_change: Callable[[], None] | None) -> SeatClient:
    client = SeatClient(url, token, on_change=on_change)
    await client.connect()
    return client
