"""The scenario language: pydantic models, the YAML loader with exact errors, the JSON Schema."""

from sim.scenario.diagnostics import Diagnostic, ScenarioError
from sim.scenario.loader import LoadLimits, load_scenario, load_scenario_text
from sim.scenario.models import Scenario

__all__ = [
    "Diagnostic",
    "LoadLimits",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "load_scenario_text",
]
