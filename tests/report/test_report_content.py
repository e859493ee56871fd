"""What the drill's report must say: objectives, who reached whom, calls, beliefs, notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine.records import Record
from sim.report.build import RunInfo, build_report
from sim.report.model import Report
from sim.report.source import load_source
from sim.report.tables import calls_table, decisions_table, matrix_table, summary_items

from .helpers import COMMITTED, NOTE


def pair(report: Report, a: str, b: str):
    return next(p for p in report.pairs if {p.a, p.b} == {a, b})


def test_summary_names_scenario_seed_variant_seats_and_duration(drill_report: Report) -> None:
    s = drill_report.summary
    assert (s.scenario_id, s.seed, s.variant, s.seats) == ("drill", 7, "base", ("pl",))
    assert (s.played, s.duration) == (360.0, 360.0)
    items = dict(summary_items(drill_report))
    assert items["Seats"] == "President of Poland (pl)"
    assert items["Played"] == "6h of 6h scenario time"
    assert items["Ground truth"] == "A Ukrainian air-defence missile"
    assert items["Objectives"] == ("2 of 4 met", "bad")


def test_objectives_met_and_missed_beside_2022(drill_report: Report) -> None:
    rows = {o.id: o for o in drill_report.objectives}
    assert {k: o.met for k, o in rows.items()} == {
        "o-us-ru": False, "o-pl-us": True, "o-failed": False, "o-no-art4": True}
    assert (rows["o-pl-us"].value, rows["o-pl-us"].target) == ("32m", "within 1h00m")
    assert (rows["o-pl-us"].historical, rows["o-pl-us"].historical_met) == ("1h30m", False)
    assert (rows["o-failed"].value, rows["o-failed"].target) == ("3", "at most 1")
    assert rows["o-no-art4"].target == "not reached"


def test_who_reached_whom_with_failed_attempts_and_time_to_first_contact(drill_report: Report) -> None:
    us_ru = pair(drill_report, "us", "ru")
    assert (us_ru.first_attempt, us_ru.first_contact, us_ru.attempts, us_ru.failed) == (19.0, None, 3, 3)
    assert us_ru.failed_by == {"us": 3}
    assert us_ru.reasons == {"unanswered": 3}
    pl_us = pair(drill_report, "pl", "us")
    assert (pl_us.first_contact, pl_us.via, pl_us.wait, pl_us.failed, pl_us.messages) == (
        32.0, "pl-us", 2.0, 0, 1)
    assert (pair(drill_report, "pl", "nato").first_contact, pair(drill_report, "pl", "nato").via) == (
        120.0, "nac")
    headers, rows = matrix_table(drill_report)
    assert headers == ("", "President of Poland", "US Chairman", "Russian Chief of Staff",
                       "NATO Secretary General")
    us_row = next(r for r in rows if r[0] == "US Chairman")
    assert us_row[1] == ("✓ 32m", "ok")
    assert us_row[3] == ("✗ never · 3 failed", "bad")


def test_call_attempt_log_has_every_attempt_with_both_clocks(drill_report: Report) -> None:
    _, rows = calls_table(drill_report)
    assert [(r[0][0], r[1], r[3], r[6], r[7][0]) for r in rows] == [
        ("+19m (15 Nov 14:59 UTC)", "US Chairman", "Russian Chief of Staff", "1", "unanswered"),
        ("+30m (15 Nov 15:10 UTC)", "President of Poland", "US Chairman", "1", "connected, 10m"),
        ("+42m (15 Nov 15:22 UTC)", "US Chairman", "Russian Chief of Staff", "2", "unanswered"),
        ("+1h05m (15 Nov 15:45 UTC)", "US Chairman", "Russian Chief of Staff", "3",
         "unanswered · gave up"),
    ]
    assert (rows[0][2], rows[0][4]) == ("09:59 EST", "17:59 MSK")  # a general's night matters


def test_beliefs_against_the_truth_and_posture_moves(drill_report: Report) -> None:
    beliefs = {b.actor: b for b in drill_report.beliefs}
    assert beliefs["us"].knew_at == 180.0
    assert beliefs["pl"].knew_at is None
    assert beliefs["ru"].knew_at == 0.0  # started out believing the truth
    assert beliefs["pl"].points[0] == (0.0, {"russia": 0.5, "ukraine": 0.5})
    postures = {p.actor: p for p in drill_report.postures}
    assert postures["us"].changes == ((16.0, "routine", "alert", "rule us-alerts"),)
    assert postures["pl"].steps == ((0.0, 0), (60.0, 1))


def test_first_public_attribution_against_the_truth(drill_report: Report) -> None:
    first = drill_report.first_public
    assert first is not None
    assert (first.t, first.actor, first.hypothesis, first.correct) == (15.0, "press", "russia", False)
    assert drill_report.first_public_correct is None


def test_historical_reference_times_with_sources(drill_report: Report) -> None:
    rows = {h.metric: h for h in drill_report.historical}
    row = rows["Poland reaches the US"]
    assert (row.session, row.historical, row.confidence, row.note) == (
        "32m", "1h30m", "E", "estimated from the memo")
    assert row.sources == (("Staff memo B", None),)
    assert rows["US reaches the Russian staff"].sources == (("Wire report <A>", "https://example.org/a"),)
    assert rows["First public attribution"].historical == ""


def test_decisions_and_notes_with_their_times(drill_report: Report) -> None:
    _, rows = decisions_table(drill_report)
    plain = [(r[0][0], r[1], r[3], r[4]) for r in rows]
    assert ("+30m (15 Nov 15:10 UTC)", "Facilitator", "note", NOTE) in plain
    assert ("+30m (15 Nov 15:10 UTC)", "President of Poland", "decision",
            "calls US Chairman over pl-us") in plain
    assert ("+1h30m (15 Nov 16:10 UTC)", "Facilitator", "inject", "drops inject “Leak to the press”") in plain
    assert ("+1h30m (15 Nov 16:10 UTC)", "President of Poland", "decision",
            "states «A Russian missile» (60%) on wire: “We are investigating”") in plain
    assert plain[-1] == ("+2h30m (15 Nov 17:10 UTC)", "President of Poland", "pass", "passes")
    assert rows[0][2] == "16:10 CET"


def test_discussion_questions(drill_report: Report) -> None:
    assert drill_report.discussion == ("Who should have called whom first?",
                                       "What would a working military line have changed?")


def test_journal_and_live_session_give_the_same_report(drill_report: Report, drill_journal: Path) -> None:
    source = load_source(drill_journal)
    again = build_report(source.session, info=source.info)
    assert again.summary.source_kind == "journal"
    for part in ("objectives", "pairs", "calls", "beliefs", "postures", "decisions", "historical"):
        assert getattr(again, part) == getattr(drill_report, part), part


def test_committed_journal_finds_its_scenario_beside_it(drill_report: Report) -> None:
    source = load_source(COMMITTED)
    assert build_report(source.session, info=source.info).pairs == drill_report.pairs


def test_a_bare_log_gives_the_same_facts_with_decisions_from_its_notes(drill_session, drill_report) -> None:
    log = [Record.from_json(r.to_json()) for r in drill_session.log]
    report = build_report(log, drill_session.scenario, RunInfo(seed=7, seats=("pl",)))
    assert report.pairs == drill_report.pairs
    assert report.objectives == drill_report.objectives
    texts = [(d.t, d.who, d.kind, d.text) for d in report.decisions]
    assert (30.0, "facilitator", "note", NOTE) in texts
    assert (90.0, "facilitator", "inject", "drops inject “Leak to the press”") in texts
    assert (150.0, "pl", "pass", "passes") in texts


def test_a_bare_log_needs_its_scenario() -> None:
    with pytest.raises(ValueError, match="needs the scenario"):
        build_report([])


def test_an_empty_log_still_reports(drill_session) -> None:
    report = build_report([], drill_session.scenario)
    assert report.pairs == ()
    assert report.calls == ()
    assert report.first_public is None
    assert report.summary.seed is None


def test_level_labels_close_together_on_a_lane_are_thinned(drill_report: Report) -> None:
    from dataclasses import replace

    from sim.report.model import Mark
    from sim.report.swimlane import swimlane_svg

    crowded = replace(drill_report, marks=(Mark(60, "pl", "posture", "routine → alert"),
                                           Mark(62, "pl", "posture", "alert → consult"),
                                           Mark(240, "pl", "posture", "consult → alert")))
    svg = swimlane_svg(crowded)
    assert svg.count(">alert</text>") == 2  # at +1h, and again at +4h: room there
    assert ">consult</text>" not in svg  # two minutes later, it would print over "alert"
    assert svg.count('width="3" height="20"') == 3  # every move keeps its bar
