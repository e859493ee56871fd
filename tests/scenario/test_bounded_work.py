"""Validation work is bounded: caps on keys and values, and only the shown errors worded."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario import LoadLimits, ScenarioError, load_scenario_text

ROOT = Path(__file__).resolve().parents[2]
TINY = (ROOT / "tests" / "data" / "scenarios" / "tiny.yaml").read_text()
HEAD = ("hotline: 1\nid: h\ntitle: H\nstart: 2022-11-15T12:00:00Z\nduration: 12h\nquestion:\n"
        "  text: Who?\n  truth: blue\n  hypotheses:\n    - {id: red, label: Red}\n"
        "    - {id: blue, label: Blue}\nladder:\n  - {id: routine, label: Routine}\n")


def errors_of(text: str, limits: LoadLimits | None = None) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, "h.yaml", limits)
    return caught.value


def test_a_mapping_of_too_many_keys_stops_reading() -> None:
    text = HEAD + "".join(f"k{i:07d}: 1\n" for i in range(10_001))
    error = errors_of(text)
    assert error.report() == ("h.yaml:10007:1: error: more than 10000 keys in one mapping; "
                              "expected a scenario's fewer named fields")


def test_a_document_of_too_many_values_stops_reading() -> None:
    text = HEAD + "actors:\n" + "".join(f"  - {{id: a{i}}}\n" for i in range(300))
    error = errors_of(text, LoadLimits(max_nodes=500))
    assert error.report().startswith("h.yaml:")
    assert error.report().endswith(": error: more than 500 values in the document; expected a "
                                   "scenario of a size people write; raise the limit with "
                                   "--max-values if the file is trusted")


def test_a_list_at_the_root_is_refused_without_reading_it() -> None:
    error = errors_of("[" + "{}," * 100_000 + "{}]\n")
    assert error.report() == ("h.yaml:1:1: error: expected a mapping of scenario fields "
                              "(hotline: 1, id: ..., title: ...); got a list")


def test_many_broken_items_show_the_first_and_count_every_other() -> None:
    text = HEAD + "actors:\n" + "".join(f"  - {{id: a{i}}}\n" for i in range(5_000))
    error = errors_of(text)
    assert len(error.diagnostics) == 50
    # each actor misses name, side and timezone: 15,000 problems in all
    assert error.truncated == 15_000 - 50
    assert str(error.diagnostics[0]) == "h.yaml:15:5: error: actors[0]: missing required field 'name'"
    assert [d.line for d in error.diagnostics] == sorted(d.line for d in error.diagnostics)
    assert error.diagnostics[-1].line == 15 + 16  # actors 0 to 16, three problems each


def test_many_unknown_top_level_keys_are_counted_not_worded() -> None:
    text = TINY + "".join(f"extra{i}: 1\n" for i in range(5_000))
    error = errors_of(text)
    assert len(error.diagnostics) == 50
    assert error.truncated == 5_000 - 50
    assert str(error.diagnostics[0]).startswith("h.yaml:84:1: error: extra0: unknown field 'extra0'")


def test_the_default_bound_on_values_reads_a_hundred_copies_of_poland() -> None:
    # K = 100 copies of Poland with their notes (`benchmarks/kcopies.py`) make 1,277,736 parser
    # events; an unknown key holding as many is read to its end, and only then refused
    text = TINY + "extra: [" + "0," * 1_300_000 + "0]\n"
    error = errors_of(text)
    assert error.report().startswith("h.yaml:84:1: error: extra: unknown field 'extra'")


def test_the_default_bound_on_values_stops_a_dense_file() -> None:
    # 2 bytes a value: 16 MiB of this would be 8 million values; reading stops at 700,000
    text = HEAD + "extra: [" + "0," * 1_500_000 + "0]\n"
    error = errors_of(text)
    assert error.report().startswith("h.yaml:14:")
    assert error.report().endswith(": error: more than 700,000 values in the document; expected "
                                   "a scenario of a size people write; raise the limit with "
                                   "--max-values if the file is trusted")
