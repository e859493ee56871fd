"""The committed JSON Schema is what `hotline schema` prints, is valid, and helps an editor."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "scenarios" / "hotline.schema.json"
SCHEMA = json.loads(COMMITTED.read_text(encoding="utf-8"))
MODELINE = "# yaml-language-server: $schema=hotline.schema.json"


def test_committed_schema_is_what_hotline_schema_prints() -> None:
    done = subprocess.run([sys.executable, "-m", "sim.cli", "schema"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout == COMMITTED.read_text(encoding="utf-8"), (
        "scenarios/hotline.schema.json is out of date with the models; regenerate it with "
        "`hotline schema -o scenarios/hotline.schema.json`"
    )


def test_schema_passes_the_metaschema_check() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_schema_offers_the_kinds_for_completion() -> None:
    assert SCHEMA["additionalProperties"] is False
    assert {"hotline", "id", "title", "start", "duration", "question", "ladder", "actors"} <= set(
        SCHEMA["required"])
    channel_kinds = {ref["$ref"].rsplit("/", 1)[1]
                     for ref in SCHEMA["properties"]["channels"]["items"]["oneOf"]}
    assert channel_kinds == {"CallChannel", "MessageChannel", "BroadcastChannel", "MeetingChannel"}
    kinds = SCHEMA["$defs"]["EventPattern"]["properties"]["kind"]["anyOf"]
    assert {"statement", "call_attempt", "posture"} <= set(kinds[0]["enum"])
    assert kinds[1]["items"] == kinds[0]  # `kind: statement` or `kind: [statement, ...]`
    assert set(SCHEMA["$defs"]["Actor"]["properties"]["response"]["propertyNames"]["enum"]) == {
        "call", "message", "broadcast", "meeting"}


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out = [("Scenario", name, prop) for name, prop in schema["properties"].items()]
    for model, definition in schema["$defs"].items():
        for part in (definition, *definition.get("anyOf", ())):  # a Distribution's mapping form
            out += [(model, name, prop) for name, prop in part.get("properties", {}).items()]
    return out


PROPERTIES = _properties(SCHEMA)


def test_every_field_has_a_description_for_hover() -> None:
    undescribed = [f"{model}.{name}" for model, name, prop in PROPERTIES if not prop.get("description")]
    assert len(PROPERTIES) > 150
    assert undescribed == []


@pytest.mark.parametrize(("model", "name", "prop"),
                         [p for p in PROPERTIES if "default" in p[2]],
                         ids=[f"{m}.{n}" for m, n, p in PROPERTIES if "default" in p])
def test_every_default_is_written_as_a_file_may_write_it(model: str, name: str,
                                                         prop: dict[str, Any]) -> None:
    # an editor inserts defaults on completion; `2.0` where a duration belongs would be refused
    field = {"$defs": SCHEMA["$defs"], **{k: v for k, v in prop.items() if k != "default"}}
    errors = [e.message for e in Draft202012Validator(field).iter_errors(prop["default"])]
    assert errors == []


def test_durations_show_their_defaults_with_units() -> None:
    call = SCHEMA["$defs"]["CallChannel"]["properties"]
    assert (call["ring_timeout"]["default"], call["duration"]["default"]) == ("2m", "15m")
    assert SCHEMA["properties"]["turn"]["default"] == "30m"


SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_scenarios_start_with_the_schema_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE, f"{path.name} should start with {MODELINE!r} for editor completion"


def test_the_schema_offers_the_roles_of_a_historical_value() -> None:
    role = SCHEMA["$defs"]["Historical"]["properties"]["role"]
    assert role["enum"] == ["fitted", "held-out", "anchored"]
    assert role["default"] == "fitted"
    assert "held-out" in role["description"]
