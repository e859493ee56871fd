"""Fuzzing: mutated scenarios load cleanly or fail at FILE:LINE:COL; accepted ones run cleanly.

Each example takes a shipped or test scenario and deletes, swaps or duplicates lines, or puts a
hostile value (wrong type, huge, NaN, infinite) in place of one. The default budget is small
enough for CI and derandomized (the same examples on every run); for a long, random run:

    HOTLINE_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py \\
        --hypothesis-show-statistics

The statistics show how many mutants were accepted and how many rejected.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sim.engine.params import resolve_params
from sim.engine.runaway import RunawayError
from sim.engine.world import World
from sim.scenario import ScenarioError, load_scenario_text
from sim.scenario.models import Scenario

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "tests" / "data" / "scenarios" / name for name in ("tiny.yaml", "play.yaml")]
BASES = [p.read_text(encoding="utf-8").splitlines() for p in SOURCES]

#: Examples per test; a long run sets more, and gets random (not repeated) examples.
EXAMPLES = int(os.environ.get("HOTLINE_FUZZ_EXAMPLES", "100"))
LONG = "HOTLINE_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE = ["[]", "{}", "-1", "0", "1e309", "-1e309", ".nan", ".inf", "-.inf", "99999999999999999999",
           '""', "null", "true", "1:", "{1: 2}", "x" * 5000, "'é\u202e'", "2022-13-45T99:00:00Z",
           "$nope", "1.5", "-0", "0x10", "!!str 5", "*undefined", "&a [*a]", "'\\0'"]

POSITION = re.compile(r"^fuzz\.yaml:[1-9]\d*:[1-9]\d*: (error|warning): ")


@st.composite
def mutants(draw: st.DrawFn) -> str:
    lines = list(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["delete", "swap", "duplicate", "value", "value"]))
        if how == "delete" and len(lines) > 1:
            del lines[i]
        elif how == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        else:
            head, sep, _ = lines[i].partition(": ")
            value = draw(st.sampled_from(HOSTILE))
            lines[i] = f"{head}{sep or ': '}{value}"
    return "\n".join(lines) + "\n"


def outcome(text: str) -> Scenario | None:
    """The scenario, or None for a clean rejection; anything else fails the test."""
    try:
        scenario = load_scenario_text(text, "fuzz.yaml")
    except ScenarioError as exc:
        error = exc
    else:
        event("accepted")
        return scenario
    assert error.diagnostics
    for d in error.diagnostics:
        assert POSITION.match(str(d)), str(d)
    event("rejected")
    return None


@FUZZ
@given(mutants())
def test_a_mutated_scenario_loads_or_fails_at_a_position(text: str) -> None:
    outcome(text)


@FUZZ
@given(mutants(), st.integers(0, 2**31))
def test_an_accepted_mutant_runs_without_an_internal_error(text: str, seed: int) -> None:
    scenario = outcome(text)
    if scenario is None:
        return
    world = World(scenario, seed, resolve_params(scenario))
    world.burst.budget = 2_000  # a bound on rule firings per instant, well under the default
    try:
        world.run(min(scenario.duration, 6 * 60))
    except RunawayError:
        event("stopped as a runaway")
        return
    event("ran")
