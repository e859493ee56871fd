"""Invariants of every run, over generated small scenarios and seeds (hypothesis)."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.engine.records import Record
from sim.engine.world import World
from sim.scenario import Scenario

from .helpers import LADDER, QUESTION

START = datetime(2022, 11, 15, 12, tzinfo=UTC)
ZONES = ("UTC", "Asia/Tokyo", "America/New_York", "Europe/Moscow")
HORIZON = 8 * 60
#: A run that logs this much is cut short: rules with `repeat` can feed each other forever.
MAX_RECORDS = 2000

minutes = st.integers(0, 90).map(lambda m: f"{m}m")


@st.composite
def durations(draw: st.DrawFn) -> Any:
    """A fixed duration (times collide often), or now and then a random one."""
    return draw(st.one_of(
        minutes, minutes,
        st.builds(lambda lo, hi: {"uniform": {"low": f"{lo}m", "high": f"{lo + hi}m"}},
                  st.integers(0, 30), st.integers(0, 30)),
        st.integers(1, 40).map(lambda m: {"exponential": {"mean": f"{m}m"}}),
    ))


@st.composite
def windows(draw: st.DrawFn) -> list[dict[str, str]]:
    out = []
    for _ in range(draw(st.integers(0, 2))):
        start, length = draw(st.integers(0, HORIZON)), draw(st.integers(0, 120))
        out.append({"start": f"{start}m", "end": f"{start + length}m"})
    return out


@st.composite
def belief(draw: st.DrawFn) -> dict[str, float] | None:
    if draw(st.booleans()):
        return None
    red = draw(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]))
    return {"red": red, "blue": 1 - red}


#: Chances of something happening (listed first: the simplest case hypothesis shrinks to).
likely = st.sampled_from([1.0, 0.5, 0.0])
#: Chances of something going wrong.
unlikely = st.sampled_from([0.0, 0.3, 1.0])


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    ids = [f"p{i}" for i in range(draw(st.integers(2, 4)))]
    pick2 = st.lists(st.sampled_from(ids), min_size=2, max_size=len(ids), unique=True)
    actors = []
    for i in ids:
        a: dict[str, Any] = {"id": i, "name": i, "side": "x", "timezone": draw(st.sampled_from(ZONES)),
                             "unreachable": draw(windows()), "no_answer": draw(unlikely),
                             "trust_default": draw(st.sampled_from([0.0, 0.5, 1.0])),
                             "belief": draw(belief()), "off_duty_delay": draw(durations()),
                             "response": {k: draw(durations()) for k in
                                          draw(st.sets(st.sampled_from(["call", "message", "broadcast"])))}}
        if draw(st.booleans()):
            a["working_hours"] = {"start": "08:00", "end": draw(st.sampled_from(["18:00", "02:00"]))}
        if draw(st.booleans()):
            a["posture"] = draw(st.sampled_from([lv["id"] for lv in LADDER]))
        actors.append(a)
    channels: list[dict[str, Any]] = []
    for n in range(draw(st.integers(1, 3))):
        ends = draw(pick2)[:2]
        channels.append({"id": f"call{n}", "kind": "call", "ends": ends, "setup": draw(durations()),
                         "answer": draw(likely), "ring_timeout": draw(minutes),
                         "retry": {"attempts": draw(st.integers(0, 3)), "interval": draw(durations())},
                         "duration": draw(durations()), "down": draw(windows())})
        if draw(st.booleans()):
            channels[-1]["up"] = draw(windows())
    if draw(st.booleans()):
        channels.append({"id": "mail", "kind": "message", "members": draw(pick2),
                         "latency": draw(durations()), "loss": draw(unlikely),
                         "down": draw(windows())})
    if draw(st.booleans()):
        publishers = draw(pick2)[:1]
        audience = draw(st.one_of(st.just("all"), pick2))
        channels.append({"id": "news", "kind": "broadcast", "publishers": publishers,
                         "audience": audience, "latency": draw(durations())})
    if draw(st.booleans()):
        channels.append({"id": "council", "kind": "meeting", "members": draw(pick2),
                         "convene": draw(durations()), "duration": draw(durations()),
                         "down": draw(windows())})
    injects = []
    for n in range(draw(st.integers(0, 3))):
        inj: dict[str, Any] = {"id": f"i{n}", "title": f"inject {n}", "to": draw(pick2)[:1],
                               "probability": draw(likely)}
        if n and draw(st.booleans()):
            inj["when"] = {"inject": f"i{n - 1}"}
        else:
            inj["at"] = draw(durations())
        if draw(st.booleans()):
            inj["claim"] = {"hypothesis": draw(st.sampled_from(["red", "blue"])),
                            "confidence": draw(st.sampled_from([0.3, 0.8, 1.0]))}
        if any(c["id"] == "news" for c in channels) and draw(st.booleans()):
            inj["via"] = "news"
        injects.append(inj)

    def actions(who: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [{"posture": {"raise": 1}}, {"posture": {"lower": 1}},
                                     {"posture": {"set": "crisis"}}]
        for c in channels:
            if c["kind"] == "call" and who in c["ends"]:
                other = next(e for e in c["ends"] if e != who)
                out.append({"call": {"to": other, "channel": c["id"]}})
            elif c["kind"] == "message" and who in c["members"]:
                out += [{"message": {"to": [m], "channel": c["id"]}} for m in c["members"] if m != who]
            elif c["kind"] == "broadcast" and who in c["publishers"]:
                out.append({"statement": {"channel": c["id"]}})
            elif c["kind"] == "meeting" and who in c["members"]:
                out.append({"convene": c["id"]})
        return out

    triggers: list[Any] = [st.just({"start": True}), minutes.map(lambda m: {"at": m}),
                           st.just({"received": {"hypothesis": "red"}}),
                           st.sampled_from(ids).map(lambda i: {"contact": i}),
                           st.just({"call_failed": {}}),
                           st.just({"posture": {"at_least": "alert"}}),
                           st.just({"belief": {"hypothesis": "red", "above": 0.7}})]
    if injects:
        triggers.append(st.sampled_from([i["id"] for i in injects]).map(lambda i: {"inject": i}))
    if any(c["id"] == "council" for c in channels):
        triggers.append(st.just({"meeting": "council"}))
    rules = []
    for n in range(draw(st.integers(1, 6))):
        who = draw(st.sampled_from(ids))
        # the first rule makes something happen at a fixed time; the others react
        when = draw(minutes.map(lambda m: {"at": m}) if n == 0 else st.one_of(*triggers))
        rule: dict[str, Any] = {"id": f"r{n}", "actor": who, "when": when,
                                "do": draw(st.sampled_from(actions(who)[::-1])), "delay": draw(durations()),
                                "probability": draw(likely), "repeat": draw(st.booleans())}
        if draw(st.booleans()):
            rule["if"] = [draw(st.sampled_from([{"before": "4h"}, {"after": "30m"},
                                                {"posture": {"at_most": "alert"}},
                                                {"not_contacted": draw(st.sampled_from(ids))}]))]
        rules.append(rule)
    data = {"hotline": 1, "id": "generated", "title": "Generated", "start": START.isoformat(),
            "duration": f"{HORIZON}m", "question": QUESTION, "ladder": LADDER, "actors": actors,
            "channels": channels, "injects": injects, "rules": rules}
    return Scenario.model_validate(data, context={"start": START})


def play(scenario: Scenario, seed: int) -> list[Record]:
    """Run to the horizon, or until the log is long enough to judge."""
    world = World(scenario, seed, {})
    env = world.env
    while env.peek() < HORIZON and len(world.log) < MAX_RECORDS:
        env.step()
    return world.log


def up(channel: Any, t: float) -> bool:
    """Whether a channel works at `t`, read from its windows."""
    if channel.up is not None and not any(w.start <= t < w.end for w in channel.up):
        return False
    return not any(w.start <= t < w.end for w in channel.down)


def check_invariants(scenario: Scenario, log: list[Record]) -> None:
    channels = {c.id: c for c in scenario.channels}
    actors = {a.id: a for a in scenario.actors}
    ladder = [lv.id for lv in scenario.ladder]
    engaged: dict[str, int] = defaultdict(int)
    last = 0.0
    for r in log:
        assert r.t >= last, f"time went back: {r}"
        last = r.t
        if r.kind == "call_connected":
            ends = (r.actor, r.counterpart)
            assert up(channels[r.channel], r.t), f"connected over a down channel: {r}"
            for who in ends:
                assert not any(w.start <= r.t < w.end for w in actors[who].unreachable), (
                    f"connected to an unreachable actor: {r}")
                assert engaged[who] == 0, f"connected {who} while engaged: {r}"
            for who in ends:
                engaged[who] += 1
        elif r.kind == "call_ended":
            engaged[r.actor] -= 1
            engaged[r.counterpart] -= 1
        elif r.kind == "meeting_convened":
            assert up(channels[r.channel], r.t), f"convened over a down channel: {r}"
            for who in r.data["members"]:
                assert not any(w.start <= r.t < w.end for w in actors[who].unreachable), r
                assert engaged[who] == 0, f"{who} joined a meeting while engaged: {r}"
                engaged[who] += 1
        elif r.kind == "meeting_ended":
            for who in r.data.get("members", ()):
                engaged[who] -= 1
        elif r.kind == "belief":
            b = r.data["belief"]
            assert set(b) == {"red", "blue"}
            assert math.fsum(b.values()) == pytest.approx(1.0, abs=1e-9)
            assert all(0.0 <= p <= 1.0 for p in b.values()), r
        elif r.kind == "posture":
            assert 0 <= r.data["rung"] < len(ladder)
            assert r.data["level"] == ladder[r.data["rung"]]
            assert r.data["previous"] in ladder
            assert r.data["previous"] != r.data["level"]
        assert all(v >= 0 for v in engaged.values())
        line = r.dumps()
        back = Record.from_json(json.loads(line))
        assert back.to_json() == r.to_json()
        assert back.dumps() == line


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 2**32))
def test_every_run_keeps_the_invariants(scenario: Scenario, seed: int) -> None:
    log = play(scenario, seed)
    check_invariants(scenario, log)
    assert [r.dumps() for r in play(scenario, seed)] == [r.dumps() for r in log]  # same seed, same log
