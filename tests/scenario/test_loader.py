"""Broken scenario files give exact `file:line:col: error: path: message` lines; good ones load."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sim.scenario import LoadLimits, Scenario, ScenarioError, load_scenario, load_scenario_text

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
TINY = ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"
POLAND = ROOT / "scenarios" / "poland-2022.yaml"

#: Every file in tests/data/bad and the exact report it gives; `{file}` stands for its path.
EXPECTED = {
    # every field the evidence, conversation and escalation work added, written wrong
    "new_language.yaml": [
        "{file}:9:44: error: question.hypotheses[0].blames: unknown side 'nowhere'; expected one of: east",
        "{file}:16:14: error: questions[0].hypotheses[0].id: hypothesis id 'red' is already used; "
        "expected ids unique across every question (a claim's hypothesis names its question)",
        "{file}:23:60: error: actors[0].trust.b: 'G' is not a reliability; expected a number from 0 to 1 "
        'or an Admiralty letter A–F',
        "{file}:24:21: error: actors[0].moves[0].move: 'shout' is not allowed; expected 'say', 'share', "
        "'deny', 'ask', 'warn', 'reassure', 'stall', 'propose', 'accept' or 'refuse'",
        "{file}:27:72: error: channels[0].answer.arranged: 'high' is not a number; expected e.g. 1.5 or "
        '-2',
        "{file}:29:35: error: channels[1].decisions[0].rule: 'most' is not allowed; expected 'any', "
        "'majority' or 'all'",
        '{file}:31:37: error: observation[0].error: probability 2 is out of range; expected a number '
        'from 0 to 1',
        "{file}:37:18: error: evidence[0].reliability: 'Z' is not a reliability; expected a number from "
        '0 to 1 or an Admiralty letter A–F',
        "{file}:44:30: error: rules[0].when.accused.public: expected true or false; got the text 'maybe'",
        "{file}:45:23: error: rules[0].if[0].local_time: '25:00' is not a time of day; expected HH:MM, "
        'e.g. 07:30',
        "{file}:50:12: error: rules[1].every: 'soon' is not a duration; expected a duration like 90s, "
        '20m, 2h or 1d 6h',
        "{file}:51:15: error: rules[1].off_duty: 'sleep' is not allowed; expected 'delay' or 'wait'",
        "{file}:55:28: error: metrics[0].historical.at_most: 'yesterday' is not a duration; expected a "
        'duration like 90s, 20m, 2h or 1d 6h',
        "{file}:56:55: error: metrics[1].decision: unknown decision 'art4'; there are none defined",
    ],
    "not_a_mapping.yaml": [
        "{file}:2:1: error: expected a mapping of scenario fields (hotline: 1, id: ..., title: ...); "
        "got a list",
    ],
    "empty.yaml": [
        "{file}:1:1: error: expected a mapping of scenario fields (hotline: 1, id: ..., title: ...); "
        "got an empty file",
    ],
    "wrong_type.yaml": [
        "{file}:6:11: error: duration: 12 is not a duration; expected a duration like 90s, 20m, 2h "
        "or 1d 6h (a bare number has no unit)",
        "{file}:20:15: error: actors[0].playable: expected true or false; got the text 'maybe'",
    ],
    "unknown_field.yaml": [
        "{file}:16:5: error: actors[0]: missing required field 'timezone'",
        "{file}:19:5: error: actors[0].timezon: unknown field 'timezon' (did you mean 'timezone'?); "
        "expected one of: belief, beliefs, confidence, conservatism, id, moves, name, no_answer, "
        "note, off_duty_delay, playable, posture, response, sees_provenance, side, source, timezone, "
        "title, trust, trust_default, unreachable, working_hours",
    ],
    "unknown_reference.yaml": [
        "{file}:23:12: error: rules[0].actor: unknown actor 'wier' (did you mean 'wire'?); "
        "expected one of: a, b, wire",
        "{file}:25:33: error: rules[0].do.call.channel: unknown call channel 'lien' "
        "(did you mean 'line'?); expected one of: line",
    ],
    "duplicate_key.yaml": [
        "{file}:19:5: error: actors[0].name: duplicate key 'name' (first defined at line 17); "
        "expected each key once",
    ],
    "duplicate_id.yaml": [
        "{file}:17:10: error: actors[1].id: duplicate id 'a'; expected each actor id once",
    ],
    "bad_duration.yaml": [
        "{file}:6:11: error: duration: '5 minutes' is not a duration; expected a duration like 90s, "
        "20m, 2h or 1d 6h",
    ],
    "probability_out_of_range.yaml": [
        "{file}:22:13: error: channels[0].answer: probability 1.5 is out of range; expected a number "
        "from 0 to 1",
    ],
    "python_tag.yaml": [
        "{file}:4:8: error: title: tag '!!python/object/apply:os.system' is not allowed; expected "
        "plain YAML without tags",
    ],
    "alias_bomb.yaml": [
        "{file}:8:8: error: f[0]: aliases expand to more than 100000 nodes; expected a document "
        "without an alias bomb",
    ],
    "latin1.yaml": [
        "{file}:4:11: error: is not UTF-8 text (byte 0xe9 at offset 63); expected a UTF-8 YAML scenario",
    ],
    "binary.yaml": [
        "{file}:2:1: error: is not a text file (it holds NUL bytes); expected a UTF-8 YAML scenario",
    ],
    "invalid_syntax.yaml": [
        "{file}:6:6: error: invalid YAML: did not find expected ',' or ']' while parsing a flow "
        "sequence started at line 5, column 13",
    ],
    "unknown_channel_kind.yaml": [
        "{file}:20:11: error: channels[0].kind: unknown kind 'cal' (did you mean 'call'?); expected "
        "one of: call, message, broadcast, meeting",
    ],
    "bad_timezone.yaml": [
        "{file}:19:15: error: actors[0].timezone: 'Europe/Warsw' is not a known time zone "
        "(did you mean 'Europe/Warsaw'?); expected an IANA name like Europe/Warsaw",
    ],
    "instant_without_zone.yaml": [
        "{file}:5:8: error: start: '2022-11-15T12:00:00' is not an instant with a time zone; "
        "expected e.g. 2022-11-15T14:30:00Z",
        "{file}:20:9: error: injects[0].at: '2022-11-15T12:10:00' has no time zone; expected e.g. "
        "2022-11-15T14:40:00Z",
    ],
    "variant_parameters.yaml": [
        "{file}:12:16: error: variants.typo.set.answer_pp: unknown parameter 'answer_pp' "
        "(did you mean 'answer_p'?); expected one of: answer_p, setup_t",
        "{file}:13:25: error: variants.slow.set.setup_t: 20m is out of range; expected 0m to 10m",
    ],
    "parameter_wrong_type.yaml": [
        "{file}:24:12: error: channels[0].setup: parameter $answer_p is a probability; expected a "
        "duration parameter here",
    ],
    "lognormal_p90_below_median.yaml": [
        "{file}:22:15: error: channels[0].duration: lognormal p90 5m is not above its median 10m; "
        "expected a p90 larger than the median",
    ],
    "sourcing_missing_source.yaml": [
        "{file}:22:5: error: actors[1]: missing source; this scenario has 'sourcing: required', so "
        "every historical fact cites a source and a confidence code (C, R, E or X)",
    ],
    "many_errors.yaml": [
        "{file}:2:10: error: hotline: 2 is not allowed; expected 1",
        "{file}:3:5: error: id: 'Tiny' is not a valid id; expected lower-case letters, digits, '-' "
        "or '_', starting with a letter or digit",
        "{file}:6:11: error: duration: '12x' is not a duration; expected a duration like 90s, 20m, "
        "2h or 1d 6h",
        "{file}:12:10: error: question.truth: unknown hypothesis 'green'; expected one of: blue, red",
        "{file}:16:68: error: actors[0].no_answer: probability 1.5 is out of range; expected a "
        "number from 0 to 1",
        "{file}:17:52: error: actors[1].timezone: 'Mars/Base' is not a known time zone; expected an "
        "IANA name like Europe/Warsaw",
        "{file}:17:73: error: actors[1].playable: expected true or false; got the text 'maybe'",
        "{file}:19:38: error: channels[0].ends[1]: unknown actor 'z'; expected one of: a, b",
    ],
}


def report(path: Path | str, limits: LoadLimits | None = None) -> list[str]:
    """The lines of the error that loading `path` raises."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, limits)
    return info.value.report().splitlines()


def test_every_bad_file_has_an_expected_report() -> None:
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_reports_exact_positions_and_messages(name: str) -> None:
    path = BAD / name
    assert report(path) == [line.format(file=path) for line in EXPECTED[name]]


def test_no_pydantic_wording_leaks_into_any_report() -> None:
    for name in EXPECTED:
        for line in report(BAD / name):
            assert "Input should be" not in line
            assert "Value error" not in line
            assert "(document)" not in line


def test_several_errors_come_sorted_as_diagnostics_in_file_order() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(BAD / "many_errors.yaml")
    found = [(d.line, d.column, d.path) for d in info.value.diagnostics]
    assert found == sorted(found)
    assert [d.path for d in info.value.diagnostics] == [
        "hotline", "id", "duration", "question.truth", "actors[0].no_answer", "actors[1].timezone",
        "actors[1].playable", "channels[0].ends[1]",
    ]
    assert info.value.truncated == 0


def test_reports_are_capped_at_max_errors_and_count_the_rest() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(BAD / "many_errors.yaml", LoadLimits(max_errors=3))
    assert [d.path for d in info.value.diagnostics] == ["hotline", "id", "duration"]
    assert info.value.truncated == 5
    assert info.value.report().splitlines()[-1] == "... and 5 more errors not shown"


def test_alias_bomb_is_rejected_fast() -> None:
    started = time.perf_counter()
    report(BAD / "alias_bomb.yaml")
    assert time.perf_counter() - started < 1.0


def test_deep_nesting_is_rejected_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("hotline: " + "[" * 200 + "]" * 200 + "\n")
    # the root mapping is level 1; the 64th `[` (column 9 + 64) would open level 65
    assert report(path) == [
        f"{path}:1:73: error: hotline{'[0]' * 63}: nesting deeper than 64 levels; expected a scenario "
        "nested no deeper",
    ]


def test_deep_nesting_limit_is_a_setting(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a:\n  b:\n    c: [1]\n")
    assert report(path, LoadLimits(max_depth=3)) == [
        f"{path}:3:8: error: a.b.c: nesting deeper than 3 levels; expected a scenario nested no deeper",
    ]


def test_very_deep_flow_nesting_stops_in_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "deeper.yaml"
    path.write_text("[" * 100_000 + "]" * 100_000)
    started = time.perf_counter()
    lines = report(path)
    assert time.perf_counter() - started < 2.0
    assert lines == [f"{path}:1:1001: error: invalid YAML: exceeded maximum nesting depth while "
                     "increasing flow level"]


def test_file_over_max_bytes_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * 101)
    assert report(path, LoadLimits(max_bytes=100)) == [
        f"{path}: error: file is 101 bytes, over the limit of 100; raise the limit with --max-bytes "
        "if the file is trusted",
    ]


def test_file_over_the_default_16_mib_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(16 * 1024 * 1024 + 1)  # sparse: quick to make, and never read
    assert report(path) == [
        f"{path}: error: file is 16777217 bytes, over the limit of 16777216; raise the limit with "
        "--max-bytes if the file is trusted",
    ]


def test_text_over_max_bytes_is_rejected() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text("a: " + "x" * 200, "inline.yaml", LoadLimits(max_bytes=100))
    assert info.value.report() == "inline.yaml: error: text is over the limit of 100 bytes"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    assert report(path) == [f"{path}: error: no such file; expected the path of a scenario .yaml file"]


def test_directory(tmp_path: Path) -> None:
    assert report(tmp_path) == [f"{tmp_path}: error: is a directory; expected a scenario .yaml file"]


def test_file_level_problems_have_line_zero_in_diagnostics(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "nowhere.yaml")
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.path) == (0, 0, "")


def test_text_is_named_in_messages() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text("- 1\n", "pasted")
    assert str(info.value).startswith("pasted:1:1: error: expected a mapping")


def test_a_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + TINY.read_bytes())
    assert load_scenario(path).id == "tiny"


def test_tiny_scenario_loads() -> None:
    scenario = load_scenario(TINY)
    assert isinstance(scenario, Scenario)
    assert scenario.id == "tiny"
    assert [a.id for a in scenario.actors] == ["a", "b", "wire"]
    assert scenario.duration == 720.0
    assert scenario.channel("line").answer == "$answer_p"


def test_poland_2022_scenario_validates() -> None:
    scenario = load_scenario(POLAND)
    assert scenario.id == "poland-2022"
    assert scenario.question.truth in {h.id for h in scenario.question.hypotheses}
    hotline = [c for c in scenario.channels if c.kind == "call" and set(c.ends) == {"us-cjcs", "ru-cgs"}]
    assert len(hotline) == 1  # the Milley-Gerasimov line the scenario is about
    assert scenario.actor("us-cjcs").playable
