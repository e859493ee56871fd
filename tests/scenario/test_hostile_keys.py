"""Mapping keys that are not text (`1:`, `true:`, `null:`, `1.5:`) are errors, never crashes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.scenario import ScenarioError, load_scenario_text

ROOT = Path(__file__).resolve().parents[2]
TINY = (ROOT / "tests" / "data" / "scenarios" / "tiny.yaml").read_text()

#: A typo elsewhere makes the loader suggest names among the keys (where `len(1)` crashed).
TYPOS = [("default_variant: base", "default_variant: bse"), ("answer: $answer_p", "answer: $answr_p")]


def hostile(key: str, section: str) -> str:
    text = TINY
    if section == "parameters":
        text = text.replace("  answer_p: {type", f"  {key}: {{type: probability, default: 1}}\n"
                            "  answer_p: {type")
    else:
        text = text.replace("  dead-line:", f"  {key}: {{}}\n  dead-line:")
    for old, new in TYPOS:
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("section", ["parameters", "variants"])
@pytest.mark.parametrize(("key", "got"), [("1", "the number 1"), ("true", "true"),
                                          ("null", "nothing (null)"), ("1.5", "the number 1.5")])
def test_a_key_that_is_not_text_is_reported_with_its_position(key: str, got: str,
                                                              section: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(hostile(key, section), "k.yaml")
    lines = caught.value.report().splitlines()
    line = 9 if section == "parameters" else 12
    assert (f"k.yaml:{line}:3: error: {section}: expected a name (text) as key; got {got}"
            in lines), lines
    assert ("k.yaml:14:18: error: default_variant: unknown variant 'bse' (did you mean 'base'?); "
            "expected one of: base, dead-line") in lines


def test_validate_json_reports_every_file_of_the_batch(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(hostile("1", "variants"))
    good = ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"
    done = subprocess.run([sys.executable, "-m", "sim.cli", "validate", "--json", str(bad),
                           str(good)], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr == ""
    report = json.loads(done.stdout)
    assert [(r["file"], r["valid"]) for r in report] == [(str(bad), False), (str(good), True)]


def test_a_time_zone_too_long_for_a_file_name_is_an_error() -> None:
    # found by tests/test_fuzz.py: ZoneInfo raised OSError (file name too long), an internal error
    text = TINY.replace("timezone: UTC", "timezone: " + "x" * 5000, 1)
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, "k.yaml")
    assert caught.value.report() == (f"k.yaml:27:15: error: actors[0].timezone: '{'x' * 40}...' "
                                     "is not a known time zone; expected an IANA name like "
                                     "Europe/Warsaw")
