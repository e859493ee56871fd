"""The scenario authoring guide stays true: its full example validates, its outputs are real."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from sim.scenario import load_scenario_text

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "scenario-authoring.md"
TEXT = GUIDE.read_text(encoding="utf-8")
CONSOLE = re.findall(r"```console\n\$ (hotline [^\n]*)\n(.*?)```", TEXT, re.DOTALL)


def test_the_complete_example_validates() -> None:
    example = TEXT.split("## A complete scenario", 1)[1]
    yaml_text = re.search(r"```yaml\n(.*?)```", example, re.DOTALL)
    assert yaml_text is not None
    scenario = load_scenario_text(yaml_text[1], "guide-example.yaml")
    assert scenario.id == "border-incident"
    assert [c.kind for c in scenario.channels] == ["call", "message", "broadcast", "meeting"]
    assert sorted({m.kind for m in scenario.metrics}) == sorted(
        ["contact", "failed_calls", "first", "belief_true", "peak_posture", "reached"])


def test_the_guide_shows_command_outputs() -> None:
    assert len(CONSOLE) >= 8


@pytest.mark.parametrize(("command", "output"), CONSOLE, ids=[c for c, _ in CONSOLE])
def test_command_outputs_in_the_guide_are_what_the_command_prints(command: str, output: str) -> None:
    args = shlex.split(command)[1:]
    done = subprocess.run([sys.executable, "-m", "sim.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.stdout + done.stderr == output
    assert done.returncode == (0 if " ok: " in output else 2)
