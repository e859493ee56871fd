"""The committed JSON Schema matches the models, and shipped scenarios point editors at it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.scenario.schema import SCHEMA_ID, schema_text

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "scenarios" / "hotline.schema.json"
MODELINE = "# yaml-language-server: $schema=hotline.schema.json"


def test_committed_schema_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "scenarios/hotline.schema.json is out of date with the models; regenerate it with "
        "`hotline schema -o scenarios/hotline.schema.json`"
    )


def test_schema_describes_the_language() -> None:
    schema = json.loads(schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    assert schema["additionalProperties"] is False
    assert {"hotline", "id", "title", "start", "duration", "question", "ladder", "actors"} <= set(
        schema["required"])
    channel_kinds = {ref["$ref"].rsplit("/", 1)[1]
                     for ref in schema["properties"]["channels"]["items"]["oneOf"]}
    assert channel_kinds == {"CallChannel", "MessageChannel", "BroadcastChannel", "MeetingChannel"}
    assert schema["properties"]["duration"]["pattern"].startswith("^")
    # field docstrings become descriptions, which editors show on hover
    assert schema["$defs"]["Actor"]["properties"]["timezone"]["description"].startswith("IANA time zone")


SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_scenarios_start_with_the_schema_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE, f"{path.name} should start with {MODELINE!r} for editor completion"
