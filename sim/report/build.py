"""Build an after-action report from a session or an event log, and write it as HTML or Markdown.

The play app calls `build_report(session)` at the end of a session, then `write_html` and
`write_markdown`; `hotline report` does the same from a journal or a saved run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.durations import format_hm
from sim.engine.metrics import Bound, MetricSet, MetricValue, historical_value, objective_met
from sim.engine.params import truth_of
from sim.engine.records import Record
from sim.engine.timeline import show_value, stopped_short
from sim.report import contacts, series
from sim.report.model import ActorInfo, HistoricalRow, ObjectiveRow, Report, Summary
from sim.scenario.discussion import questions_for
from sim.scenario.models import Objective, Scenario


@dataclass(frozen=True)
class RunInfo:
    """What the log alone does not say: how the run was set up and where it came from."""

    seed: int | str | None = None
    """None: not recorded."""
    variant: str | None = None
    """None: the scenario's default variant."""
    overrides: Mapping[str, Any] = field(default_factory=dict)
    """Parameter values set by hand."""
    seats: Sequence[str] = ()
    """Actors played by people."""
    played: float | None = None
    """Minutes of scenario time covered; None: up to the last record."""
    actions: Sequence[Any] | None = None
    """The session's `TimedAction`s; None: read decisions and notes from the log's notes."""
    params: Mapping[str, float] | None = None
    """Every parameter's value; None: resolved from the variant and overrides."""
    source: str = ""
    """The file the log came from, for the summary."""
    source_kind: str = "run log"
    """`journal`, `saved run`, `run log` or `session`."""
    warnings: Sequence[str] = ()
    """Problems met reading the source that did not stop the report."""
    abandoned_notes: Sequence[Any] = ()
    """The facilitator's notes kept from branches a rewind abandoned (`AbandonedNote`s)."""


def info_from_session(session: Any, source: str = "", source_kind: str = "session",
                      warnings: Sequence[str] = ()) -> RunInfo:
    """The run information a `Session` carries."""
    return RunInfo(seed=session.seed, variant=session.variant, overrides=dict(session.overrides),
                   seats=tuple(session.seats), played=float(session.now),
                   actions=list(session.actions), params=dict(session.params), source=source,
                   source_kind=source_kind, warnings=tuple(warnings),
                   abandoned_notes=tuple(session.abandoned_notes))


def build_report(source: Any, scenario: Scenario | None = None, info: RunInfo | None = None) -> Report:
    """The after-action report of a session, or of an event log and its scenario.

    Args:
        source: a `Session` (scenario and run information come with it), or a sequence of
            `Record`s (then `scenario` is required).
        scenario: the scenario of a bare log.
        info: how the run was set up; default: taken from the session, or unknown for a log.

    Returns:
        The report, ready for `write_html` and `write_markdown`.

    Raises:
        ValueError: a bare log without its scenario.
    """
    if hasattr(source, "log") and hasattr(source, "scenario"):
        scenario = source.scenario
        info = info or info_from_session(source)
        log: Sequence[Record] = source.log
    else:
        if scenario is None:
            raise ValueError("a report from an event log needs the scenario")
        log = list(source)
        info = info or RunInfo()
    params = info.params
    variant = info.variant or scenario.default_variant
    if params is None:
        from sim.engine.params import resolve_params

        params = resolve_params(scenario, variant, dict(info.overrides))
    last = log[-1].t if log else 0.0
    end = max(float(info.played) if info.played is not None else last, last)
    values = MetricSet(scenario).compute(log, [truth_of(scenario, params, q) for q in
                                               (scenario.question, *scenario.questions)])
    # a bare log does not say where play stopped; a run's log goes to the scenario's end
    stopped = None if info.played is None else stopped_short(end, scenario.duration)

    attempts = contacts.calls(log)
    sent = contacts.messages(log)
    sat = contacts.meetings(log)
    order = [a.id for a in scenario.actors]
    statements = series.public_statements(scenario, log)
    if info.actions is not None:
        decisions = series.decisions_from_actions(scenario, info.actions)
    else:
        decisions = series.decisions_from_log(log)
    decisions = sorted([*decisions, *series.abandoned_decisions(info.abandoned_notes)],
                       key=lambda d: d.t)
    summary = Summary(
        title=scenario.title, scenario_id=scenario.id, description=scenario.summary,
        start=scenario.start, timezone=scenario.timezone, seed=info.seed, variant=variant,
        overrides=dict(info.overrides), seats=tuple(info.seats), played=end,
        stopped_early=stopped is not None,
        duration=scenario.duration, events=len(log), question=scenario.question.text,
        truth=truth_of(scenario, params), source=info.source, source_kind=info.source_kind,
        warnings=tuple(info.warnings), history_name=scenario.history_name)
    return Report(
        summary=summary,
        actors=tuple(ActorInfo(a.id, a.name, a.title, a.side, a.timezone, a.id in info.seats)
                     for a in scenario.actors),
        ladder=tuple((lv.id, lv.label) for lv in scenario.ladder),
        hypotheses=tuple((h.id, h.label) for h in scenario.question.hypotheses),
        objectives=tuple(objective_rows(scenario, values, params, stopped)),
        calls=tuple(attempts), messages=tuple(sent), meetings=tuple(sat),
        marks=tuple(series.marks(log)),
        pairs=tuple(contacts.pairs(order, attempts, sent, sat)),
        beliefs=tuple(series.beliefs(scenario, log)),
        postures=tuple(series.postures(scenario, log)),
        first_public=statements[0] if statements else None,
        first_public_correct=next((s for s in statements if s.correct), None),
        historical=tuple(historical_rows(scenario, values, params, stopped)),
        decisions=tuple(decisions),
        discussion=tuple(questions_for(scenario.discussion,
                                       {m.id: m.kind for m in scenario.metrics}, values)),
        end=end,
        statement_metrics=tuple(series.statement_metrics(scenario, log)))


def target(objective: Objective, metric: Any) -> str:
    """An objective's target in words."""
    if objective.within is not None:
        return f"within {format_hm(objective.within)}"
    if objective.expect is not None:
        if metric.kind == "reached":
            return "reached" if objective.expect else "not reached"
        return "yes" if objective.expect else "no"
    parts = []
    if objective.at_least is not None:
        parts.append(f"at least {objective.at_least:g}")
    if objective.at_most is not None:
        parts.append(f"at most {objective.at_most:g}")
    return " and ".join(parts) or "—"


def session_met(objective: Objective, value: MetricValue, stopped: float | None) -> bool | None:
    """Whether the session met an objective; None while still open.

    A time objective (`within`) whose event has not happened is missed only once its deadline
    has passed: a session stopped at 6 h has not missed "within 16 h".
    """
    if (stopped is not None and objective.within is not None and value is None
            and stopped < objective.within):
        return None
    return objective_met(objective, value)


def objective_rows(scenario: Scenario, values: Mapping[str, MetricValue],
                   params: Mapping[str, float], stopped: float | None = None) -> list[ObjectiveRow]:
    """Each objective met or missed, in this session and in 2022 (`stopped`: see `show_value`)."""
    metrics = {m.id: m for m in scenario.metrics}
    rows = []
    for o in scenario.objectives:
        m = metrics[o.metric]
        hv = historical_value(m, params)
        absent = isinstance(hv, str)
        rows.append(ObjectiveRow(
            id=o.id, label=o.label, metric=m.label, target=target(o, m),
            value=show_value(m, values[m.id], stopped), met=session_met(o, values[m.id], stopped),
            historical="" if absent else show_value(m, hv),
            historical_met=None if absent or isinstance(hv, Bound) else objective_met(o, hv)))
    return rows


def historical_rows(scenario: Scenario, values: Mapping[str, MetricValue],
                    params: Mapping[str, float], stopped: float | None = None) -> list[HistoricalRow]:
    """Every metric's session value beside its 2022 value and its sources (`stopped`: as above)."""
    sources = {s.id: s for s in scenario.sources}
    rows = []
    for m in scenario.metrics:
        h = m.historical
        cited = tuple((sources[s].title, sources[s].url) if s in sources else (s, None)
                      for s in (h.source if h else []))
        rows.append(HistoricalRow(
            metric=m.label, session=show_value(m, values[m.id], stopped),
            historical=show_value(m, historical_value(m, params)), sources=cited,
            confidence=(h.confidence or "") if h else "", note=(h.note or "") if h else "",
            role=h.role if h else ""))
    return rows


def write_html(report: Report, path: str | Path) -> Path:
    """Write the report as one self-contained HTML file; returns its path."""
    from sim.report.html import render_html

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
    return path


def write_markdown(report: Report, path: str | Path) -> list[Path]:
    """Write the report as Markdown with its pictures as SVG files beside it.

    Returns:
        The Markdown file's path, then each picture's.
    """
    from sim.report.markdown import render_markdown

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text, pictures = render_markdown(report, path.stem)
    written = [path]
    for name, svg in pictures.items():
        picture = path.with_name(name)
        picture.write_text(svg, encoding="utf-8")
        written.append(picture)
    path.write_text(text, encoding="utf-8")
    return written
