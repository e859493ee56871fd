"""The exercise server: seats connect over WebSockets, prove their token, and play one Session.

One asyncio loop does everything, so requests are taken one at a time in arrival order and
the session needs no lock. Each connection has a bounded outbox drained by its own task: a
client that stops reading fills its outbox and is dropped (it may reconnect and catch up)
instead of making the host hold ever more memory. A frame that is not a valid message gets an
error back and changes nothing; a frame over `MAX_FRAME` closes that connection only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from sim.net.exercise import Exercise
from sim.net.protocol import MAX_FRAME, Ack, Hello, ProtocolError, Refused, parse_client

log = logging.getLogger("hotline.host")

#: Seconds a new connection has to say hello.
HELLO_TIMEOUT = 10.0

#: Messages waiting for one client before it is judged not to be reading and dropped.
MAX_BACKLOG = 256

#: The kernel's send buffer of each connection, in bytes: set (rather than left to grow to
#: megabytes) so that a client that stops reading is noticed while the host's memory is small.
SEND_BUFFER = 256 * 1024

#: WebSocket close codes the server uses (4000-4999 are the application's own).
CLOSE_BAD_HELLO, CLOSE_WRONG_TOKEN, CLOSE_SEAT_TAKEN, CLOSE_SLOW = 4400, 4401, 4409, 4408


@dataclass(eq=False)
class Connection:
    """One live seat: its socket, its outbox, and how much of its feed it has been sent."""

    seat: str
    ws: ServerConnection
    sent: int = 0
    """Records of the seat's feed sent so far."""
    outbox: asyncio.Queue[str] = field(default_factory=lambda: asyncio.Queue(MAX_BACKLOG))
    """Frames waiting to be written."""


class ExerciseServer:
    """Serves an `Exercise` on `host:port` until stopped."""

    def __init__(self, exercise: Exercise, host: str = "127.0.0.1", port: int = 0) -> None:
        self.exercise = exercise
        self.host = host
        self.port = port
        """The port; 0 until started, if a free one was asked for."""
        self.live: dict[str, Connection] = {}
        """The connected seats."""
        self._server: Server | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def url(self) -> str:
        """The address clients join."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"ws://{host}:{self.port}"

    async def start(self) -> None:
        """Listen; `port` is set once this returns."""
        # websockets' own keepalive finds dead peers; max_queue bounds what one client may
        # send ahead of being read
        self._server = await serve(self._seat, self.host, self.port, max_size=MAX_FRAME,
                                   max_queue=16, ping_interval=10, ping_timeout=20,
                                   close_timeout=2)
        self.port = self._server.sockets[0].getsockname()[1]
        self._ticker = asyncio.create_task(self._tick())

    async def stop(self) -> None:
        """Close every connection and stop listening."""
        if self._ticker is not None:
            self._ticker.cancel()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _tick(self) -> None:
        """End a turn whose timer ran out."""
        while True:
            await asyncio.sleep(0.25)
            try:
                if self.exercise.tick():
                    self.broadcast()
            except Exception:
                log.exception("the turn timer failed")

    # -- one connection --------------------------------------------------------------------------

    async def _seat(self, ws: ServerConnection) -> None:
        peer = ws.remote_address
        sock = ws.transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        conn = await self._admit(ws)
        if conn is None:
            return
        seat = conn.seat
        writer = asyncio.create_task(self._write(conn))
        try:
            async for frame in ws:
                self._take(conn, frame)
        except ConnectionClosed:
            pass
        finally:
            writer.cancel()
            if self.live.get(seat) is conn:
                del self.live[seat]
                self.exercise.connected.discard(seat)
                log.info("seat %s left (%s)", seat, peer)
                self.broadcast()

    async def _admit(self, ws: ServerConnection) -> Connection | None:
        """Read the hello; refuse (and log) a bad one, a wrong token, or a seat in use."""
        peer = ws.remote_address
        try:
            first = await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT)
            hello = parse_client(first)
            if not isinstance(hello, Hello):
                raise ProtocolError("expected a hello with the seat's token first")
        except (TimeoutError, ConnectionClosed):
            return None
        except ProtocolError as exc:
            log.warning("refused a connection from %s: %s", peer, exc)
            await _refuse(ws, CLOSE_BAD_HELLO, str(exc))
            return None
        seat = self.exercise.tokens.seat_for(hello.token)
        if seat is None:
            log.warning("refused a connection from %s: wrong token", peer)
            await _refuse(ws, CLOSE_WRONG_TOKEN, "wrong token; expected one that hotline host "
                          "printed for this exercise")
            return None
        if seat in self.live:
            log.warning("refused a connection from %s: the token of seat %s is in use", peer, seat)
            await _refuse(ws, CLOSE_SEAT_TAKEN, f"the seat {seat} is already connected; a token "
                          "opens one connection at a time")
            return None
        conn = Connection(seat, ws)
        self.live[seat] = conn
        self.exercise.connected.add(seat)  # before the welcome: the seat sees itself online
        welcome = self.exercise.welcome(seat, hello.since)
        conn.sent = welcome.first + len(welcome.records)
        conn.outbox.put_nowait(welcome.model_dump_json())
        log.info("seat %s joined from %s (had %d records, sent %d)", seat, peer, hello.since,
                 len(welcome.records))
        self.broadcast(but=conn)
        return conn

    def _take(self, conn: Connection, frame: str | bytes) -> None:
        """Handle one frame of a connected seat."""
        try:
            request = parse_client(frame)
        except ProtocolError as exc:
            log.info("seat %s sent a bad frame: %s", conn.seat, exc)
            self._send(conn, Refused(error=str(exc)).model_dump_json())
            return
        if isinstance(request, Hello):
            self._send(conn, Refused(error="already connected; hello comes once").model_dump_json())
            return
        try:
            ack = self.exercise.handle(conn.seat, request)
        except Exception as exc:  # a fault of ours must not take the exercise down
            log.exception("request of seat %s failed", conn.seat)
            ack = Ack(id=request.id, ok=False, error=f"internal error: {type(exc).__name__}")
        self.broadcast()  # the seats see what happened before the actor hears it was done
        self._send(conn, ack.model_dump_json())

    async def _write(self, conn: Connection) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                await conn.ws.send(await conn.outbox.get())

    def _send(self, conn: Connection, frame: str) -> None:
        try:
            conn.outbox.put_nowait(frame)
        except asyncio.QueueFull:
            log.warning("seat %s does not read what it is sent: dropped (it may reconnect)",
                        conn.seat)
            self.live.pop(conn.seat, None)
            self.exercise.connected.discard(conn.seat)
            task = asyncio.create_task(conn.ws.close(CLOSE_SLOW, "not reading; reconnect"))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def broadcast(self, but: Connection | None = None) -> None:
        """Send every connected seat (but one) its new records and the state."""
        for conn in list(self.live.values()):
            if conn is but:
                continue
            update = self.exercise.update(conn.seat, conn.sent)
            conn.sent += len(update.records)
            self._send(conn, update.model_dump_json())


async def _refuse(ws: ServerConnection, code: int, why: str) -> None:
    with contextlib.suppress(ConnectionClosed):
        await ws.send(Refused(error=why).model_dump_json())
        await ws.close(code, why[:120])
