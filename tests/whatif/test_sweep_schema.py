"""Sweep files have a JSON Schema too: committed, valid, and agreeing with the sweep reader."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from sim.scenario.yamlnodes import Limits, read_document
from sim.whatif.sweepfile import SweepFileError, load_sweep_file

from .conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "scenarios" / "hotline-sweep.schema.json"
SCHEMA = json.loads(COMMITTED.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)


def _data(text: str) -> object:
    return read_document(text, Limits()).data


def test_committed_sweep_schema_is_what_hotline_schema_prints() -> None:
    done = subprocess.run([sys.executable, "-m", "sim.cli", "schema", "--sweep"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout == COMMITTED.read_text(encoding="utf-8"), (
        "regenerate it with `hotline schema --sweep -o scenarios/hotline-sweep.schema.json`")


def test_sweep_schema_passes_the_metaschema_check() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert all(p.get("description") for p in SCHEMA["properties"].values())


def test_the_good_sweep_file_validates_and_names_its_schema(tiny) -> None:
    text = (DATA / "good_sweep.yaml").read_text(encoding="utf-8")
    load_sweep_file(DATA / "good_sweep.yaml", tiny)
    assert list(VALIDATOR.iter_errors(_data(text))) == []
    assert text.startswith("# yaml-language-server: $schema=../../../scenarios/hotline-sweep.schema.json\n")


WHATIF = (ROOT / "docs" / "whatif.md").read_text(encoding="utf-8")


def test_the_sweep_file_example_in_the_guide_validates() -> None:
    example = re.search(r"```yaml\n(.*?)```", WHATIF.split("## Sweep files", 1)[1], re.DOTALL)
    assert example is not None
    data = _data(example[1])
    assert list(VALIDATOR.iter_errors(data)) == []
    data["sample"]["parameters"] = ["press_speed", "rumour_trust"]  # the list form the guide gives
    assert list(VALIDATOR.iter_errors(data)) == []


@pytest.mark.parametrize("name", ["bad_fields.yaml", "bad_sample.yaml"])
def test_structural_mistakes_in_sweep_files_are_rejected(tiny, name: str) -> None:
    # bad_params.yaml and bad_sample2.yaml name parameters the scenario lacks: the reader's job
    with pytest.raises(SweepFileError):
        load_sweep_file(DATA / name, tiny)
    assert list(VALIDATOR.iter_errors(_data((DATA / name).read_text(encoding="utf-8")))) != []


@pytest.mark.parametrize(("until", "valid"), [("24h", True), ("1d 6h", True), ("soon", False), (None, True)])
def test_until_is_a_duration(until: str | None, valid: bool) -> None:
    assert VALIDATOR.is_valid({"until": until}) == valid
