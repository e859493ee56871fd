"""The exercise protocol: versioned JSON messages between `hotline host` and its seats.

Every frame is one JSON object with `v` (the protocol version) and `type`. The client speaks
first with `hello` and its seat's token; after that it sends requests, each with an `id`
that the server's `ack` repeats. The server pushes a `welcome` after a good hello and an
`update` whenever the exercise moves; both carry only what the seat may see. docs/protocol.md
describes every message with examples.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

#: The protocol's version: a client of another version is refused with a clear error.
VERSION = 1

#: The largest frame the server reads; a bigger one closes that connection (websockets: 1009).
MAX_FRAME = 64 * 1024

#: The longest token, note or name the server looks at.
MAX_TEXT = 4096


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    v: Literal[1] = VERSION
    """The protocol version."""


# -- client to server ----------------------------------------------------------------------


class Hello(_Message):
    """The first message of a connection: which seat, proven by its token."""

    type: Literal["hello"] = "hello"
    token: str = Field(max_length=MAX_TEXT)
    """The seat's token, as `hotline host` printed it."""
    since: int = Field(default=0, ge=0)
    """How many records of the seat's feed the client holds already (0: none)."""


class Act(_Message):
    """Do an action now (a `SessionAction` as JSON); the server checks it."""

    type: Literal["act"] = "act"
    id: int = Field(ge=0)
    """The request's number, repeated in the `ack`."""
    action: dict[str, Any]
    """The action: `{"actor": ..., "do": {...}}`, `{"note": ...}`, `{"inject": ...}`..."""


class Advance(_Message):
    """Facilitator: move the clock to the end of the turn, or to the next event."""

    type: Literal["advance"] = "advance"
    id: int = Field(ge=0)
    """The request's number."""
    how: Literal["turn", "event"] = "turn"
    """`turn` or `event`."""


class Ready(_Message):
    """A player says it has done what it wanted this turn (or takes that back)."""

    type: Literal["ready"] = "ready"
    id: int = Field(ge=0)
    """The request's number."""
    ready: bool = True
    """True: done deciding; False: still deciding."""


class ViewOf(_Message):
    """Facilitator: the view of another seat (a player asking gets an error, and nothing else)."""

    type: Literal["view"] = "view"
    id: int = Field(ge=0)
    """The request's number."""
    role: str = Field(max_length=200)
    """An actor id, or `facilitator`."""


ClientMessage = Annotated[Hello | Act | Advance | Ready | ViewOf, Field(discriminator="type")]
"""Anything a client may send."""

_CLIENT = TypeAdapter(ClientMessage)


class ProtocolError(ValueError):
    """A frame that is not a valid client message; the text says what was expected."""


def parse_client(frame: str | bytes) -> Hello | Act | Advance | Ready | ViewOf:
    """Read one client frame.

    Raises:
        ProtocolError: not JSON, not an object, another version, or fields of the wrong type.
    """
    if isinstance(frame, bytes):
        raise ProtocolError("binary frame; expected a JSON text frame")
    try:
        return _CLIENT.validate_json(frame)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "message"
        if first["type"] == "json_invalid":
            raise ProtocolError("not JSON; expected one JSON object per frame") from None
        if first["type"] in ("union_tag_not_found", "union_tag_invalid"):
            raise ProtocolError("type: expected one of hello, act, advance, ready, view") from None
        raise ProtocolError(f"{where}: {first['msg']}") from None


# -- server to client ----------------------------------------------------------------------


class SeatState(BaseModel):
    """Where the exercise stands, as one seat may see it."""

    model_config = ConfigDict(frozen=True)
    t: float
    """Minutes since the scenario's start."""
    turn: int
    """The current turn, from 1."""
    clock_utc: str
    """Scenario time, e.g. `2022-11-15 15:40 UTC`."""
    paused: bool
    """Play stopped mid-turn for the facilitator."""
    finished: bool
    """The scenario's time ran out, or the run halted."""
    halted: str | None = None
    """Why the run stopped for good, if it did."""
    actors: list[dict[str, Any]]
    """What the seat sees of each actor (`ActorView` fields)."""
    channels: list[tuple[str, str, str]]
    """The seat's channels: (id, kind, up|busy|down)."""
    deciding: list[str]
    """The player seats that have not said ready this turn."""
    connected: list[str]
    """The seats with a live connection."""
    turns: str
    """How turns end: `facilitator`, or `ready` (every connected player ready)."""
    timer_left: float | None = None
    """Seconds until the turn timer ends the turn, if there is one."""
    truth: str | None = None
    """The ground truth: only in the facilitator's state."""


class Welcome(_Message):
    """The answer to a good hello: the seat, what it may know of the scenario, what it missed."""

    type: Literal["welcome"] = "welcome"
    seat: str
    """`facilitator` or the actor id of the seat."""
    scenario: dict[str, Any]
    """The scenario, without what the seat may not know (ground truth, rules, evidence)."""
    first: int
    """The index in the seat's feed of the first record sent (the hello's `since`)."""
    records: list[dict[str, Any]]
    """The records the client did not have yet."""
    state: SeatState
    """Where the exercise stands."""


class Update(_Message):
    """The exercise moved: the seat's new records and state."""

    type: Literal["update"] = "update"
    first: int
    """The index in the seat's feed of the first record sent."""
    records: list[dict[str, Any]]
    """New records of the seat's feed."""
    state: SeatState
    """Where the exercise stands now."""


class Ack(_Message):
    """The answer to a request: done (on disk), or refused and why."""

    type: Literal["ack"] = "ack"
    id: int
    """The request's number."""
    ok: bool
    """Whether it was done."""
    error: str | None = None
    """Why not."""
    view: dict[str, Any] | None = None
    """For `view`: the other seat's records and state."""


class Refused(_Message):
    """A frame the server could not use; the connection stays open, unless it said hello badly."""

    type: Literal["error"] = "error"
    error: str
    """What was wrong and what was expected."""


ServerMessage = Annotated[Welcome | Update | Ack | Refused, Field(discriminator="type")]
"""Anything the server sends."""

SERVER = TypeAdapter(ServerMessage)
"""Reads server frames (the client's side)."""
