"""The committed schema, checked by an independent validator, accepts what Hotline accepts.

`jsonschema` (draft 2020-12) validates the files as Hotline reads them; the loader gives the
verdict the schema must agree with.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import TypeAdapter, ValidationError

from sim.scenario import load_scenario_text
from sim.scenario.diagnostics import ScenarioError
from sim.scenario.values import Duration
from sim.scenario.yamlnodes import Limits, read_document

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "scenarios" / "hotline.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)


def _data(text: str) -> Any:
    return read_document(text, Limits()).data


def _errors(data: Any, validator: Draft202012Validator = VALIDATOR) -> list[str]:
    return [f"{e.json_path}: {e.message}"[:300] for e in validator.iter_errors(data)]


GOOD = [*sorted((ROOT / "scenarios").glob("*.yaml")),
        *sorted((ROOT / "tests/data/scenarios").rglob("*.yaml")),
        ROOT / "tests/data/journals/drill.yaml",
        *sorted(p for p in (ROOT / "tests/whatif/data").glob("*.yaml")  # scenarios beside sweeps
                if p.read_text(encoding="utf-8").startswith("hotline: 1"))]


@pytest.mark.parametrize("path", GOOD, ids=[str(p.relative_to(ROOT)) for p in GOOD])
def test_every_good_scenario_validates(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    load_scenario_text(text, str(path))  # Hotline accepts it...
    assert _errors(_data(text)) == []    # ...and so does the schema


# Broken in their shape (a wrong type, an unknown field, a missing one, a bad value): an editor
# flags them too. The other files in tests/data/bad are broken YAML (the reader's job) or break
# rules between parts (references, sourcing, parameter types, time zones: `hotline validate` only).
STRUCTURAL = ["bad_duration", "instant_without_zone", "many_errors", "not_a_mapping",
              "probability_out_of_range", "unknown_channel_kind", "unknown_field", "wrong_type"]


@pytest.mark.parametrize("name", STRUCTURAL)
def test_structural_mistakes_are_rejected(name: str) -> None:
    text = (ROOT / "tests/data/bad" / f"{name}.yaml").read_text(encoding="utf-8")
    with pytest.raises(ScenarioError):
        load_scenario_text(text, name)
    assert _errors(_data(text)) != []


GUIDE = (ROOT / "docs" / "scenario-authoring.md").read_text(encoding="utf-8")
EXAMPLES = [(GUIDE[: m.start()].count("\n") + 1, m[1])
            for m in re.finditer(r"```yaml\n(.*?)```", GUIDE, re.DOTALL)]
# a fragment may leave out any required field; it is checked for what it does say
FRAGMENT = Draft202012Validator({**SCHEMA, "required": []})


def _section(line: int) -> str:
    heading = re.findall(r"^## (\w+)", "\n".join(GUIDE.splitlines()[:line]), re.MULTILINE)[-1]
    return heading.lower()


@pytest.mark.parametrize(("line", "text"), EXAMPLES, ids=[f"line-{n}" for n, _ in EXAMPLES])
def test_every_example_in_the_authoring_guide_validates(line: int, text: str) -> None:
    data = _data(text)
    if data is None:  # a modeline alone
        return
    if isinstance(data, list):  # list items shown under their section, e.g. one channel
        data = {_section(line): data}
    assert _errors(data, FRAGMENT) == []


def test_the_guide_has_examples_of_every_part() -> None:
    assert len(EXAMPLES) >= 15
    assert {"channels"} <= {_section(n) for n, t in EXAMPLES if isinstance(_data(t), list)}


TINY = _data((ROOT / "tests/data/scenarios/tiny.yaml").read_text(encoding="utf-8"))
TINY["parameters"]["setup_d"] = {"type": "duration", "default": "1m"}
TINY["parameters"]["tries"] = {"type": "count", "default": 2}
LATER = "2022-11-15T12:30:00Z"

# (what is changed in tiny.yaml, whether Hotline and the schema both accept it)
FORMS = [
    ({("injects", 0, "at"): "+2h"}, True),
    ({("injects", 0, "at"): "1h30m"}, True),
    ({("injects", 0, "at"): 0}, True),
    ({("injects", 0, "at"): "0"}, True),
    ({("injects", 0, "at"): LATER}, True),
    ({("injects", 0, "at"): {"uniform": {"low": "2022-11-15T12:05:00Z", "high": LATER}}}, True),
    ({("injects", 0, "at"): {"lognormal": {"median": "$setup_d", "p90": "1h"}}}, True),
    ({("injects", 0, "at"): "2022-11-15T12:30:00"}, False),  # an instant without its zone
    ({("injects", 0, "at"): 10}, False),                     # a number without a unit
    ({("injects", 0, "at"): "10 minutes"}, False),
    ({("injects", 0, "to"): "wire"}, True),
    ({("injects", 0, "to"): ["wire", "a"]}, True),
    ({("injects", 0, "to"): "Wire"}, False),
    ({("channels", 0, "setup"): "$setup_d"}, True),
    ({("channels", 0, "setup"): {"fixed": "1m"}}, True),
    ({("channels", 0, "setup"): {"empirical": ["1m", "$setup_d", 0]}}, True),
    ({("channels", 0, "setup"): {"fixed": "1m", "exponential": {"mean": "2m"}}}, False),
    ({("channels", 0, "setup"): {}}, False),
    ({("channels", 0, "setup"): {"uniform": {"low": LATER, "high": LATER}}}, False),  # no instants here
    ({("channels", 0, "answer"): 1.5}, False),
    ({("channels", 0, "capacity"): 2.0}, True),
    ({("channels", 0, "capacity"): 2.5}, False),
    ({("channels", 0, "retry", "attempts"): "$tries"}, True),
    ({("channels", 0, "ring_timeout"): "$setup_d"}, True),
    ({("rules", 0, "when"): {"at": "+1h"}}, True),
    ({("rules", 0, "when"): {"inject": "boom", "at": None}}, True),
    ({("rules", 0, "when"): {"inject": "boom", "at": "1h"}}, False),
    ({("rules", 0, "when"): {}}, False),
    ({("rules", 0, "if"): [{"after": LATER}, {"before": "+6h"}]}, True),
    ({("metrics", 3, "event", "kind"): ["statement", "call_attempt"]}, True),
    ({("metrics", 3, "event", "kind"): "statment"}, False),
    ({("pause_on",): [{"kind": "statement"}]}, True),
    ({("actors", 0, "unreachable"): [{"start": "+10m", "end": LATER}]}, True),
    ({("actors", 0, "source"): "ap", ("sources",): [{"id": "ap", "title": "AP"}]}, True),
    ({("start",): "2022-11-15T12:00:00"}, False),
    ({("start",): "2022-11-15T13:00:00+01:00"}, True),
    ({("start",): "2022-11-15 13:00+01:00"}, True),
    ({("injects", 0, "at"): "2022-11-15 13:00+01:00"}, True),
    ({("duration",): "+12h"}, True),
    ({("turn",): 30}, False),
]


def _changed(changes: dict[tuple[Any, ...], Any]) -> dict[str, Any]:
    data = copy.deepcopy(TINY)
    for path, value in changes.items():
        *parents, last = path
        target = data
        for part in parents:
            target = target[part]
        target[last] = value
    return data


def _hotline_accepts(data: dict[str, Any]) -> bool:
    try:
        load_scenario_text(yaml.safe_dump(data, sort_keys=False), "changed.yaml")
    except ScenarioError:
        return False
    return True


@pytest.mark.filterwarnings("ignore:.*capacity. is ignored")  # a retired setting still loads
@pytest.mark.parametrize(("changes", "accepted"), FORMS, ids=[repr(c)[:60] for c, _ in FORMS])
def test_the_schema_and_hotline_agree_on_written_forms(changes: dict[tuple[Any, ...], Any],
                                                        accepted: bool) -> None:
    data = _changed(changes)
    assert _hotline_accepts(data) == accepted
    assert (_errors(data) == []) == accepted


DURATION = Draft202012Validator({"$defs": SCHEMA["$defs"], **SCHEMA["properties"]["duration"]})
READ_DURATION = TypeAdapter(Duration)


@given(st.one_of(st.text(alphabet="0123456789. smhdx+", max_size=8), st.integers(-2, 2),
                 st.floats(allow_nan=False)))
def test_the_duration_pattern_reads_what_the_loader_reads(written: str | float) -> None:
    try:
        READ_DURATION.validate_python(written)
        loader = True
    except ValidationError:
        loader = False
    assert DURATION.is_valid(written) == loader
