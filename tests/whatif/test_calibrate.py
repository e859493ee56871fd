"""`hotline calibrate`: historical values by role, over seeds, and `--check` as a gate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.whatif.calibrate import Row, SeedBand

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests/data/scenarios/tiny.yaml"

# In the tiny scenario the wire's report goes out at 15 minutes in every run, and A reaches
# B at 21 minutes (the line always answers in the base variant).
REPORT = "  - {id: report, kind: first, label: First public report, event: {kind: statement, public: true}}"


def hotline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def tiny_with(tmp_path: Path, report_historical: str, contact_role: str = "fitted") -> Path:
    """The tiny scenario with a historical value on the report and a role on the contact."""
    text = TINY.read_text(encoding="utf-8")
    assert REPORT in text
    text = text.replace(REPORT, REPORT[:-1] + f", historical: {report_historical}}}")
    text = text.replace("historical: {at: 30m}", f"historical: {{role: {contact_role}, at: 21m}}")
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_fails_when_a_held_out_value_is_missed(tmp_path: Path) -> None:
    scenario = tiny_with(tmp_path, "{role: held-out, at: 5h}")
    done = hotline("calibrate", str(scenario), "--reps", "5", "--check")
    assert done.returncode == 3, done.stderr
    assert "held-out value outside its band under a majority of the seeds: report" in done.stderr
    lines = done.stdout.splitlines()
    held = lines.index(next(line for line in lines if line.startswith("Held out:")))
    row = lines[held + 2].split()
    assert row[:4] == ["First", "public", "report", "5h00m"]
    assert row[-3:] == ["0", "of", "3"]
    assert "held-out: 0 of 1 inside the band under a majority of the seeds" in done.stdout
    assert "fitted: 1 of 1 inside" in done.stdout


def test_a_missed_held_out_value_is_reported_but_fails_nothing_without_check(tmp_path: Path) -> None:
    scenario = tiny_with(tmp_path, "{role: held-out, at: 5h}")
    done = hotline("calibrate", str(scenario), "--reps", "5")
    assert done.returncode == 0, done.stderr
    assert "held-out: 0 of 1 inside" in done.stdout


def test_check_passes_when_the_held_out_value_is_inside(tmp_path: Path) -> None:
    scenario = tiny_with(tmp_path, "{role: held-out, at: 15m}")
    done = hotline("calibrate", str(scenario), "--reps", "5", "--check", "--seeds", "4,5,6")
    assert done.returncode == 0, done.stderr + done.stdout
    assert "held-out: 1 of 1 inside" in done.stdout
    assert "under each of seeds 4, 5, 6" in done.stdout


def test_a_fitted_value_outside_its_band_does_not_fail_the_check(tmp_path: Path) -> None:
    scenario = tiny_with(tmp_path, "{role: fitted, at: 5h}")
    done = hotline("calibrate", str(scenario), "--reps", "5", "--check")
    assert done.returncode == 0, done.stderr
    assert "fitted: 1 of 2 inside" in done.stdout
    assert "held-out" not in done.stdout.split("band:")[1]  # no held-out tally: there are none


def test_anchored_values_are_shown_and_never_counted(tmp_path: Path) -> None:
    scenario = tiny_with(tmp_path, "{role: held-out, at: 15m}", contact_role="anchored")
    done = hotline("calibrate", str(scenario), "--reps", "5", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    roles = {m["id"]: m["role"] for m in data["metrics"]}
    assert roles == {"contact": "anchored", "report": "held-out"}
    assert data["tally"] == {"held-out": {"inside": 1, "total": 1},
                             "fitted": {"inside": 0, "total": 0}}
    contact = next(m for m in data["metrics"] if m["id"] == "contact")
    assert [b["seed"] for b in contact["bands"]] == [1, 2, 3]
    assert all(b["p10"] == b["p90"] == 21 for b in contact["bands"])
    text = hotline("calibrate", str(scenario), "--reps", "5").stdout
    assert ("Anchored (never counted as calibration): set by an inject, a schedule or a sourced "
            "evidence window") in text
    assert "anchored: 1 shown, not counted" in text


def test_a_file_without_roles_reads_as_fitted() -> None:
    done = hotline("calibrate", str(TINY), "--reps", "3", "--json")
    assert done.returncode == 0, done.stderr
    assert [(m["id"], m["role"]) for m in json.loads(done.stdout)["metrics"]] == [
        ("contact", "fitted")]


@pytest.mark.parametrize(("args", "message"), [
    (("--seeds", "1,2"), "--seeds: 2 given; a calibration needs at least 3"),
    (("--seeds", "1,1,2"), "a seed is repeated"),
    (("--seeds", "a,b,c"), "expected seeds as whole numbers"),
    (("--reps", "0"), "--reps must be at least 1"),
])
def test_bad_flags_are_usage_errors(args: tuple[str, ...], message: str) -> None:
    done = hotline("calibrate", str(TINY), *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_scenario_without_historical_values_has_nothing_to_calibrate() -> None:
    noisy = ROOT / "tests/data/scenarios/engine/noisy.yaml"
    done = hotline("calibrate", str(noisy), "--reps", "2")
    assert done.returncode == 2
    assert "no metric has a historical value" in done.stderr


def band(seed: int, inside: bool) -> SeedBand:
    return SeedBand(seed, 10.0, 20.0, 30.0, None, inside)


@pytest.mark.parametrize(("insides", "majority"), [
    ((True, True, False), True), ((True, False, False), False), ((True, False), False),
    ((True, True, False, False), False), ((True, True, True, False, False), True)])
def test_a_majority_means_more_than_half_of_the_seeds(insides: tuple[bool, ...],
                                                      majority: bool) -> None:
    row = Row(None, "held-out", 25.0, tuple(band(i, x) for i, x in enumerate(insides)))
    assert row.inside_seeds == sum(insides)
    assert row.inside_majority is majority


def test_compare_and_sweep_tables_say_the_role(tmp_path: Path) -> None:
    scenario = tiny_with(tmp_path, "{role: held-out, at: 15m}", contact_role="anchored")
    compare = hotline("compare", str(scenario), "base", "dead-line", "--reps", "3")
    sweep = hotline("sweep", str(scenario), "--grid", "answer_p=0.5,1", "--reps", "3")
    for done in (compare, sweep):
        assert done.returncode == 0, done.stderr
        assert "2022: 15m, held-out (nothing was set from it: a test of the model)" in done.stdout
        assert "2022: 21m, anchored (set by an inject, a schedule or a sourced evidence window" in done.stdout
    reps = hotline("run", str(scenario), "--reps", "3")
    assert next(r for r in reps.stdout.splitlines() if r.startswith("A reaches B")).endswith(
        "21m  anchored")


def test_the_report_s_history_table_says_the_role(tmp_path: Path) -> None:
    scenario = tiny_with(tmp_path, "{role: held-out, at: 15m}")
    run = tmp_path / "run.jsonl"
    assert hotline("run", str(scenario), "--save", str(run)).returncode == 0
    done = hotline("report", str(run), "--md", str(tmp_path / "report.md"))
    assert done.returncode == 0, done.stderr
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in (tmp_path / "report.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ")]
    header = next(r for r in rows if "Role" in r)
    table = rows[rows.index(header) + 2:]
    role = {r[0]: r[header.index("Role")] for r in table if len(r) == len(header)}
    assert role["First public report"] == "held-out"
    assert role["A reaches B"] == "fitted"
    assert role["Failed calls"] == "—"


def test_the_rank_says_where_the_historical_value_falls_among_the_runs(tmp_path: Path) -> None:
    late = hotline("calibrate", str(TINY), "--reps", "4", "--json")  # 30m: after every run
    scenario = tiny_with(tmp_path, "{role: held-out, at: 15m}")  # contact at 21m: every run
    exact = hotline("calibrate", str(scenario), "--reps", "4", "--json")
    ranks = {m["id"]: [b["rank"] for b in m["bands"]] for m in json.loads(exact.stdout)["metrics"]}
    assert ranks == {"contact": [0.5, 0.5, 0.5], "report": [0.5, 0.5, 0.5]}
    assert [b["rank"] for b in json.loads(late.stdout)["metrics"][0]["bands"]] == [1.0, 1.0, 1.0]
    assert "21m–21m @100 ✗" in hotline("calibrate", str(TINY), "--reps", "4").stdout


def test_a_yes_no_historical_value_is_written_alike_by_calibrate_and_run_reps(tmp_path: Path) -> None:
    # on the scale of the runs beside it (1 or 0), by both commands, not `true` by one of them
    alert = "  - {id: alert, kind: reached, label: Alert reached, level: alert}"
    text = TINY.read_text(encoding="utf-8")
    assert alert in text
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(text.replace(alert, alert[:-1] + ", historical: {reached: true}}"),
                        encoding="utf-8")
    calibrated = json.loads(hotline("calibrate", str(scenario), "--reps", "3", "--json").stdout)
    reps = json.loads(hotline("run", str(scenario), "--reps", "3", "--json").stdout)
    written = next(m["historical"] for m in calibrated["metrics"] if m["id"] == "alert")
    assert written == reps["metrics"]["alert"]["historical"] == 1.0
