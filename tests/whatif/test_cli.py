"""`hotline sweep` and `hotline compare` as a person runs them: outputs, exit codes, Ctrl-C."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import DATA, ROOT, TINY, hotline


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


def test_sweep_writes_every_output(tmp_path):
    out = tmp_path / "out"
    result = hotline("sweep", str(TINY), "--grid", "answer_p=0.2,0.9", "--reps", "40",
                     "--workers", "2", "--csv", str(tmp_path / "runs.csv"), "--md",
                     str(tmp_path / "summary.md"), "--plot", str(out), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [p["label"] for p in data["points"]] == ["answer_p=0.2", "answer_p=0.9"]
    assert data["done"] == data["total"] == 80
    with (tmp_path / "runs.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 80
    assert list(rows[0])[:5] == ["point", "label", "answer_p", "rep", "seed"]
    md = (tmp_path / "summary.md").read_text()
    assert md.startswith("# Two generals and a wire: sweep of answer_p")
    assert "| point | n | happened | mean |" in md
    names = {p.name for p in out.iterdir()}
    assert {"dist-contact.png", "dist-contact.svg", "contact-vs-answer_p.png",
            "contact-vs-answer_p.svg"} <= names
    assert "80 runs in" in result.stderr


def test_sweep_table_on_the_terminal():
    result = hotline("sweep", str(TINY), "--sample", "answer_p=0.3..0.6", "--points", "3",
                     "--reps", "10", "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert "sweep of answer_p, 3 points × 10 replications" in result.stdout
    assert "A reaches B (contact)" in result.stdout
    assert "Chance of meeting each objective and reaching each ladder level" in result.stdout


def test_sweep_file_with_flags_on_top():
    result = hotline("sweep", str(TINY), "--file", str(DATA / "good_sweep.yaml"), "--reps", "5",
                     "--json", "--workers", "1")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["reps"], data["seed"], len(data["points"])) == (5, 3, 3)


def test_compare_variants_paired(tmp_path):
    result = hotline("compare", str(TINY), "base", "dead-line", "--reps", "30", "--workers", "2",
                     "--md", str(tmp_path / "c.md"))
    assert result.returncode == 0, result.stderr
    assert "Paired comparison: dead-line − base, on the same seeds" in result.stdout
    assert "## Paired comparison: dead-line − base" in (tmp_path / "c.md").read_text()


def test_compare_override_sets_as_json():
    result = hotline("compare", str(DATA / "paired.yaml"), "--a-set", "answer_p=0.3", "--b-set",
                     "answer_p=0.8", "--reps", "50", "--json", "--workers", "1")
    assert result.returncode == 0, result.stderr
    comp = json.loads(result.stdout)["comparison"]
    assert (comp["a"], comp["b"]) == ("answer_p=0.3", "answer_p=0.8")
    assert comp["metrics"]["report"]["ci"] == [0.0, 0.0]


def test_sweep_on_dask_with_processes(tmp_path):
    local = hotline("sweep", str(TINY), "--grid", "answer_p=0.3,0.7", "--reps", "60",
                    "--workers", "2", "--csv", str(tmp_path / "local.csv"), "--json")
    dask = hotline("sweep", str(TINY), "--grid", "answer_p=0.3,0.7", "--reps", "60",
                   "--workers", "2", "--backend", "dask", "--csv", str(tmp_path / "dask.csv"),
                   "--json")
    assert dask.returncode == 0, dask.stderr
    assert "on dask with 2 workers" in dask.stderr
    assert (tmp_path / "local.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()
    assert local.stdout == dask.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["sweep", str(TINY), "--grid", "answer=0.1,0.2"],
     "hotline sweep: error: unknown parameter 'answer' (did you mean 'answer_p'?)"),
    (["sweep", str(TINY), "--grid", "answer_p=0.1,1.2"],
     "hotline sweep: error: parameter answer_p: probability 1.2 is out of range"),
    (["sweep", str(TINY), "--grid", "answer_p"], "expected name=value1,value2,..."),
    (["sweep", str(TINY), "--workers", "0"], "--workers must be at least 1"),
    (["sweep", str(TINY), "--reps", "0"], "--reps must be at least 1"),
    (["sweep", str(TINY), "--variant", "nope"], "unknown variant 'nope'"),
    (["sweep", str(TINY), "--scheduler", "tcp://x:1"], "--scheduler needs --backend dask"),
    (["sweep", str(TINY), "--csv", "/no/such/dir/x.csv"], "--csv /no/such/dir/x.csv: no such directory"),
    (["sweep", str(TINY), "--until", "soon"], "--until: 'soon' is not a duration"),
    (["sweep", str(TINY), "--workers", "two"], "argument --workers: invalid int value: 'two'"),
    (["sweep", str(TINY), "--backend", "spark"], "argument --backend: invalid choice: 'spark'"),
    (["sweep", str(TINY), "--file", str(DATA / "bad_params.yaml")],
     f"{DATA / 'bad_params.yaml'}:5:19: error: grid.answer_p[1]: probability 1.5 is out of range"),
    (["sweep", str(DATA / "nope.yaml")], "no such file"),
    (["compare", str(TINY), "base"], "name two variants (A and B), or none"),
    (["compare", str(TINY)], "nothing to compare"),
    (["compare", str(TINY), "base", "dead-lines"], "unknown variant 'dead-lines'"),
    (["compare", str(TINY), "--a-set", "answer_p=9"], "probability 9.0 is out of range"),
])
def test_user_errors_exit_2_without_traceback(args, message):
    result = hotline(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr
    no_traceback(result)


@pytest.mark.parametrize("backend", ["local", "dask"])
def test_ctrl_c_keeps_what_finished(tmp_path, backend):
    out = tmp_path / "runs.csv"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "sweep", str(TINY), "--grid", "answer_p=0.3,0.6",
         "--reps", "500000", "--workers", "2", "--backend", backend, "--csv", str(out), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)  # its own process group, as a terminal's foreground job
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 20_000):
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: every process of the group
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "the results are partial" in stderr
    data = json.loads(stdout)
    assert data["partial"] is True
    assert 0 < data["done"] < data["total"]
    with out.open() as f:
        lines = f.read().splitlines()
    assert lines[-1] == f"# partial: {data['done']} of {data['total']} runs finished (interrupted)"
    rows = list(csv.DictReader(lines[:-1]))
    assert len(rows) == data["done"]
    assert all(r["peak_rung"] != "" for r in rows)  # no half-written line


def test_intervals_stay_within_what_the_quantity_can_take():
    # a failed call in 1 run of 60: the t interval of the mean count reached below 0
    result = hotline("sweep", str(TINY), "--grid", "answer_p=0.97", "--reps", "60", "--json")
    assert result.returncode == 0, result.stderr
    failed = json.loads(result.stdout)["points"][0]["metrics"]["failed"]
    assert failed["mean"] > 0
    assert failed["ci"][0] == 0.0
    result = hotline("compare", str(TINY), "--a-set", "answer_p=0.97", "--b-set", "answer_p=0.96",
                     "--reps", "60", "--json")
    assert result.returncode == 0, result.stderr
    comparison = json.loads(result.stdout)["comparison"]
    for section in ("happened", "objectives"):
        for entry in comparison[section].values():
            for key in ("ci", "unpaired_ci"):
                assert all(x is None or -1 <= x <= 1 for x in entry[key]), (section, entry)


def test_sweep_points_share_seeds_unless_told_otherwise():
    common = hotline("sweep", str(TINY), "--grid", "answer_p=0.3,0.6", "--reps", "5", "--json")
    assert common.returncode == 0, common.stderr
    assert json.loads(common.stdout)["common_seeds"] is True
    own = hotline("sweep", str(TINY), "--grid", "answer_p=0.3,0.6", "--reps", "5", "--json",
                  "--independent-seeds")
    assert own.returncode == 0, own.stderr
    assert json.loads(own.stdout)["common_seeds"] is False


def test_the_plot_install_hint_works_from_the_checkout(tmp_path):
    # a Python where matplotlib cannot be found
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['matplotlib'] = None\n")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    result = subprocess.run([sys.executable, "-m", "sim.cli", "sweep", str(TINY), "--grid",
                             "answer_p=0.3", "--plot", str(tmp_path / "plots")],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
                            check=False)
    assert result.returncode == 2, result.stderr
    assert ".venv/bin/pip install -e '.[plot]'" in result.stderr
    assert "pip install 'hotline[plot]'" not in result.stderr
