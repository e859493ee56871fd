"""Limits and flag values are checked before any work, as user errors (exit 2)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = "tests/data/scenarios/tiny.yaml"


def hotline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)


def test_a_billion_sample_points_are_refused_before_drawing() -> None:
    started = time.perf_counter()
    done = hotline("sweep", TINY, "--sample", "answer_p", "--points", "1000000000")
    assert (done.returncode, done.stderr) == (2, "hotline sweep: error: the sweep has 1000000000 "
                                              "points; expected at most 100000\n")
    assert time.perf_counter() - started < 30  # drawing them first ran for minutes


@pytest.mark.parametrize("command", [["run", TINY], ["sweep", TINY, "--reps", "1"],
                                     ["compare", TINY, "base", "dead-line", "--reps", "1"]])
@pytest.mark.parametrize(("until", "message"), [
    ("0", "--until 0: expected a duration after the start, e.g. 12h"),
    ("", "--until: '' is not a duration"),
])
def test_until_zero_or_empty_is_a_usage_error(command: list[str], until: str, message: str) -> None:
    done = hotline(*command, "--until", until)
    assert done.returncode == 2, done.stderr
    assert f"hotline {command[0]}: error: {message}" in done.stderr


@pytest.mark.parametrize("value", ["0", "-1"])
def test_run_max_bytes_must_be_positive(value: str) -> None:
    done = hotline("run", TINY, "--max-bytes", value)
    assert done.returncode == 2
    assert f"argument --max-bytes: {value} is too small; expected at least 1 byte" in done.stderr


def test_workers_are_capped_by_the_runs() -> None:
    done = hotline("sweep", TINY, "--reps", "2", "--workers", "1000")
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith("with 2 workers\n")  # about 945 processes were started before
