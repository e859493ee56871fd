"""Sweep files: read into a sweep, or every problem reported at its exact file:line:col."""

from __future__ import annotations

import pytest

from sim.whatif.sweepfile import SweepFileError, load_sweep_file, parse_sweep_text

from .conftest import DATA


def errors(tiny, name: str) -> list[str]:
    path = DATA / name
    with pytest.raises(SweepFileError) as info:
        load_sweep_file(path, tiny)
    return [line.replace(f"{path}:", "FILE:") for line in info.value.report().splitlines()]


def test_good_file_reads_into_a_spec(tiny):
    spec = load_sweep_file(DATA / "good_sweep.yaml", tiny)
    assert spec.reps == 20
    assert spec.seed == 3
    assert spec.variant == "base"
    assert spec.grid == {"answer_p": [0.2, 0.6, 1.0]}


def test_fields_of_the_wrong_kind(tiny):
    assert errors(tiny, "bad_fields.yaml") == [
        "FILE:1:7: error: reps: expected a number at least 1; got the number 0",
        "FILE:2:1: error: seeds: unknown field 'seeds' (did you mean 'seed'?); expected one of: "
        "common_seeds, description, grid, reps, sample, seed, set, title, until, variant",
        "FILE:4:13: error: grid.answer_p: expected a list of values; got the number 0.5",
    ]


def test_names_and_values_the_scenario_does_not_have(tiny):
    assert errors(tiny, "bad_params.yaml") == [
        "FILE:1:10: error: variant: unknown variant 'dead-lines' (did you mean 'dead-line'?); "
        "expected one of: base, dead-line",
        "FILE:3:3: error: set.answer: unknown parameter 'answer' (did you mean 'answer_p'?); "
        "expected one of: answer_p",
        "FILE:5:19: error: grid.answer_p[1]: probability 1.5 is out of range; expected a number "
        "from 0 to 1",
        "FILE:5:24: error: grid.answer_p[2]: 'nope' is not a probability; expected a number",
    ]


def test_sample_section(tiny):
    assert errors(tiny, "bad_sample.yaml") == [
        "FILE:2:11: error: sample.points: expected a number at least 1; got the number 0",
    ]
    assert errors(tiny, "bad_sample2.yaml") == [
        "FILE:4:15: error: sample.parameters.answer_p: the low end 0.9 is above the high end 0.1",
        "FILE:5:5: error: sample.parameters.line: unknown parameter 'line'; expected one of: answer_p",
    ]


def test_broken_yaml(tiny):
    assert errors(tiny, "bad_yaml.yaml") == [
        "FILE:3:1: error: invalid YAML: did not find expected ',' or '}' while parsing a flow "
        "mapping started at line 2, column 7",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("", "<sweep>:1:1: error: expected a mapping of sweep fields (reps, grid, sample, ...); "
         "got an empty file"),
    ("reps: 3\nreps: 4\n", "<sweep>:2:1: error: reps: duplicate key 'reps' (first defined at "
                          "line 1); expected each key once"),
    ("grid:\n  answer_p: [0.5]\nset: {answer_p: 0.2}\n",
     "<sweep>:2:3: error: grid.answer_p: parameter answer_p is already fixed under 'set'; "
     "expected it fixed or swept, not both"),
    ("until: soon\n", "<sweep>:1:8: error: until: 'soon' is not a duration; expected a duration "
                      "like 90s, 20m, 2h or 1d 6h"),
    ("sample: {points: 2, parameters: 7}\n",
     "<sweep>:1:33: error: sample.parameters: expected a list of parameter names, or a mapping "
     "of names to [low, high] or null; got the number 7"),
    ("sample: {points: 2, parameters: [answer_p, 3]}\n",
     "<sweep>:1:44: error: sample.parameters[1]: expected a parameter name; got the number 3"),
])
def test_messages_from_text(tiny, text, expected):
    with pytest.raises(SweepFileError) as info:
        parse_sweep_text(text, tiny)
    assert info.value.report() == expected


def test_missing_file(tiny, tmp_path):
    with pytest.raises(SweepFileError, match="no such file"):
        load_sweep_file(tmp_path / "nope.yaml", tiny)
