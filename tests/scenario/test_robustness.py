"""Whatever a file holds, loading gives a scenario or clean diagnostics: never a crash or pydantic's words."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.scenario import Scenario, ScenarioError, load_scenario_text

TINY = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "tiny.yaml"
BASE = yaml.safe_load(TINY.read_text(encoding="utf-8"))
LINE = re.compile(r"^doc\.yaml:\d+:\d+: error: ([\w\-\[\].]+: )?\S.*$")
PYDANTIC_WORDS = ("Input should", "Value error", "validation error", "Extra inputs", "Field required")


def paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += paths(value, (*path, i))
    return found


PATHS = paths(BASE)[1:]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(allow_nan=True),
    st.sampled_from(["", "x", "a", "b", "wire", "line", "news", "red", "alert", "call", "all", "5m", "+2h",
                     "0", "$answer_p", "$nope", "17:00", "2022-11-15T12:00:00Z", "2022-11-15T12:00:00",
                     "Europe/Warsaw", "Mars/Base"]),
    st.text(max_size=8),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["id", "kind", "fixed", "at", "x"]), inner,
                                                 max_size=3)), max_leaves=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), VALUES), min_size=1, max_size=3))
def test_any_change_to_a_valid_scenario_loads_or_reports_cleanly(changes: list[tuple[Any, Any]]) -> None:
    doc = copy.deepcopy(BASE)
    for path, value in changes:
        node = doc
        try:
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the place
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    for line in report(text):
        assert LINE.match(line) or line.startswith("... and "), line
        assert not any(words in line for words in PYDANTIC_WORDS), line


def report(text: str) -> list[str]:
    """The lines of the error loading `text` raises; none if it is a valid scenario."""
    try:
        scenario = load_scenario_text(text, "doc.yaml")
    except ScenarioError as exc:
        return exc.report().splitlines() or ["(an error without diagnostics)"]
    assert isinstance(scenario, Scenario)
    return []
