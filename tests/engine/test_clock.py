"""The local clock's arithmetic gives what `datetime` gives, across summer time and odd offsets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine.clock import MARGIN, LocalClock, stretches

#: Zones with summer time both ways, a half-hour change (Lord Howe), odd offsets, and none.
ZONES = ("Europe/Warsaw", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu",
         "America/St_Johns", "Asia/Shanghai", "UTC")
#: Starts a day before changes of offset in 2022, and the Przewodów evening.
STARTS = (datetime(2022, 3, 26, 12, 0, 0, tzinfo=UTC), datetime(2022, 10, 29, 23, 59, 30, tzinfo=UTC),
          datetime(2022, 11, 5, 7, 13, 17, 250_000, tzinfo=UTC), datetime(2022, 4, 2, 14, 30, tzinfo=UTC),
          datetime(2022, 11, 15, 14, 40, tzinfo=UTC))
DAYS = 4 * 24 * 60


def by_datetime(zone: str, start: datetime, now: float) -> int:
    local = LocalClock(zone, start, DAYS).local_time(now)
    return local.hour * 60 + local.minute


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ZONES), st.sampled_from(STARTS),
       st.floats(0, DAYS + MARGIN + 600, allow_nan=False), st.sampled_from((0.0, 1e-9, -1e-9, 5e-7)))
def test_minute_of_day_is_what_datetime_gives(zone: str, start: datetime, now: float, nudge: float) -> None:
    # also exactly on, and a hair either side of, whole minutes, where the floor could tip
    for t in (now, float(round(now)) + nudge):
        if t >= 0:
            assert LocalClock(zone, start, DAYS).minute_of_day(t) == by_datetime(zone, start, t)


def test_a_change_of_offset_is_found_to_the_minute() -> None:
    # Warsaw leaves summer time at 01:00 UTC on 30 October 2022: 25h30m after this start
    start = datetime(2022, 10, 28, 23, 30, tzinfo=UTC)
    assert stretches("Europe/Warsaw", start, DAYS) == ((0.0, 120.0), (1530.0, 60.0))
    assert stretches("Asia/Shanghai", start, DAYS) == ((0.0, 480.0),)
    clock = LocalClock("Europe/Warsaw", start, DAYS)
    assert clock.minute_of_day(1529.5) == 2 * 60 + 59  # 02:59 summer time
    assert clock.minute_of_day(1530.5) == 2 * 60  # 02:00 again, winter time


def test_after_the_covered_stretch_it_asks_datetime() -> None:
    start = datetime(2022, 3, 1, tzinfo=UTC)
    clock = LocalClock("Europe/Warsaw", start, 60)
    late = 60.0 + MARGIN + 40 * 24 * 60  # past the end of March: summer time, never scanned
    assert clock.minute_of_day(late) == by_datetime("Europe/Warsaw", start, late)
    assert clock.minute_of_day(late) == ((start + timedelta(minutes=late)).hour + 2) * 60 % 1440
