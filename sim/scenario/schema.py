"""The JSON Schema of the scenario language, for editors (yaml-language-server) and tools."""

from __future__ import annotations

import json

from sim.scenario.models import Scenario

SCHEMA_ID = "https://hotline.invalid/scenario/v1/hotline.schema.json"


def schema() -> dict[str, object]:
    """The JSON Schema of a scenario file."""
    out = Scenario.model_json_schema(mode="validation")
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["$id"] = SCHEMA_ID
    out["title"] = "Hotline scenario"
    return out


def schema_text() -> str:
    """The schema as stable, indented JSON text, as committed in `scenarios/hotline.schema.json`."""
    return json.dumps(schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
