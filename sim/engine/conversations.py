"""The processes of two-way channels: calls (set-up, ringing, retries) and meetings.

Each is a SimPy process over a `World`: it reads and changes the world only through the
world's own methods (`emit`, `draw`, `chance`, `set_belief`, `contact`, `trigger`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.engine import policy
from sim.scenario.channels import CallChannel, MeetingChannel

if TYPE_CHECKING:
    from sim.engine.world import Process, World


def call(world: World, caller: str, callee: str, channel: CallChannel) -> Process:
    """A caller's attempts on a call line: set-up, ringing, retries, then the call or giving up."""
    stream = f"channel:{channel.id}"
    line = world.lines[channel.id]
    attempts = 1 + int(world.value(channel.retry.attempts))
    me, them = world.actors[caller], world.actors[callee]
    for attempt in range(1, attempts + 1):
        world.emit("call_attempt", caller, callee, channel.id, attempt=attempt)
        yield world.env.timeout(world.draw(channel.setup, stream))
        reason = None
        if not world.channel_up(channel):
            reason = "line down"
        elif them.unreachable(world.now) or me.unreachable(world.now):
            reason = "unreachable"
        elif them.engaged or me.engaged:
            reason = "busy"
        if reason is None:
            answer = world.respond_delay(callee, "call")
            # both draws always happen, so the line's answer probability does not decide
            # whether the callee's stream moves on
            answered = world.chance(channel.answer, stream)
            declines = world.chance(them.actor.no_answer, f"actor:{callee}:call")
            picks_up = answered and not declines
            ring = world.value(channel.ring_timeout)
            if picks_up and answer <= ring:
                yield world.env.timeout(answer)
                if not (them.engaged or me.engaged or them.unreachable(world.now)
                        or me.unreachable(world.now) or not world.channel_up(channel)):
                    # claim both ends before yielding for the line: another call answered
                    # at this same minute must find them engaged, not connect as well
                    me.engaged += 1
                    them.engaged += 1
                    with line.request() as request:
                        yield request
                        yield from _connected(world, caller, callee, channel, attempt)
                    return
                reason = "busy"
            else:
                yield world.env.timeout(ring)
                reason = "unanswered"
        world.emit("call_failed", caller, callee, channel.id, attempt=attempt, reason=reason)
        if attempt < attempts:
            yield world.env.timeout(world.draw(channel.retry.interval, stream))
    world.emit("call_gave_up", caller, callee, channel.id, attempts=attempts)
    world.trigger(caller, "call_failed", counterpart=callee, channel=channel.id)

def _connected(world: World, caller: str, callee: str, channel: CallChannel, attempt: int) -> Process:
    me, them = world.actors[caller], world.actors[callee]
    me.on_call_with, them.on_call_with = callee, caller  # `_call` has set both engaged
    world.emit("call_connected", caller, callee, channel.id, attempt=attempt)
    mine, theirs = dict(me.belief), dict(them.belief)
    world.set_belief(caller, policy.pool(mine, theirs, world.trust(caller, callee)), callee)
    world.set_belief(callee, policy.pool(theirs, mine, world.trust(callee, caller)), caller)
    world.contact(caller, callee, channel.id)
    yield world.env.timeout(world.draw(channel.duration, f"channel:{channel.id}"))
    me.engaged -= 1
    them.engaged -= 1
    me.on_call_with = them.on_call_with = None
    world.emit("call_ended", caller, callee, channel.id)


def joining_time(world: World, channel: MeetingChannel) -> float:
    """How long until every member has joined: the slowest `response.meeting` time to join.

    Members are summoned when the meeting is requested; each is drawn a time to join (plus the
    off-duty delay, like any response), on its own stream, whether or not it will be free.
    """
    return max(world.respond_delay(m, "meeting") for m in channel.members)


def meeting(world: World, chair: str, channel: MeetingChannel) -> Process:
    """A meeting requested by `chair`: convenes when its members have joined, pools, then ends."""
    stream = f"channel:{channel.id}"
    world.emit("meeting_requested", chair, None, channel.id)
    convene = world.draw(channel.convene, stream)
    yield world.env.timeout(max(convene, joining_time(world, channel)))
    start = world.next_up(channel)
    if start is None:
        world.emit("meeting_ended", chair, None, channel.id, reason="channel never up")
        return
    yield world.env.timeout(start - world.now)
    # members on a call (or in another meeting) are busy, like the unreachable: they miss it
    present = [m for m in channel.members
               if not world.actors[m].unreachable(world.now) and not world.actors[m].engaged]
    world.emit("meeting_convened", chair, None, channel.id, members=present)
    for m in present:
        state = world.actors[m]
        state.engaged += 1
        state.in_meeting = channel.id
    beliefs = {m: dict(world.actors[m].belief) for m in present}
    for m in present:
        others = [o for o in present if o != m]
        weights = {o: world.trust(m, o) for o in others}
        total = sum(weights.values())
        if total > 0:
            mean = {h: sum(weights[o] * beliefs[o][h] for o in others) / total
                    for h in beliefs[m]}
            world.set_belief(m, policy.pool(beliefs[m], mean, total / len(others)), channel.id)
    for i, a in enumerate(present):
        for b in present[i + 1:]:
            world.actors[a].contacts.add(b)
            world.actors[b].contacts.add(a)
    for m in present:
        world.trigger(m, "meeting", channel=channel.id)
        for o in present:
            if o != m:
                world.trigger(m, "contact", counterpart=o, channel=channel.id)
    yield world.env.timeout(world.draw(channel.duration, stream))
    for m in present:
        state = world.actors[m]
        state.engaged -= 1
        state.in_meeting = None
    world.emit("meeting_ended", chair, None, channel.id, members=present)
