"""Shared fixtures of the what-if tests: the tiny scenario and a runner of `hotline`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def tiny() -> Scenario:
    return load_scenario(TINY)


def hotline(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `hotline` as a subprocess, as a person would."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=timeout, check=False)
