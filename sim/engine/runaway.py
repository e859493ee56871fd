"""A guard against runaway rules: unbounded work at one instant of scenario time.

Rules with `repeat: true` that set each other off with no delay (a message channel with no
latency, a response delay of zero) would fire for ever without the clock moving on, so a run
would never end and its log would grow until memory ran out. The world tells the guard of every
rule firing; past a generous budget within one instant the guard stops the run with a message
that names the rules involved.
"""

from __future__ import annotations

#: Scenario time (minutes) within which firings count as one instant: one second. A loop whose
#: every turn takes less than that cannot be told from a zero-delay loop by a reader of the log.
INSTANT = 1 / 60

#: Rule firings allowed within one instant, whatever the scenario's size.
BASE_BUDGET = 10_000

#: Further firings allowed per rule of the scenario (a broadcast may set off every rule at once).
PER_RULE = 100


class RunawayError(Exception):
    """Rules kept firing without scenario time moving on; the message names them.

    Built from its message alone, so that it survives SimPy's re-raising of a process's
    exception and pickling across worker processes unchanged.
    """


class BurstGuard:
    """Counts rule firings within the current instant and stops a runaway."""

    def __init__(self, n_rules: int) -> None:
        """Size the budget for a scenario of `n_rules` rules."""
        self.budget = BASE_BUDGET + PER_RULE * n_rules
        """Firings allowed within one instant."""
        self._since = float("-inf")
        self._count = 0
        self._by_rule: dict[str, int] = {}

    def fired(self, now: float, rule: str) -> None:
        """Count one firing of `rule` at minute `now`.

        Raises:
            RunawayError: the budget of this instant is spent.
        """
        if now - self._since > INSTANT:
            self._since, self._count = now, 0
            self._by_rule.clear()
        self._count += 1
        self._by_rule[rule] = self._by_rule.get(rule, 0) + 1
        if self._count > self.budget:
            raise RunawayError(runaway_message(self._since, self._count, self._by_rule))


def runaway_message(at: float, count: int, by_rule: dict[str, int]) -> str:
    """What a person reads when the guard stops a run."""
    ranked = sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    named = ", ".join(f"{rule!r} ({n:,}×)" for rule, n in ranked[:6])
    more = f" and {len(ranked) - 6} more" if len(ranked) > 6 else ""
    return (f"the run stopped at minute {at:g}: rules fired {count:,} times without scenario "
            f"time moving on ({named}{more}); they set each other off with no delay. Give one "
            "of them a delay, or drop its `repeat: true`")


__all__ = ["BurstGuard", "RunawayError", "runaway_message"]
