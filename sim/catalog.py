"""Where the shipped scenarios are: inside the installed package, or in a source checkout."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

#: The scenario `hotline play` opens when none is named.
DEFAULT_SCENARIO = "poland-2022.yaml"


def scenarios_dir() -> Path:
    """The folder of shipped scenarios (package data `hotline_scenarios`, or `scenarios/`)."""
    try:
        folder = Path(str(resources.files("hotline_scenarios")))
        if (folder / DEFAULT_SCENARIO).exists():
            return folder
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[1] / "scenarios"


def default_scenario() -> Path:
    """The path of the Przewodów 2022 scenario."""
    return scenarios_dir() / DEFAULT_SCENARIO


@dataclass(frozen=True)
class CatalogEntry:
    """A scenario for the picker: its file, id, title and summary."""

    path: Path
    id: str
    title: str
    summary: str


def shipped() -> list[CatalogEntry]:
    """Every valid shipped scenario, by file name; invalid files are left out."""
    from sim.scenario import ScenarioError, load_scenario

    out = []
    for path in sorted(scenarios_dir().glob("*.yaml")):
        try:
            s = load_scenario(path)
        except ScenarioError:
            continue
        out.append(CatalogEntry(path, s.id, s.title, s.summary))
    return out
