"""`hotline sensitivity` and `hotline budget` as a person runs them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.whatif.conftest import ROOT, hotline

RELAY = str(ROOT / "tests" / "data" / "scenarios" / "relay.yaml")
SMALL = ("--trajectories", "3", "--reps", "1", "--oat-reps", "2", "--workers", "1")


def test_sensitivity_table_ranks_the_wire_first() -> None:
    done = hotline("sensitivity", RELAY, "--metric", "contact", "--metric", "never", *SMALL)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Sensitivity of relay: 5 parameters with a range; Morris, 3 "
                               "trajectories × 6 points × 1 reps")
    first = lines[lines.index(next(x for x in lines if x.startswith("A reaches B"))) + 2]
    assert first.split()[:4] == ["1", "rule", "wire-reports", "9.83"]
    assert "+9.50 [+9.50, +9.50]" in first  # high end − default, in hours
    assert "censored: in 100% of runs it never happened; those count as the run's end (24.00 h)" \
        in done.stdout
    assert "runs in" in done.stderr


def test_sensitivity_csv_and_json(tmp_path: Path) -> None:
    out = tmp_path / "sens.csv"
    done = hotline("sensitivity", RELAY, "--metric", "contact", "--json", "--csv", str(out), *SMALL)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    (metric,) = data["metrics"]
    assert metric["groups"][0] == {"group": "rule wire-reports", "parameters": 1,
                                   "strongest": "wire_delay", "mu_star": 9.833333}
    assert data["runs"] == 3 * 6 * 1 + 11 * 2
    rows = list(csv.DictReader(out.open()))
    assert next(r["parameter"] for r in rows) == "wire_delay"
    assert len(rows) == 5
    assert rows[0]["high_effect"] == "9.5"
    assert rows[0]["group"] == "rule wire-reports"


def test_sensitivity_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    done = hotline("sensitivity", RELAY, "--metric", "contact", "--plot", str(tmp_path), *SMALL)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sens-contact.png", "sens-contact.svg"]


@pytest.mark.parametrize(("args", "message"), [
    (["--metric", "bogus"], "hotline sensitivity: error: unknown metric 'bogus'; expected one of: "
                            "contact, never, report"),
    (["--metric", "contact", "--set", "nope=1"], "unknown parameter 'nope'"),
    (["--metric", "contact", "--top", "0"], "--top must be at least 1"),
])
def test_sensitivity_bad_arguments_exit_2(args: list[str], message: str) -> None:
    done = hotline("sensitivity", RELAY, *args, *SMALL)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_budget_table_and_json() -> None:
    done = hotline("budget", RELAY, "--metric", "contact", "--reps", "2", "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert "A reaches B [contact]: happened in 2 of 2 runs; mean time 55m" in done.stdout
    assert "  rule wire-reports  rule delay   30m   54.5%" in done.stdout
    done = hotline("budget", RELAY, "--metric", "contact", "--reps", "2", "--workers", "2", "--json")
    (budget,) = json.loads(done.stdout)["budgets"]
    assert budget["mean_minutes"] == 55
    assert [(w["link"], w["kind"], w["mean_minutes"]) for w in budget["waits"]][-1] == \
        ("channel news", "latency", 2)


def test_budget_of_a_count_metric_is_refused() -> None:
    done = hotline("budget", str(ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"),
                   "--metric", "failed")
    assert done.returncode == 2
    assert "hotline budget: error: metric failed is a failed_calls metric; a delay budget needs " \
           "a time-to metric (first, contact, belief_true)" in done.stderr
