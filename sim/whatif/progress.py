"""A progress bar with rate and ETA on standard error, for long sweeps."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from sim.durations import format_duration


class ProgressBar:
    """Redraws one line in place on a terminal; elsewhere prints a line every few seconds."""

    def __init__(self, stream: TextIO | None = None, *, width: int = 30, label: str = "runs",
                 interval: float | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.width = width
        self.label = label
        self.interval = interval if interval is not None else (0.1 if self.tty else 5.0)
        self.start = time.monotonic()
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        """Show that `done` of `total` are finished (drawn at most every `interval`)."""
        now = time.monotonic()
        if done < total and now - self._last < self.interval:
            return
        self._last = now
        self.stream.write(("\r" if self.tty else "") + self.line(done, total, now - self.start)
                          + ("" if self.tty else "\n"))
        self.stream.flush()
        self._shown = True

    def line(self, done: int, total: int, elapsed: float) -> str:
        """The text of the bar."""
        frac = done / total if total else 1.0
        filled = int(frac * self.width)
        bar = "█" * filled + "·" * (self.width - filled)
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (total - done) / rate if rate > 0 else float("inf")
        eta_text = format_duration(eta / 60) if eta != float("inf") else "?"
        return (f"{bar} {done}/{total} {self.label} {frac:4.0%}  {rate:,.0f}/s  "
                f"ETA {eta_text if done < total else '0m'}  ")

    def close(self) -> None:
        """End the line so that what follows starts on its own."""
        if self._shown and self.tty:
            self.stream.write("\n")
            self.stream.flush()
