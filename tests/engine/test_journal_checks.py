"""Damaged but valid-JSON journals: report and play --resume refuse them alike, with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.engine.session import content_hash

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"
ADVANCE = {"op": "advance", "until": 60}

#: (header fields, operations, the message after `FILE:`), from the hostile-input run of issue 12.
CASES = [
    ({"seed": None}, [], "1: damaged journal header: the header has 'seed' None; expected a "
     "whole number"),
    ({"seed": "7"}, [], "1: damaged journal header: the header has 'seed' '7'; expected a whole "
     "number"),
    ({"scenario": None}, [], "1: damaged journal header: the header has 'scenario' None; expected "
     "the path of the scenario file (text)"),
    ({"scenario": 5}, [], "1: damaged journal header: the header has 'scenario' 5; expected the "
     "path of the scenario file (text)"),
    ({"seats": "a"}, [], "1: damaged journal header: the header has 'seats' 'a'; expected a list "
     "of actor ids"),
    ({"overrides": ["answer_p"]}, [], "1: damaged journal header: the header has 'overrides' "
     "['answer_p']; expected a mapping of parameter names to values"),
    ({"variant": 3}, [], "1: damaged journal header: the header has 'variant' 3; expected a "
     "variant's name (text) or null"),
    ({}, [{"op": "advance"}], "2: damaged journal line: an advance has no 'until'; expected the "
     "minute the advance ran to (a number)"),
    ({}, [ADVANCE, {"op": "advance", "until": True}], "3: damaged journal line: an advance has "
     "'until' True; expected the minute the advance ran to (a number)"),
    ({}, [{"op": "act", "t": 0, "action": {"note": "x", "pass": True}}],
     "2: damaged journal line: an act's action is not an action (an action is exactly one of: "
     "do, inject, free_inject, note, pass, answer)"),
    ({}, [{"op": "act", "action": {"note": "x"}}], "2: damaged journal line: an act has no 't'; "
     "expected the minute of the action (a number)"),
]


def write(tmp_path: Path, header: dict, ops: list) -> Path:
    full = {"format": "hotline-journal", "version": 1, "scenario": str(TINY),
            "scenario_hash": content_hash(TINY.read_text()), "seed": 0, "variant": None,
            "overrides": {}, "seats": [], **header}
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in [full, *ops]), encoding="utf-8")
    return path


def hotline(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(("header", "ops", "message"), CASES)
def test_report_and_resume_refuse_a_damaged_journal_alike(tmp_path: Path, header: dict, ops: list,
                                                           message: str) -> None:
    path = write(tmp_path, header, ops)
    for command in (["report", path], ["play", "--resume", path]):
        done = hotline(*command)
        assert done.returncode == 2, (command, done.stderr)  # play --resume: exit 1 before
        assert done.stderr == f"hotline {command[0]}: error: {path}:{message}\n"
