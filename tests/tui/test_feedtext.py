"""Feed lines: worded for the reader, claims with their source, truth marks for the facilitator only."""

from __future__ import annotations

import pytest

from sim.engine.records import Record
from sim.engine.session import FACILITATOR
from tui.feedtext import FeedText


def line(scenario, record, role=FACILITATOR, truth=None, **kw):
    writer = FeedText(scenario, role, show_truth=role == FACILITATOR if truth is None else truth,
                      **kw)
    return writer.line(record).plain if writer.shows(record) else None


def test_statement_for_the_facilitator_is_marked_false(scenario):
    r = Record(22, "statement", "wire", None, "news",
               {"hypothesis": "east", "confidence": 0.8, "correct": False, "text": "Boom"})
    assert line(scenario, r) == '14:22  ⚑ The Wire on news: «east 80%» ✗ false "Boom"'


def test_received_claim_for_a_player_names_its_source_and_no_truth(scenario):
    r = Record(24, "received", "pm", "wire", "news",
               {"hypothesis": "east", "confidence": 0.8, "correct": False})
    text = line(scenario, r, "pm", words_for=lambda _r: "Boom")
    assert text == '14:24  ◀ The Wire via news «east 80%» "Boom"'


def test_received_inject_shows_title_claim_source_and_text(scenario):
    r = Record(10, "received", "gen", None, None,
               {"inject": "blast", "hypothesis": "east", "confidence": 0.7, "correct": False})
    assert line(scenario, r, "gen") == ("14:10  ◆ Explosion near the border village «east 70%» — "
                                        "A missile has hit a grain dryer; two dead.")


def test_player_own_note_reads_in_the_first_person(scenario):
    r = Record(0, "note", "pm", None, None, {"text": "passes", "by": "player"})
    assert line(scenario, r, "pm") == "14:00  ▶ You pass"


@pytest.mark.parametrize("kind", ["belief", "received", "message_delivered", "call_attempt"])
def test_fine_grained_records_stay_out_of_the_facilitators_feed(scenario, kind):
    assert line(scenario, Record(0, kind, "pm")) is None


def test_days_after_the_first_are_marked(scenario):
    writer = FeedText(scenario, FACILITATOR, show_truth=True)
    assert writer.stamp(10) == "14:10"
    assert writer.stamp(24 * 60 + 10) == "+1d 14:10"


def test_call_lines_from_the_players_side(scenario):
    r = Record(41, "call_failed", "ally", "east", "hotline", {"attempt": 1, "reason": "unanswered"})
    assert line(scenario, r, "ally") == (
        "14:41  ✗ you → Gen. Ivan Sokol call failed over hotline (unanswered, attempt 1)")
    r = Record(16, "call_connected", "gen", "pm", "phone", {"attempt": 1})
    assert line(scenario, r, "pm") == "14:16  ☎ Gen. Piotr Wolny ⇄ you connected over phone"


def test_meetings_and_the_facilitators_view_name_people_not_ids(scenario):
    r = Record(50, "meeting_convened", "ally", None, "council", {"members": ["pm", "ally"]})
    assert line(scenario, r) == "14:50  council convenes: Anna Nowak, Gen. Sam Carter"
    r = Record(41, "call_failed", "ally", "east", "hotline", {"attempt": 2, "reason": "unanswered"})
    assert line(scenario, r) == ("14:41  ✗ Gen. Sam Carter → Gen. Ivan Sokol call failed over "
                                 "hotline (unanswered, attempt 2)")


def test_a_players_action_names_whom_it_reached_for(scenario):
    r = Record(0, "note", "ally", None, None, {"text": "calls east over hotline", "by": "player"})
    assert line(scenario, r, "ally") == "14:00  ▶ You call Gen. Ivan Sokol over hotline"
    assert line(scenario, r) == ("14:00  Gen. Sam Carter (player) calls Gen. Ivan Sokol over "
                                 "hotline")
