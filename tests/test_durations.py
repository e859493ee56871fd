"""Durations as people write them: `90s`, `20m`, `2h`, `1d 6h`, read into minutes and back."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.durations import DurationError, format_duration, format_hm, parse_duration


@pytest.mark.parametrize(("text", "minutes"), [
    ("90s", 1.5),
    ("20m", 20.0),
    ("2h", 120.0),
    ("1d", 1440.0),
    ("1d 6h", 1800.0),
    ("1h30m", 90.0),
    ("6h 1d", 1800.0),
    ("1.5h", 90.0),
    ("  2h  ", 120.0),
    ("0", 0.0),
    ("0m", 0.0),
    ("1h 0m 30s", 60.5),
])
def test_parse_duration(text: str, minutes: float) -> None:
    assert parse_duration(text) == pytest.approx(minutes)


@pytest.mark.parametrize("text", ["", "5", "5 minutes", "h", "-5m", "5x", "1h and 5m", "1,5h", "m5"])
def test_not_a_duration(text: str) -> None:
    with pytest.raises(DurationError) as info:
        parse_duration(text)
    assert str(info.value) == f"{text!r} is not a duration; expected a duration like 90s, 20m, 2h or 1d 6h"


@pytest.mark.parametrize(("minutes", "text"), [
    (0, "0m"),
    (1.5, "1m 30s"),
    (90, "1h 30m"),
    (1800, "1d 6h"),
    (1441, "1d 1m"),
    (-5, "-5m"),
    (math.inf, "never"),
])
def test_format_duration(minutes: float, text: str) -> None:
    assert format_duration(minutes) == text


@pytest.mark.parametrize(("minutes", "text"), [
    (255, "4h15m"), (5, "5m"), (60, "1h00m"), (-65, "-1h05m"), (0, "0m"),
    (None, "never"), (math.inf, "never"),
])
def test_format_hm(minutes: float | None, text: str) -> None:
    assert format_hm(minutes) == text  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10 * 86400))
def test_format_then_parse_gives_the_same_whole_seconds(seconds: int) -> None:
    minutes = seconds / 60
    assert parse_duration(format_duration(minutes)) == pytest.approx(minutes)
