"""An actor's local clock as arithmetic: its UTC offset over a run, found once per zone and start.

Whether an actor is off duty is asked on every contact it gets, and converting a datetime to a
time zone costs microseconds each time. A zone's offset changes only at its transitions (summer
time), so the offsets over a run are found once, as stretches of one offset, and the minute of
the local day is then a sum and a floor. Close to a transition, close to a minute's edge (where
`datetime`'s rounding to microseconds could tip the floor) or past the stretches, the answer
comes from `datetime` itself, so it is always the same as `datetime` gives.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

#: Minutes past a run's end still covered (a rule's off-duty wait may look a day ahead).
MARGIN = 2 * 24 * 60

#: How far from a minute's edge the sum must be to be trusted (datetime rounds to 1 µs).
_EDGE = 1e-6

Stretch = tuple[float, float]  # (first minute since the start, UTC offset in minutes)


@lru_cache(maxsize=256)
def stretches(zone: str, start: datetime, minutes: float) -> tuple[Stretch, ...]:
    """The stretches of one UTC offset of `zone` from `start` over `minutes`, in order.

    Offsets are read every hour (zones change at most a few times a year) and a change is
    narrowed to the first whole minute since `start` that has the new offset.
    """
    tz = ZoneInfo(zone)

    def offset(minute: int) -> float:
        stamp = (start + timedelta(minutes=minute)).astimezone(tz)
        return stamp.utcoffset().total_seconds() / 60  # type: ignore[union-attr]

    found = [(0.0, offset(0))]
    last, end = 0, math.ceil(minutes)
    while last < end:
        step = min(last + 60, end)
        if offset(step) != found[-1][1]:
            low, high = last, step  # offset(low) is the old one, offset(high) the new
            while high - low > 1:
                mid = (low + high) // 2
                low, high = (mid, high) if offset(mid) == found[-1][1] else (low, mid)
            found.append((float(high), offset(high)))
        last = step
    return tuple(found)


class LocalClock:
    """One actor's minute of the local day at any minute of a run."""

    def __init__(self, zone: str, start: datetime, minutes: float) -> None:
        """The clock of `zone` for a run from `start` lasting `minutes`."""
        self._zone = ZoneInfo(zone)
        self._start = start
        self._end = minutes + MARGIN
        self._stretches = stretches(zone, start, self._end)
        utc = start.astimezone(UTC)
        #: The start's UTC minute of the day, seconds and microseconds as its fraction.
        self._base = utc.hour * 60 + utc.minute + utc.second / 60 + utc.microsecond / 6e7

    def local_time(self, now: float) -> datetime:
        """The wall-clock time at run minute `now`."""
        return (self._start + timedelta(minutes=now)).astimezone(self._zone)

    def minute_of_day(self, now: float) -> int:
        """The local hour × 60 + minute at run minute `now`, as `local_time` would give it."""
        if 0.0 <= now < self._end:
            offset = self._offset(now)
            if offset is not None:
                total = self._base + offset + now
                floor = math.floor(total)
                if _EDGE < total - floor < 1.0 - _EDGE:
                    return floor % 1440
        local = self.local_time(now)
        return local.hour * 60 + local.minute

    def _offset(self, now: float) -> float | None:
        """The UTC offset at `now`, or None within a minute of a change of offset."""
        found = self._stretches
        offset = found[0][1]
        for first, later in found[1:]:
            if now >= first - 1.0:
                if now < first:
                    return None  # the change falls somewhere in this minute
                offset = later
        return offset


__all__ = ["LocalClock", "stretches"]
