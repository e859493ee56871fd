"""Checks between parts of a scenario: every id refers to something, every `$parameter` fits."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sim.scenario.channels import CHANNEL_KINDS
from sim.scenario.diagnostics import Path, expected_one_of, suggest
from sim.scenario.paramrefs import ParamUse, param_uses


class Finding(NamedTuple):
    """A problem found by the checks: where, and what is wrong."""

    path: Path
    """The value (or mapping key) at fault."""
    message: str
    """What is wrong; what was expected."""
    key: bool = False
    """Whether the fault is the mapping key at `path` (`set: {typo: 1}`), not its value."""


@dataclass
class Parts:
    """What validated of a scenario: whole sections, or the items that passed on their own."""

    question: Any = None
    questions: list[Any] = field(default_factory=list)
    ladder: list[Any] = field(default_factory=list)
    actors: list[Any] = field(default_factory=list)
    channels: list[Any] = field(default_factory=list)
    observation: list[Any] = field(default_factory=list)
    evidence: list[Any] = field(default_factory=list)
    injects: list[Any] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)
    metrics: list[Any] = field(default_factory=list)
    objectives: list[Any] = field(default_factory=list)
    sources: list[Any] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    """The ids the scenario as a whole cites (its top-level `source:`)."""
    parameters: dict[str, Any] = field(default_factory=dict)
    variants: dict[str, Any] = field(default_factory=dict)
    pause_on: list[Any] = field(default_factory=list)
    discussion: list[Any] = field(default_factory=list)
    default_variant: str | None = None
    sourcing: str = "optional"
    #: Index in the file of each item above, when only some items validated.
    index: dict[str, list[int]] = field(default_factory=dict)
    #: Ids (and kinds) of items that failed on their own: references to them are not reported.
    raw_ids: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def at(self, section: str, i: int) -> int:
        """The item's index in the file."""
        return self.index[section][i] if section in self.index else i


#: The fields of each kind of channel that list actors.
_CHANNEL_ROLES = {"call": ("ends",), "message": ("members",), "broadcast": ("publishers", "audience"),
                  "meeting": ("members",)}


class _Checker:
    def __init__(self, parts: Parts) -> None:
        self.p = parts
        self.found: list[Finding] = []
        self.actors = {a.id for a in parts.actors} | set(parts.raw_ids.get("actors", {}))
        self.channels = {c.id: c for c in parts.channels}
        self.channel_kinds = {c.id: c.kind for c in parts.channels}
        for cid, kind in parts.raw_ids.get("channels", {}).items():
            # a channel whose own kind is wrong may be meant as any kind: refer to it freely
            self.channel_kinds.setdefault(cid, kind if kind in CHANNEL_KINDS else None)
        self.channels_of_kind: dict[str | None, set[str]] = {}
        self.main_hypotheses = {h.id for h in parts.question.hypotheses} if parts.question else set()
        self.questions = {q.id: q for q in parts.questions if q.id}
        self.hypotheses = self.main_hypotheses | {h.id for q in parts.questions for h in q.hypotheses}
        self.levels = {lv.id for lv in parts.ladder}
        self.sources = {s.id for s in parts.sources}
        self.metrics = {m.id: m for m in parts.metrics}
        self.injects = {i.id for i in parts.injects} | set(parts.raw_ids.get("injects", {}))
        self.evidence = {e.id for e in parts.evidence} | set(parts.raw_ids.get("evidence", {}))
        self.decisions = {d.id for c in parts.channels if c.kind == "meeting" for d in c.decisions}
        self.sides = {a.side for a in parts.actors}
        self.rules = {r.id for r in parts.rules} | set(parts.raw_ids.get("rules", {}))
        # a step exists once a move proposes or answers it; a pattern naming another never matches
        self.measures = {m.measure for a in parts.actors for m in a.moves if m.measure}

    def report(self, path: Path, message: str, *, key: bool = False) -> None:
        self.found.append(Finding(path, message, key))

    def ref(self, path: Path, value: str | None, known: Collection[str], what: str, *,
            key: bool = False) -> bool:
        # `known` is a set or dict: the lookup stays O(1) on scenarios with thousands of ids
        if value is None or value in known:
            return True
        self.report(path, f"unknown {what} {value!r}{suggest(value, known)}; {expected_one_of(known)}",
                    key=key)
        return False

    def actor(self, path: Path, value: str | None, *, key: bool = False) -> bool:
        return self.ref(path, value, self.actors, "actor", key=key)

    def channel(self, path: Path, value: str | None, kind: str | None = None) -> Any:
        kinds = self.channel_kinds
        if kind not in self.channels_of_kind:
            self.channels_of_kind[kind] = {c for c, k in kinds.items() if kind is None or k in (kind, None)}
        known = self.channels_of_kind[kind]
        what = f"{kind} channel" if kind else "channel"
        if value in kinds and kind and kinds[value] not in (kind, None):
            self.report(path, f"channel {value!r} is a {kinds[value]} channel; "
                        f"expected a {kind} channel ({', '.join(sorted(known)) or 'none'})")
            return None
        return self.channels.get(value) if self.ref(path, value, known, what) else None

    def duplicates(self, section: str, items: list[Any]) -> None:
        seen: set[str] = set()
        what = "ladder level" if section == "ladder" else section[:-1]
        for i, item in enumerate(items):
            if item.id in seen:
                self.report((section, self.p.at(section, i), "id"),
                            f"duplicate id {item.id!r}; expected each {what} id once")
            seen.add(item.id)

    def run(self) -> list[Finding]:
        p = self.p
        for section in ("actors", "channels", "evidence", "injects", "rules", "metrics", "objectives",
                        "sources"):
            self.duplicates(section, getattr(p, section))
        self.duplicates("ladder", p.ladder)
        if p.question:
            self.duplicates_in(("question", "hypotheses"), p.question.hypotheses)
            seen = {h.id for h in p.question.hypotheses}
            for i, q in enumerate(p.questions):
                if q.id is None:
                    self.report(("questions", i), "a further question needs an 'id'; expected e.g. "
                                "id: deliberate")
                for j, h in enumerate(q.hypotheses):
                    if h.id in seen:
                        self.report(("questions", i, "hypotheses", j, "id"),
                                    f"hypothesis id {h.id!r} is already used; expected ids unique "
                                    "across every question (a claim's hypothesis names its question)")
                    seen.add(h.id)
                    self.ref(("questions", i, "hypotheses", j, "blames"), h.blames, self.sides, "side")
                self.ref(("questions", i, "truth"), q.truth, {h.id for h in q.hypotheses}, "hypothesis")
            for i, h in enumerate(p.question.hypotheses):
                self.ref(("question", "hypotheses", i, "blames"), h.blames, self.sides, "side")
            self.ref(("question", "truth"), p.question.truth, self.hypotheses, "hypothesis")
        for i, a in enumerate(p.actors):
            self.actor_refs(("actors", p.at("actors", i)), a)
        for i, c in enumerate(p.channels):
            self.channel_refs(("channels", p.at("channels", i)), c)
        for i, ev in enumerate(p.evidence):
            self.evidence_refs(("evidence", p.at("evidence", i)), ev)
        for i, ob in enumerate(p.observation):
            path = ("observation", p.at("observation", i))
            self.actor((*path, "observer"), ob.observer)
            for j, who in enumerate(ob.of):
                self.actor((*path, "of", j), who)
        for i, inj in enumerate(p.injects):
            self.inject_refs(("injects", p.at("injects", i)), inj)
        for i, r in enumerate(p.rules):
            self.rule_refs(("rules", p.at("rules", i)), r)
        for i, m in enumerate(p.metrics):
            self.metric_refs(("metrics", p.at("metrics", i)), m)
        for i, o in enumerate(p.objectives):
            self.objective_refs(("objectives", p.at("objectives", i)), o)
        for i, pat in enumerate(p.pause_on):
            self.pattern(("pause_on", p.at("pause_on", i)), pat)
        for i, q in enumerate(p.discussion):
            for key in ("if_", "unless"):
                for j, metric in enumerate(getattr(q, key, ())):
                    self.ref(("discussion", p.at("discussion", i), key.rstrip("_"), j), metric,
                             self.metrics, "metric")
        self.variants()
        self.params()
        self.sourcing()
        return self.found

    def duplicates_in(self, path: Path, items: list[Any]) -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                self.report((*path, i, "id"), f"duplicate id {item.id!r}; expected each id once")
            seen.add(item.id)

    def actor_refs(self, path: Path, a: Any) -> None:
        self.ref((*path, "posture"), a.posture, self.levels, "ladder level")
        for h in a.belief or {}:
            self.ref((*path, "belief", h), h, self.main_hypotheses, "hypothesis", key=True)
        for qid, prior in a.beliefs.items():
            if not self.ref((*path, "beliefs", qid), qid, self.questions, "question", key=True):
                continue
            own = {h.id for h in self.questions[qid].hypotheses}
            for h in prior:
                self.ref((*path, "beliefs", qid, h), h, own, f"hypothesis of {qid!r}", key=True)
            if abs(sum(prior.values()) - 1) > 0.01:
                self.report((*path, "beliefs", qid), f"starting beliefs on {qid!r} add up to "
                            f"{sum(prior.values()):.3f}; expected them to add up to 1")
        if a.belief is not None and self.main_hypotheses and set(a.belief) != self.main_hypotheses:
            missing = sorted(self.main_hypotheses - set(a.belief))
            if missing:
                self.report((*path, "belief"), "starting belief leaves out "
                            f"{', '.join(missing)}; expected a probability for every hypothesis")
        for src in a.trust:
            self.actor((*path, "trust", src), src, key=True)
        for j, move in enumerate(a.moves):
            self.move((*path, "moves", j), move)

    def move(self, path: Path, move: Any) -> None:
        for k, who in enumerate(move.with_):
            if who not in self.channel_kinds or self.channel_kinds[who] != "meeting":
                self.actor((*path, "with", k), who)  # an actor on a call, or a meeting's id
        for k, ev in enumerate(move.evidence):
            self.ref((*path, "evidence", k), ev, self.evidence, "evidence source")
        if move.claim:
            self.claim((*path, "claim"), move.claim)
        for k, cond in enumerate(move.if_):
            self.condition((*path, "if", k), cond)

    def channel_refs(self, path: Path, c: Any) -> None:
        for role in _CHANNEL_ROLES[c.kind]:
            who_all = getattr(c, role)
            for j, who in enumerate(who_all if who_all != "all" else []):
                self.actor((*path, role, j), who)
        if c.kind == "call" and c.ends[0] == c.ends[1]:
            self.report((*path, "ends"), "a call channel links two different actors")
        for j, d in enumerate(getattr(c, "decisions", [])):
            for k, who in enumerate(d.members):
                if self.actor((*path, "decisions", j, "members", k), who) and who not in c.members:
                    self.report((*path, "decisions", j, "members", k),
                                f"{who!r} does not sit in meeting {c.id!r}; expected one of its members")
            for k, cond in enumerate(d.if_):
                self.condition((*path, "decisions", j, "if", k), cond)

    def evidence_refs(self, path: Path, ev: Any) -> None:
        for j, who in enumerate(ev.to):
            self.actor((*path, "to", j), who)
        self.actor((*path, "origin"), ev.origin)
        first = next((h for column in ev.outcomes.values() for h in column), None)
        own = next((set(q) for q in self.question_sets() if first in q), self.main_hypotheses)
        totals = dict.fromkeys(own, 0.0)
        for outcome, column in ev.outcomes.items():
            for h, p in column.items():
                if self.ref((*path, "outcomes", outcome, h), h, own, "hypothesis", key=True):
                    totals[h] += p
            missing = sorted(own - set(column))
            if missing:
                self.report((*path, "outcomes", outcome), f"outcome {outcome!r} leaves out "
                            f"{', '.join(missing)}; expected a probability for every hypothesis")
        for h, total in totals.items():
            if abs(total - 1) > 0.01:
                self.report((*path, "outcomes"), f"the outcomes' probabilities under {h!r} add up to "
                            f"{total:.3f}; expected each hypothesis's column to add up to 1")

    def question_sets(self) -> list[set[str]]:
        return [self.main_hypotheses, *({h.id for h in q.hypotheses} for q in self.questions.values())]

    def claim(self, path: Path, claim: Any) -> None:
        self.ref((*path, "hypothesis"), claim.hypothesis, self.hypotheses, "hypothesis")
        if isinstance(claim.cites, list):
            for j, ev in enumerate(claim.cites):
                self.ref((*path, "cites", j), ev, self.evidence, "evidence source")

    def inject_refs(self, path: Path, inj: Any) -> None:
        for j, who in enumerate(inj.to):
            self.actor((*path, "to", j), who)
        self.channel((*path, "via"), inj.via, "broadcast")
        self.actor((*path, "origin"), inj.origin)
        if inj.claim:
            self.claim((*path, "claim"), inj.claim)
        if inj.when:
            self.trigger((*path, "when"), inj.when)

    def trigger(self, path: Path, t: Any) -> None:
        self.ref((*path, "inject"), t.inject, self.injects, "inject")
        if t.received:
            self.ref((*path, "received", "hypothesis"), t.received.hypothesis, self.hypotheses,
                     "hypothesis")
            self.actor((*path, "received", "origin"), t.received.origin)
            self.channel((*path, "received", "channel"), t.received.channel)
            self.ref((*path, "received", "inject"), t.received.inject, self.injects, "inject")
            self.ref((*path, "received", "rule"), t.received.rule, self.rules, "rule")
        if t.belief:
            self.ref((*path, "belief", "hypothesis"), t.belief.hypothesis, self.hypotheses, "hypothesis")
        self.actor((*path, "contact"), t.contact)
        if t.call_failed:
            self.actor((*path, "call_failed", "to"), t.call_failed.to)
            self.channel((*path, "call_failed", "channel"), t.call_failed.channel, "call")
        if t.missed_call:
            self.actor((*path, "missed_call", "from"), t.missed_call.from_)
            self.channel((*path, "missed_call", "channel"), t.missed_call.channel, "call")
        if t.posture:
            self.posture_test((*path, "posture"), t.posture)
        self.channel((*path, "meeting"), t.meeting, "meeting")
        self.ref((*path, "evidence"), t.evidence, self.evidence, "evidence source")
        if t.observed_posture:
            self.actor((*path, "observed_posture", "of"), t.observed_posture.of)
            self.posture_test((*path, "observed_posture"), t.observed_posture)
        if t.decision:
            self.ref((*path, "decision", "id"), t.decision.id, self.decisions, "decision")
        if t.move:
            self.actor((*path, "move", "from"), t.move.from_)

    def posture_test(self, path: Path, t: Any) -> None:
        self.ref((*path, "at_least"), t.at_least, self.levels, "ladder level")
        self.ref((*path, "at_most"), t.at_most, self.levels, "ladder level")

    def rule_refs(self, path: Path, r: Any) -> None:
        self.actor((*path, "actor"), r.actor)
        self.trigger((*path, "when"), r.when)
        for j, cond in enumerate(r.if_):
            self.condition((*path, "if", j), cond)
        self.action((*path, "do"), r.actor, r.do)

    def condition(self, cpath: Path, cond: Any) -> None:
        if cond.belief:
            self.ref((*cpath, "belief", "hypothesis"), cond.belief.hypothesis, self.hypotheses,
                     "hypothesis")
        if cond.posture:
            self.posture_test((*cpath, "posture"), cond.posture)
        if cond.observed_posture:
            self.actor((*cpath, "observed_posture", "of"), cond.observed_posture.of)
            self.posture_test((*cpath, "observed_posture"), cond.observed_posture)
        if cond.happened:
            self.pattern((*cpath, "happened"), cond.happened)
        for k, who in enumerate(cond.in_contact or ()):
            self.actor((*cpath, "in_contact", k), who)
        self.actor((*cpath, "contacted"), cond.contacted)
        self.actor((*cpath, "not_contacted"), cond.not_contacted)

    def action(self, path: Path, actor: str, act: Any) -> None:
        if act.call:
            self.actor((*path, "call", "to"), act.call.to)
            for j, move in enumerate(act.call.say or ()):
                self.move((*path, "call", "say", j), move)
            ch = self.channel((*path, "call", "channel"), act.call.channel, "call")
            if ch and not {actor, act.call.to} <= set(ch.ends):
                self.report((*path, "call", "channel"),
                            f"call channel {ch.id!r} links {' and '.join(ch.ends)}; "
                            f"expected a channel between {actor!r} and {act.call.to!r}")
        if act.arrange:
            a = act.arrange
            self.actor((*path, "arrange", "to"), a.to)
            ch = self.channel((*path, "arrange", "channel"), a.channel, "call")
            if ch and not {actor, a.to} <= set(ch.ends):
                self.report((*path, "arrange", "channel"),
                            f"call channel {ch.id!r} links {' and '.join(ch.ends)}; "
                            f"expected a channel between {actor!r} and {a.to!r}")
            via = self.channel((*path, "arrange", "via"), a.via, "message")
            if via and not {actor, a.to} <= set(via.members):
                self.report((*path, "arrange", "via"),
                            f"message channel {via.id!r} does not link {actor!r} and {a.to!r}; "
                            f"expected a staff channel both are members of")
        if act.message:
            ch = self.channel((*path, "message", "channel"), act.message.channel, "message")
            for j, to in enumerate(act.message.to):
                if self.actor((*path, "message", "to", j), to) and ch and to not in ch.members:
                    self.report((*path, "message", "to", j),
                                f"{to!r} is not a member of message channel {ch.id!r}")
            if ch and actor not in ch.members:
                self.report((*path, "message", "channel"),
                            f"{actor!r} is not a member of message channel {ch.id!r}")
            if act.message.claim:
                self.claim((*path, "message", "claim"), act.message.claim)
        if act.statement:
            ch = self.channel((*path, "statement", "channel"), act.statement.channel, "broadcast")
            if ch and actor not in ch.publishers:
                self.report((*path, "statement", "channel"),
                            f"{actor!r} does not publish on {ch.id!r}; expected one of its "
                            f"publishers: {', '.join(ch.publishers)}")
            if act.statement.claim:
                self.claim((*path, "statement", "claim"), act.statement.claim)
        if act.posture and act.posture.set:
            self.ref((*path, "posture", "set"), act.posture.set, self.levels, "ladder level")
        if act.convene:
            ch = self.channel((*path, "convene"), act.convene, "meeting")
            if ch and actor not in ch.members:
                self.report((*path, "convene"),
                            f"{actor!r} is not a member of meeting {ch.id!r}")

    def pattern(self, path: Path, pat: Any) -> None:
        self.actor((*path, "actor"), pat.actor)
        self.actor((*path, "counterpart"), pat.counterpart)
        self.channel((*path, "channel"), pat.channel)
        self.ref((*path, "inject"), pat.inject, self.injects, "inject")
        self.ref((*path, "hypothesis"), pat.hypothesis, self.hypotheses, "hypothesis")
        if self.measures:
            self.ref((*path, "measure"), pat.measure, self.measures, "measure")

    def metric_refs(self, path: Path, m: Any) -> None:
        kind = m.kind
        if kind == "first":
            self.pattern((*path, "event"), m.event)
        for j, who in enumerate(getattr(m, "between", []) or []):
            self.actor((*path, "between", j), who)
        self.actor((*path, "actor"), getattr(m, "actor", None))
        if kind == "belief_true":
            self.ref((*path, "question"), m.question, self.questions, "question")
        if kind == "failed_calls":
            self.channel((*path, "channel"), m.channel, "call")
        if kind == "reached":
            self.ref((*path, "level"), m.level, self.levels, "ladder level")
        if kind == "false_premise":
            self.ref((*path, "at_least"), m.at_least, self.levels, "ladder level")
        if kind == "decided":
            self.ref((*path, "decision"), m.decision, self.decisions, "decision")
        h = m.historical
        if h is None:
            return
        timed = ("at", "never", "at_most/at_least")
        wanted = {"first": timed, "contact": timed, "belief_true": timed,
                  "failed_calls": ("count",), "peak_posture": ("count",), "reached": ("reached",),
                  "false_premise": ("count",), "decided": ("reached",)}[kind]
        given = [f for f in ("at", "never", "count", "reached") if getattr(h, f) is not None]
        bounds = [f for f in ("at_most", "at_least") if getattr(h, f) is not None]
        if bounds and not given and "at" in wanted:
            return  # a bound or two stand for the value
        if bounds:
            given += bounds
        if len(given) != 1 or given[0] not in wanted:
            self.report((*path, "historical"),
                        f"a {kind} metric's historical value is given by exactly one of: "
                        f"{', '.join(wanted)}; got {', '.join(given) or 'none'}")

    def objective_refs(self, path: Path, o: Any) -> None:
        if not self.ref((*path, "metric"), o.metric, self.metrics, "metric"):
            return
        kind = self.metrics[o.metric].kind
        if kind in ("first", "contact", "belief_true"):
            ok = o.within is not None
            want = "'within' (a duration)"
        elif kind in ("reached", "decided"):
            ok = o.expect is not None
            want = "'expect' (true or false)"
        else:
            ok = o.at_most is not None or o.at_least is not None
            want = "'at_most' or 'at_least' (a number)"
        if not ok:
            self.report(path, f"objective on a {kind} metric needs {want}")

    def variants(self) -> None:
        p = self.p
        if p.default_variant is not None:
            self.ref(("default_variant",), p.default_variant, p.variants, "variant")
        for name, variant in p.variants.items():
            self.ref(("variants", name, "truth"), variant.truth, self.hypotheses, "hypothesis")
            for param, raw in variant.set.items():
                path = ("variants", name, "set", param)
                if self.ref(path, param, p.parameters, "parameter", key=True) and param in p.parameters:
                    try:
                        p.parameters[param].value(raw)
                    except ValueError as exc:
                        self.report(path, str(exc))

    def params(self) -> None:
        p = self.p
        sections = ("actors", "channels", "evidence", "injects", "rules", "metrics")
        for section in sections:
            for i, item in enumerate(getattr(p, section)):
                found: list[ParamUse] = []
                param_uses(item, (section, p.at(section, i)), found)
                for path, ref, kind in found:
                    name = ref[1:]
                    if not self.ref(path, name, p.parameters, "parameter"):
                        continue
                    have = p.parameters[name].type
                    if kind and have != kind and not (kind == "count" and have == "number"):
                        self.report(path, f"parameter {ref} is a {have}; expected a {kind} "
                                    "parameter here")

    def sourcing(self) -> None:
        p = self.p
        if p.sourcing == "required":
            for section in ("actors", "channels", "evidence", "injects"):
                for i, item in enumerate(getattr(p, section)):
                    self.sourced((section, p.at(section, i)), item)
            if p.question:
                self.sourced(("question",), p.question)
            for i, m in enumerate(p.metrics):
                if m.historical is not None:
                    self.sourced(("metrics", p.at("metrics", i), "historical"), m.historical)
        for section in ("actors", "channels", "evidence", "injects", "rules", "metrics", "question"):
            items = getattr(p, section)
            for i, item in enumerate(items if isinstance(items, list) else [items]):
                if item is None:
                    continue
                base = (section, p.at(section, i)) if section != "question" else (section,)
                self.source_ids(base, item)
                if section == "metrics" and item.historical is not None:
                    self.source_ids((*base, "historical"), item.historical)
        for i, hypothesis in enumerate(p.question.hypotheses if p.question else []):
            self.source_ids(("question", "hypotheses", i), hypothesis)
        for name, parameter in p.parameters.items():
            self.source_ids(("parameters", name), parameter)
        for j, src in enumerate(p.source):  # the scenario's own citations
            self.ref(("source", j), src, self.sources, "source")

    def sourced(self, path: Path, item: Any) -> None:
        missing = [f for f in ("source", "confidence") if not getattr(item, f)]
        if missing:
            self.report(path, f"missing {' and '.join(missing)}; this scenario has "
                        "'sourcing: required', so every historical fact cites a source "
                        "and a confidence code (C, R, E or X)")
        elif item.confidence == "E" and not item.note:
            self.report(path, "an estimate (confidence E) needs a 'note' saying how it was "
                        "estimated")

    def source_ids(self, path: Path, item: Any) -> None:
        for j, src in enumerate(getattr(item, "source", [])):
            self.ref((*path, "source", j), src, self.sources, "source")


def check_references(parts: Parts) -> list[Finding]:
    """Every reference between parts that does not hold, with its path and a hint."""
    return _Checker(parts).run()
