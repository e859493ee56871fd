"""Retired settings: older files still load, with one warning per file saying where and why."""

from __future__ import annotations

import textwrap
import warnings

import pytest

from sim.scenario import load_scenario_text
from sim.scenario.retired import ScenarioWarning

SCENARIO = textwrap.dedent("""\
    hotline: 1
    id: old
    title: Old file
    start: 2022-11-15T12:00:00Z
    duration: 2h
    question:
      text: Who?
      hypotheses: [{id: red, label: Red}, {id: blue, label: Blue}]
      truth: blue
    ladder: [{id: routine, label: Routine}]
    actors:
      - {id: a, name: A, side: x, timezone: UTC}
      - {id: b, name: B, side: x, timezone: UTC}
    channels:
      - {id: line, kind: call, ends: [a, b], capacity: 2}
      - {id: spare, kind: call, ends: [b, a], capacity: 0}
    """)


def test_capacity_on_a_call_line_loads_with_one_warning_per_file() -> None:
    """Rule: a retired `capacity` is accepted and ignored; the file gets one warning, at its first use."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario = load_scenario_text(SCENARIO, "old.yaml")
    assert [c.id for c in scenario.channels] == ["line", "spare"]
    assert [(w.category, str(w.message)) for w in caught] == [(
        ScenarioWarning,
        "old.yaml:15:42: warning: channels[0].capacity: 'capacity' is ignored: a call line links two "
        "actors who are both busy while they talk, so it never carries more than one call at a time; "
        "remove it (and 1 more in this file)")]


def test_a_file_without_retired_settings_loads_silently() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_scenario_text(SCENARIO.replace(", capacity: 2", "").replace(", capacity: 0", ""))


def test_a_retired_setting_still_has_to_be_well_formed() -> None:
    """Rule: ignored is not unchecked: a capacity that is not a count is still an error."""
    from sim.scenario import ScenarioError

    with pytest.raises(ScenarioError, match=r"old.yaml:15:52: error: channels\[0\].capacity"):
        load_scenario_text(SCENARIO.replace("capacity: 2", "capacity: lots"), "old.yaml")
