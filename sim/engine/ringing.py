"""Calls that ring for a person: a seated player picks up, declines, or lets it ring.

An actor whom nobody plays answers by the channel's answer model. A seat's actor is a person
at a keyboard: when a call reaches them, the line rings (`call_ringing`), play pauses, and the
call waits for the player's answer until the ring times out. The answer is an action in the
journal like any other, so a replay rings and is answered at the same minute.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import simpy

    from sim.engine.world import World
    from sim.scenario.channels import CallChannel


class NothingRingingError(LookupError):
    """An answer given when no call rings for that actor."""


class Switchboard:
    """Which actors a person answers for, and the calls ringing for them now."""

    def __init__(self) -> None:
        self.live: set[str] = set()
        """Actors whose calls wait for a person's answer (a session's seats while it is played)."""
        self.pending: dict[str, list[simpy.Event]] = {}
        """Per actor, the calls ringing for them, oldest first."""

    def rings_for_person(self, callee: str) -> bool:
        """Whether a call to `callee` waits for a person."""
        return callee in self.live

    def ringing(self, callee: str) -> bool:
        """Whether a call rings for `callee` now."""
        return bool(self.pending.get(callee))

    def ring(self, world: World, caller: str, callee: str, channel: CallChannel,
             attempt: int) -> Generator[Any, Any, bool | None]:
        """Ring until the person answers or the ring times out; the caller waits meanwhile.

        Returns True if taken, False if declined, None if it rang out unanswered.
        """
        ring = world.value(channel.ring_timeout)
        world.emit("call_ringing", callee, caller, channel.id, attempt=attempt,
                   until=round(world.now + ring, 6))
        pick = world.env.event()
        self.pending.setdefault(callee, []).append(pick)
        done = yield pick | world.env.timeout(ring)
        waiting = self.pending.get(callee, [])
        if pick in waiting:
            waiting.remove(pick)
        return bool(pick.value) if pick in done else None

    def answer(self, callee: str, take: bool) -> None:
        """The person answers the oldest call ringing for them.

        Raises:
            NothingRingingError: no call rings for `callee`.
        """
        waiting = self.pending.get(callee)
        if not waiting:
            raise NothingRingingError(f"no call is ringing for {callee}")
        waiting.pop(0).succeed(take)
