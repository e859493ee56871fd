"""Zero-delay cycles among rules, found statically for `hotline validate` to warn about.

Rules with `repeat: true` that set each other off with no time passing (no rule delay, a
channel with no latency, no response delay) loop for ever at one instant; the engine stops such
a run (`sim.engine.runaway`), and this finds the loops it can see before any run. It follows
messages, statements and posture moves, the actions whose whole path can take no time; calls
and meetings always ring or convene, so they are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sim.scenario.channels import BroadcastChannel, MessageChannel
from sim.scenario.distributions import Distribution
from sim.scenario.events import Rule
from sim.scenario.models import Scenario
from sim.scenario.values import is_param

#: The triggers a claim arriving can set off in the receiver.
_ON_CLAIM = ("received", "belief")


def zero_delay_cycles(scenario: Scenario) -> list[list[str]]:
    """Each cycle of repeating rules that can set each other off with no delay, as rule ids.

    A cycle is given once, starting from its first rule in file order.
    """
    zero = _ZeroTest(scenario)
    rules = [r for r in scenario.rules if r.repeat and zero(r.delay)]
    by_trigger: dict[tuple[str, str], list[Rule]] = {}
    for rule in rules:
        by_trigger.setdefault((rule.actor, rule.when.kind), []).append(rule)
    edges = {r.id: sorted({n.id for key in _reaches(r, scenario, zero)
                           for n in by_trigger.get(key, ())}) for r in rules}
    return _cycles([r.id for r in rules], edges)


def _reaches(rule: Rule, scenario: Scenario, zero: _ZeroTest) -> Iterator[tuple[str, str]]:
    """(actor, trigger kind) pairs that `rule`'s action can set off at once."""
    do = rule.do
    channels = {c.id: c for c in scenario.channels}
    actors = {a.id: a for a in scenario.actors}
    if do.message is not None and not do.message.holding:
        channel = channels.get(do.message.channel)
        if isinstance(channel, MessageChannel) and zero(channel.latency):
            for to in do.message.to:
                if to in actors and zero(actors[to].response.get("message")):
                    yield from ((to, kind) for kind in _ON_CLAIM)
    elif do.statement is not None and not do.statement.holding:
        channel = channels.get(do.statement.channel)
        if isinstance(channel, BroadcastChannel) and zero(channel.latency):
            audience = list(actors) if channel.audience == "all" else channel.audience
            for to in audience:
                if to != rule.actor and to in actors and zero(actors[to].response.get("broadcast")):
                    yield from ((to, kind) for kind in _ON_CLAIM)
    elif do.posture is not None:
        yield rule.actor, "posture"


class _ZeroTest:
    """Whether a distribution can draw exactly zero, with parameters at their defaults."""

    def __init__(self, scenario: Scenario) -> None:
        self._params = scenario.parameters

    def _value(self, value: Any) -> float | None:
        if is_param(value):
            param = self._params.get(value[1:])
            return None if param is None else param.default_value
        return float(value) if isinstance(value, int | float) else None

    def __call__(self, dist: Distribution | None) -> bool:
        if dist is None:
            return True
        if dist.fixed is not None:
            return self._value(dist.fixed) == 0
        low = dist.uniform.low if dist.uniform else dist.triangular.low if dist.triangular else None
        if low is not None:
            return self._value(low) == 0
        if dist.empirical is not None:
            return any(self._value(v) == 0 for v in dist.empirical)
        return False  # exponential and lognormal draws are never exactly zero


def _cycles(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of nodes (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # scenarios have tens of rules: recursion depth is fine
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1 or node in edges[node]:
                groups.append(group)

    for node in nodes:
        if node not in index:
            visit(node)
    order = {n: i for i, n in enumerate(nodes)}
    return [_path_through(sorted(g, key=order.__getitem__), edges) for g in
            sorted(groups, key=lambda g: min(order[n] for n in g))]


def _path_through(group: list[str], edges: dict[str, list[str]]) -> list[str]:
    """The shortest cycle from the group's first node back to it, inside the group."""
    members = set(group)
    start = group[0]
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:  # breadth first: every node of a strongly connected group leads back
        nxt_frontier = []
        for node in frontier:
            for nxt in edges[node]:
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if nxt in members and nxt not in came_from:
                    came_from[nxt] = node
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    return [start, start]  # not reached: a group holds a cycle through each of its nodes
