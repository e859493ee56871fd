"""The processes of two-way channels: calls (set-up, ringing, retries) and meetings.

Each is a SimPy process over a `World`: it reads and changes the world only through the
world's own methods (`emit`, `draw`, `chance`, `share`, `contact`, `trigger`). Each draws with
keys under the key of the action that started it, so calls do not shift one another's draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sim.engine.answering import answer_probability, first_slot
from sim.engine.escalation import decide
from sim.engine.moves import answer, choose, open_moves
from sim.engine.provenance import Said, relay
from sim.scenario.channels import CallChannel, MeetingChannel, MessageChannel
from sim.scenario.escalation import Decision
from sim.scenario.moves import Move

if TYPE_CHECKING:
    from sim.engine.keyed import Key
    from sim.engine.world import Process, World


def call(world: World, caller: str, callee: str, channel: CallChannel, key: Key, *,
         arranged: bool = False, said: Sequence[Move] = (), retry: bool = True) -> Process:
    """A caller's attempts on a call line: set-up, ringing, retries, then the call or giving up.

    An attempt fails for its real reason: the line is down, an end is unreachable or busy, nobody
    picks up in time (unanswered), or the callee sees it and does not take it (refused). The
    callee learns of every call that rang and was not taken (`call_missed`), and its rules may
    call back. `said` are moves a player chose for the caller, one a turn; without `retry` the
    caller makes one attempt (a player decides for itself whether to call again).
    """
    line = world.lines[channel.id]
    attempts = 1 + int(world.value(channel.retry.attempts)) if retry else 1
    me, them = world.actors[caller], world.actors[callee]
    for attempt in range(1, attempts + 1):
        at = (*key, "attempt", attempt)
        world.emit("call_attempt", caller, callee, channel.id, attempt=attempt)
        yield world.env.timeout(world.draw(channel.setup, (*at, "setup")))
        reason = None
        if not world.channel_up(channel):
            reason = "line down"
        elif them.unreachable(world.now) or me.unreachable(world.now):
            reason = "unreachable"
        elif them.engaged or me.engaged:
            reason = "busy"
        if reason is None:
            if world.switchboard.rings_for_person(callee):  # a player picks up, or does not
                taken = yield from world.switchboard.ring(world, caller, callee, channel, attempt)
                answered, declines, answer, ring = taken is not None, taken is False, 0.0, 0.0
            else:
                answer = world.respond_delay(callee, "call", at)
                p = answer_probability(channel.answer, world.value, arranged=arranged,
                                       off_duty=them.off_duty(world.now),
                                       trust=world.trust(callee, caller),
                                       gap=me.level - them.level, busy=them.busy(world.now))
                answered = world.chance(p, (*at, "answer"))
                declines = world.chance(them.actor.no_answer, (*at, "declines"))
                ring = world.value(channel.ring_timeout)
            if answered and not declines and answer <= ring:
                yield world.env.timeout(answer)
                if not (them.engaged or me.engaged or them.unreachable(world.now)
                        or me.unreachable(world.now) or not world.channel_up(channel)):
                    # claim both ends before yielding for the line: another call answered
                    # at this same minute must find them engaged, not connect as well
                    me.engaged += 1
                    them.engaged += 1
                    me.engagements.append(world.now)
                    them.engagements.append(world.now)
                    with line.request() as request:
                        yield request
                        yield from _connected(world, caller, callee, channel, attempt, key, said)
                    return
                reason = "busy"
            else:
                yield world.env.timeout(ring)
                reason = "refused" if answered and declines else "unanswered"
            _missed(world, caller, callee, channel, attempt, reason)
        world.emit("call_failed", caller, callee, channel.id, attempt=attempt, reason=reason)
        if attempt < attempts:
            yield world.env.timeout(world.draw(channel.retry.interval, (*at, "retry")))
    world.emit("call_gave_up", caller, callee, channel.id, attempts=attempts)
    world.trigger(caller, "call_failed", counterpart=callee, channel=channel.id)

def _missed(world: World, caller: str, callee: str, channel: CallChannel, attempt: int,
            reason: str) -> None:
    """The callee sees a call that rang and was not taken, and its rules may call back."""
    world.emit("call_missed", callee, caller, channel.id, attempt=attempt, reason=reason)
    world.trigger(callee, "missed_call", counterpart=caller, channel=channel.id)


def arrange(world: World, requester: str, target: str, channel: CallChannel, via: MessageChannel,
            within: float, prep: float, key: Key) -> Process:
    """Ask the far end's staff for a call: the request travels, a slot is agreed or refused.

    The request goes over the staff channel `via`; the target reads it after its message delay;
    its staff agree (with the call channel's `accept_request`) on the first 15-minute slot at
    least `prep` later and within `within` of the request at which both principals are on duty,
    reachable and the line is up; the call is then placed at the slot, as an arranged call.
    """
    asked = world.now
    world.emit("call_requested", requester, target, channel.id, via=via.id)
    lost = world.chance(via.loss, (*key, "loss")) or not world.channel_up(via)
    yield world.env.timeout(world.draw(via.latency, (*key, "latency")))
    if lost or not world.channel_up(via):
        world.emit("message_lost", requester, target, via.id)
        return
    yield world.env.timeout(world.respond_delay(target, "message", key))
    me, them = world.actors[requester], world.actors[target]

    def free(t: float) -> bool:
        return (world.channel_up(channel, t) and not me.off_duty(t) and not them.off_duty(t)
                and not me.unreachable(t) and not them.unreachable(t))

    slot = first_slot(world.now + prep, asked + within, free)
    if slot is None or not world.chance(channel.accept_request, (*key, "accepts")):
        reason = "no slot" if slot is None else "refused"
        world.emit("call_declined", target, requester, channel.id, reason=reason)
        world.trigger(requester, "call_failed", counterpart=target, channel=channel.id)
        return
    world.emit("call_arranged", target, requester, channel.id, slot=slot)
    yield world.env.timeout(slot - world.now)
    yield from call(world, requester, target, channel, key, arranged=True)


def make_move(world: World, speaker: str, listener: str, channel: str, move: Move) -> None:
    """One move on a call: logged, carried to the listener, and answered if it proposes a step."""
    kind = move.move
    said = None
    if kind in ("say", "deny"):
        said = world.said_by(speaker, move.claim, None) if move.claim else (
            world.assessment(speaker) if kind == "say" else None)
    elif kind == "share":
        held = world.actors[speaker].ledger.entries.values()
        wanted = [b for b in held if b.evidence is not None
                  and (not move.evidence or b.evidence in move.evidence)]
        bases = relay(wanted, speaker)
        if bases:
            said = Said(bases[0].hypothesis, bases[0].confidence, bases, speaker)
    if kind == "say" and (said is None or not said.bases) and not move.text:
        return  # nothing to pass and nothing said: the speaker holds no basis yet
    data = {"move": kind, "text": move.text}
    if move.measure:
        data["measure"] = move.measure
    if said is not None:
        data.update(world.claim_data(said))
    world.emit("call_move", speaker, listener, channel, **data)
    if said is not None and said.bases:
        world.receive(listener, said, speaker, channel, shared=True)
    world.trigger(listener, "move", move=kind, counterpart=speaker, measure=move.measure)
    if kind == "propose":
        moves = world.actors[listener].actor.moves
        verdict = answer(moves, move.measure, speaker, lambda m: world.holds(listener, m.if_))
        world.emit("call_move", listener, speaker, channel, move=verdict, text="",
                   measure=move.measure)
        world.trigger(speaker, "move", move=verdict, counterpart=listener, measure=move.measure)
        if verdict == "accept":
            world.emit("agreed", speaker, listener, channel, measure=move.measure)
            for side in (speaker, listener):
                world.trigger(side, "agreed", measure=move.measure)


def _decide(world: World, chair: str, channel: MeetingChannel, decision: Decision,
            present: list[str]) -> None:
    """A meeting's decision: each member present votes by its own conditions, the rule decides."""
    voters = [m for m in present if not decision.members or m in decision.members]
    votes = {m: world.holds(m, decision.if_) for m in voters}
    passed = decide(list(votes.values()), decision.rule)
    world.emit("decision", chair, None, channel.id, decision=decision.id, rule=decision.rule,
               passed=passed, votes=votes)
    for m in present:
        world.trigger(m, "decision", decision=decision.id, passed=passed)


def _connected(world: World, caller: str, callee: str, channel: CallChannel, attempt: int,
               key: Key, said: Sequence[Move]) -> Process:
    me, them = world.actors[caller], world.actors[callee]
    me.on_call_with, them.on_call_with = callee, caller  # `_call` has set both engaged
    world.emit("call_connected", caller, callee, channel.id, attempt=attempt)
    for turn in range(int(world.value(channel.turns))):
        for speaker, listener in ((caller, callee), (callee, caller)):
            scripted = list(said) if speaker == caller else []
            if scripted:
                move = scripted[min(turn, len(scripted) - 1)]
            else:
                own = world.actors[speaker].actor.moves
                u = world.uniform((*key, "turn", turn, speaker))
                move = choose(open_moves(own, listener), lambda m, s=speaker: world.holds(s, m.if_),
                              world.value, u)
            make_move(world, speaker, listener, channel.id, move)
    world.contact(caller, callee, channel.id)
    yield world.env.timeout(world.draw(channel.duration, (*key, "duration")))
    me.engaged -= 1
    them.engaged -= 1
    me.on_call_with = them.on_call_with = None
    world.emit("call_ended", caller, callee, channel.id)


def joining_time(world: World, channel: MeetingChannel, key: Key) -> float:
    """How long until every member has joined: the slowest `response.meeting` time to join.

    Members are summoned when the meeting is requested; each is drawn a time to join (plus the
    off-duty delay, like any response), whether or not it will be free.
    """
    return max(world.respond_delay(m, "meeting", key) for m in channel.members)


def meeting(world: World, chair: str, channel: MeetingChannel, key: Key) -> Process:
    """A meeting requested by `chair`: convenes when its members have joined, they share, it ends."""
    world.emit("meeting_requested", chair, None, channel.id)
    convene = world.draw(channel.convene, (*key, "convene"))
    yield world.env.timeout(max(convene, joining_time(world, channel, key)))
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
        state.engagements.append(world.now)
        state.in_meeting = channel.id
    # every member passes the others what it held when the meeting convened; a member with
    # moves of its own makes one instead, chosen by its rules, to everyone present
    held = {m: world.assessment(m) for m in present}
    movers = [m for m in present if world.actors[m].actor.moves]
    for m in present:
        for o in present:
            if o != m and o not in movers and held[o].bases:
                world.receive(m, held[o], o, channel.id, shared=True)
    for speaker in movers:
        move = choose(open_moves(world.actors[speaker].actor.moves, channel.id),
                      lambda mv, s=speaker: world.holds(s, mv.if_), world.value,
                      world.uniform((*key, "turn", speaker)))
        for listener in present:
            if listener != speaker:
                make_move(world, speaker, listener, channel.id, move)
    for decision in channel.decisions:
        _decide(world, chair, channel, decision, present)
    for i, a in enumerate(present):
        for b in present[i + 1:]:
            world.actors[a].contacts.add(b)
            world.actors[b].contacts.add(a)
    for m in present:
        world.trigger(m, "meeting", channel=channel.id)
        for o in present:
            if o != m:
                world.trigger(m, "contact", counterpart=o, channel=channel.id)
    yield world.env.timeout(world.draw(channel.duration, (*key, "duration")))
    for m in present:
        state = world.actors[m]
        state.engaged -= 1
        state.in_meeting = None
    world.emit("meeting_ended", chair, None, channel.id, members=present)
