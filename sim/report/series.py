"""Beliefs, postures, public attributions, marks and decisions read out of the event log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sim.engine.records import Record
from sim.report.model import Attribution, BeliefSeries, Decision, Mark, PostureSeries
from sim.scenario.models import Scenario

FACILITATOR = "facilitator"


def _leads(belief: Mapping[str, float], truth: str) -> bool:
    p = belief.get(truth, 0.0)
    return all(p > q for h, q in belief.items() if h != truth)


def start_belief(scenario: Scenario, actor_id: str) -> dict[str, float]:
    """An actor's belief at minute 0, as the engine starts it."""
    hypotheses = [h.id for h in scenario.question.hypotheses]
    given = scenario.actor(actor_id).belief or {h: 1 / len(hypotheses) for h in hypotheses}
    return {h: float(given.get(h, 0.0)) for h in hypotheses}


def beliefs(scenario: Scenario, log: Iterable[Record]) -> list[BeliefSeries]:
    """Each actor's belief over time, and when the truth first led it."""
    truth = scenario.question.truth
    points: dict[str, list[tuple[float, Mapping[str, float]]]] = {
        a.id: [(0.0, start_belief(scenario, a.id))] for a in scenario.actors}
    for r in log:
        if r.kind == "belief" and r.actor in points:
            points[r.actor].append((r.t, dict(r.data.get("belief", {}))))
    out = []
    for actor_id, series in points.items():
        knew = next((t for t, b in series if _leads(b, truth)), None)
        out.append(BeliefSeries(actor_id, tuple(series), knew))
    return out


def postures(scenario: Scenario, log: Iterable[Record]) -> list[PostureSeries]:
    """Each actor's rung on the ladder over time, with every move and its reason."""
    steps: dict[str, list[tuple[float, int]]] = {}
    changes: dict[str, list[tuple[float, str, str, str]]] = {}
    for a in scenario.actors:
        steps[a.id] = [(0.0, scenario.level_index(a.posture) if a.posture else 0)]
        changes[a.id] = []
    for r in log:
        if r.kind == "posture" and r.actor in steps:
            d = r.data
            steps[r.actor].append((r.t, int(d.get("rung", 0))))
            changes[r.actor].append((r.t, str(d.get("previous", "")), str(d.get("level", "")),
                                     str(d.get("why", ""))))
    return [PostureSeries(a, tuple(steps[a]), tuple(changes[a])) for a in steps]


def public_statements(scenario: Scenario, log: Iterable[Record]) -> list[Attribution]:
    """Statements about the key question on public broadcast channels, in order."""
    public = {c.id for c in scenario.channels if c.kind == "broadcast" and c.public}
    return [Attribution(t=r.t, actor=r.actor or "", channel=r.channel or "",
                        hypothesis=r.data["hypothesis"], confidence=float(r.data.get("confidence", 0)),
                        correct=bool(r.data.get("correct")), text=str(r.data.get("text") or ""))
            for r in log if r.kind == "statement" and r.channel in public
            and r.data.get("public", True) and r.data.get("hypothesis")]


def statement_metrics(scenario: Scenario, log: Sequence[Record]) -> list[tuple[str, Any]]:
    """Each `first` metric about statements, with the statement that set it (None: none yet).

    Found with the metrics' own rule (`matches`), so the report's attribution section and
    its metric tables cannot disagree.
    """
    from sim.engine.metrics import MetricSet, matches

    public = MetricSet(scenario).public_channels
    out = []
    for m in scenario.metrics:
        if m.kind != "first" or "statement" not in (m.event.kind or ()):
            continue
        r = next((r for r in log if matches(m.event, r, public)), None)
        out.append((m.label, None if r is None else Attribution(
            t=r.t, actor=r.actor or "", channel=r.channel or "",
            hypothesis=str(r.data.get("hypothesis") or ""),
            confidence=float(r.data.get("confidence", 0)), correct=bool(r.data.get("correct")),
            text=str(r.data.get("text") or ""))))
    return out


def marks(log: Iterable[Record]) -> list[Mark]:
    """Point events for the timeline: injects, statements, posture moves, decisions, notes."""
    out = []
    for r in log:
        d = r.data
        if r.kind == "inject":
            out.append(Mark(r.t, None, "inject", str(d.get("title", d.get("inject", ""))),
                            d.get("correct") if "correct" in d else None))
        elif r.kind == "statement":
            claim = f"{d.get('hypothesis')} {float(d.get('confidence', 0)):.0%}"
            out.append(Mark(r.t, r.actor, "statement", f"states «{claim}» on {r.channel}",
                            bool(d.get("correct"))))
        elif r.kind == "posture":
            out.append(Mark(r.t, r.actor, "posture", f"{d.get('previous')} → {d.get('level')}"))
        elif r.kind == "note":
            who = "decision" if d.get("by") == "player" else "note"
            out.append(Mark(r.t, r.actor if who == "decision" else None, who, str(d.get("text", ""))))
        elif r.kind == "pause":
            out.append(Mark(r.t, None, "pause", str(d.get("reason", "paused"))))
    return out


def decisions_from_log(log: Iterable[Record]) -> list[Decision]:
    """Players' actions and the facilitator's notes and injects, as the log recorded them."""
    out = []
    for r in log:
        by = r.data.get("by")
        if r.kind == "note":
            text = str(r.data.get("text", ""))
            if by == "player":
                kind = "pass" if text == "passes" else "action"
                out.append(Decision(r.t, r.actor or "", kind, text))
            else:
                out.append(Decision(r.t, FACILITATOR, "note", text))
        elif r.kind == "inject" and by == FACILITATOR:
            out.append(Decision(r.t, FACILITATOR, "inject",
                                f"drops inject “{r.data.get('title', r.data.get('inject'))}”"))
    return out


def abandoned_decisions(notes: Iterable[Any]) -> list[Decision]:
    """The facilitator's notes kept from branches a rewind abandoned, marked as such."""
    return [Decision(n.t, FACILITATOR, "abandoned_note", f"{n.text} (on the abandoned branch, "
                     f"{n.branch})") for n in notes]


def decisions_from_actions(scenario: Scenario, actions: Sequence[Any]) -> list[Decision]:
    """Players' actions and the facilitator's notes and injects, from a session's actions."""
    titles = {i.id: i.title for i in scenario.injects}
    names = {a.id: a.name for a in scenario.actors}
    out = []
    for timed in actions:
        a = timed.action
        if a.do is not None:
            out.append(Decision(timed.t, a.actor, "action", describe(a.do, names, scenario)))
        elif a.inject is not None:
            out.append(Decision(timed.t, FACILITATOR, "inject",
                                f"drops inject “{titles.get(a.inject, a.inject)}”"))
        elif a.free_inject is not None:
            title = a.free_inject.get("title", "Facilitator inject")
            out.append(Decision(timed.t, FACILITATOR, "inject", f"free inject “{title}”"))
        elif a.note is not None:
            out.append(Decision(timed.t, FACILITATOR, "note", a.note))
        else:
            out.append(Decision(timed.t, a.actor or "", "pass", "passes"))
    return out


def describe(do: Any, names: Mapping[str, str], scenario: Scenario) -> str:
    """An actor's action in words, e.g. `calls US Chairman over milline`."""
    def claim(c: Any) -> str:
        if c is None:
            return "its current assessment"
        label = next((h.label for h in scenario.question.hypotheses if h.id == c.hypothesis),
                     c.hypothesis)
        return f"«{label}» ({c.confidence:.0%})"

    if do.call:
        return f"calls {names.get(do.call.to, do.call.to)} over {do.call.channel}"
    if do.message:
        m = do.message
        text = f": “{m.text}”" if m.text else ""
        return (f"messages {', '.join(names.get(t, t) for t in m.to)} over {m.channel} "
                f"with {claim(m.claim)}{text}")
    if do.statement:
        s = do.statement
        text = f": “{s.text}”" if s.text else ""
        return f"states {claim(s.claim)} on {s.channel}{text}"
    if do.posture:
        p = do.posture
        if p.set is not None:
            label = next((lv.label for lv in scenario.ladder if lv.id == p.set), p.set)
            return f"sets posture to {label}"
        if p.raise_ is not None:
            return f"raises posture by {p.raise_}"
        return f"lowers posture by {p.lower}"
    return f"requests a meeting of {do.convene}"
