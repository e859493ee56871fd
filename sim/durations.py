"""Durations as people write them (`90s`, `20m`, `2h`, `1d 6h`), in minutes of scenario time."""

from __future__ import annotations

import math
import re

#: Minutes in one of each unit a duration may use.
UNIT_MINUTES = {"s": 1 / 60, "m": 1.0, "h": 60.0, "d": 1440.0}

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_WHOLE = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*[smhd]\s*)+$")

#: The JSON Schema pattern of what `parse_duration` reads, for editors: `_WHOLE`, or `0` alone.
DURATION_PATTERN = r"^\s*(0\s*|(\d+(\.\d+)?\s*[smhd]\s*)+)$"

#: What the error messages say a duration looks like.
DURATION_EXAMPLE = "a duration like 90s, 20m, 2h or 1d 6h"


class DurationError(ValueError):
    """A text that is not a duration."""


def parse_duration(text: str) -> float:
    """Return the minutes in a duration such as `1h 30m`.

    Args:
        text: units `s`, `m`, `h`, `d`, each after a non-negative number, largest first or not;
            `0` alone is also accepted.

    Returns:
        The duration in minutes.

    Raises:
        DurationError: the text is not a duration.
    """
    if text.strip() == "0":
        return 0.0
    if not _WHOLE.match(text):
        raise DurationError(f"{text!r} is not a duration; expected {DURATION_EXAMPLE}")
    return sum(float(n) * UNIT_MINUTES[u] for n, u in _PART.findall(text))


def format_duration(minutes: float) -> str:
    """Write minutes the way `parse_duration` reads them, e.g. `1d 6h 5m`."""
    if math.isinf(minutes):
        return "never"
    sign = "-" if minutes < 0 else ""
    seconds = round(abs(minutes) * 60)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    mins, seconds = divmod(seconds, 60)
    parts = [f"{v}{u}" for v, u in ((days, "d"), (hours, "h"), (mins, "m"), (seconds, "s")) if v]
    return sign + (" ".join(parts) if parts else "0m")


def format_hm(minutes: float) -> str:
    """Write minutes compactly as hours and minutes, e.g. `4h15m`, for tables."""
    if minutes is None or math.isinf(minutes):
        return "never"
    total = round(minutes)
    sign = "-" if total < 0 else ""
    h, m = divmod(abs(total), 60)
    return f"{sign}{h}h{m:02d}m" if h else f"{sign}{m}m"
