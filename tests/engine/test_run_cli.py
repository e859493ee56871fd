"""`hotline run` as a subprocess: the timeline, JSON lines, replication statistics, user errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TINY = "tests/data/scenarios/tiny.yaml"


def hotline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)


def test_timeline_shows_injects_failed_calls_and_metrics() -> None:
    done = hotline("run", TINY, "--variant", "dead-line")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "seed 0 · variant dead-line" in out
    assert "15 Nov 12:10 UTC  +    10m  INJECT  Explosion reported «red 90%»" in out
    assert "✗ a → b call failed over line (unanswered, attempt 1)" in out
    assert "✗ a gave up calling b after 3 attempts" in out
    metrics = out[out.index("Metrics"):]
    assert "A reaches B" in metrics
    assert "never" in metrics
    assert "2022: 30m" in metrics
    assert "Failed calls" in metrics
    assert done.stderr == ""


def test_timeline_of_the_default_variant_connects() -> None:
    out = hotline("run", TINY).stdout
    assert "a ⇄ b connected over line" in out
    assert "✗" not in out


def test_json_lines_parse_and_times_do_not_go_back() -> None:
    done = hotline("run", TINY, "--json", "--seed", "3", "--variant", "dead-line")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert records
    times = [r["t"] for r in records]
    assert times == sorted(times)
    kinds = {r["kind"] for r in records}
    assert {"inject", "statement", "call_attempt", "call_failed", "call_gave_up"} <= kinds
    assert all(line == json.dumps(json.loads(line), sort_keys=True, ensure_ascii=False,
                                  separators=(",", ":")) for line in done.stdout.splitlines())


def test_until_stops_the_run_early() -> None:
    done = hotline("run", TINY, "--json", "--until", "16m")
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert records
    assert max(r["t"] for r in records) < 16


def test_replications_give_quantiles_per_metric() -> None:
    done = hotline("run", "tests/data/scenarios/engine/noisy.yaml", "--reps", "20", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["reps"] == 20
    assert set(summary["metrics"]) == {"contact", "failed", "report", "c-knows", "peak", "crisis"}
    for entry in summary["metrics"].values():
        assert {"p10", "median", "p90", "mean"} <= set(entry)
    failed = summary["metrics"]["failed"]
    assert failed["p10"] <= failed["median"] <= failed["p90"]
    assert 0 <= summary["metrics"]["crisis"]["mean"] <= 1


def test_replications_as_a_table() -> None:
    done = hotline("run", TINY, "--reps", "3")
    assert done.returncode == 0, done.stderr
    assert "3 replications" in done.stdout
    assert "p10" in done.stdout
    assert "median" in done.stdout


def test_replication_table_keeps_names_whole_and_says_how_often_things_happened(tmp_path) -> None:
    long = "A reaches B over the line that nobody on the other side ever answers"
    noisy = ROOT / "tests/data/scenarios/engine/noisy.yaml"
    scenario = tmp_path / "noisy.yaml"
    scenario.write_text(noisy.read_text(encoding="utf-8").replace("label: A reaches B",
                                                                    f"label: {long}"))
    done = hotline("run", str(scenario), "--reps", "30")
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    assert rows[1].split() == ["metric", "happened", "p10", "median", "p90", "mean*", "2022", "role"]
    assert any(row.startswith(long + " ") for row in rows)
    # never happened: the quantiles say never, the mean has nothing to average
    assert next(r for r in rows if r.startswith("C believes")).split()[4:] == [
        "0.0%", "never", "never", "never", "-"]
    assert "* mean over the runs in which it happened" in done.stdout


def test_ctrl_c_keeps_the_replications_that_finished() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "run", TINY, "--reps", "5000000"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        time.sleep(4)
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "of 5000000 replications (interrupted)" in stdout
    assert "median" in stdout
    assert stderr.startswith("interrupted: kept the ")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_progress_bar_on_a_terminal() -> None:
    import pty

    master, slave = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "sim.cli", "run", TINY, "--reps", "300"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, text=True,
                              timeout=120, check=False)
        os.close(slave)
        drawn = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(master)
    assert done.returncode == 0
    assert "300/300 runs 100%" in drawn.decode()
    assert "runs" not in done.stdout.splitlines()[0]  # the bar goes to the terminal, not stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--variant", "bse"], "unknown variant 'bse' (did you mean 'base'?)"),
    (["--set", "nosuch=1"], "unknown parameter 'nosuch'"),
    (["--set", "answer_p=2"], "out of range"),
    (["--set", "answer_p"], "expected name=value"),
    (["--until", "banana"], "'banana' is not a duration"),
    (["--reps", "0"], "--reps must be at least 1"),
])
def test_user_errors_exit_2_without_a_traceback(args: list[str], message: str) -> None:
    done = hotline("run", TINY, *args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr
    assert done.stdout == ""


def test_missing_scenario_file_exits_2() -> None:
    done = hotline("run", "tests/data/scenarios/engine/nosuch.yaml")
    assert done.returncode == 2
    assert "no such file" in done.stderr
    assert "Traceback" not in done.stderr


def test_replications_on_two_workers_print_what_one_prints() -> None:
    one = hotline("run", "tests/data/scenarios/engine/noisy.yaml", "--reps", "60", "--json",
                  "--seed", "3")
    two = hotline("run", "tests/data/scenarios/engine/noisy.yaml", "--reps", "60", "--json",
                  "--seed", "3", "--workers", "2")
    assert one.returncode == two.returncode == 0, two.stderr
    assert json.loads(one.stdout)["done"] == 60
    assert two.stdout == one.stdout


def test_workers_below_one_is_a_usage_error() -> None:
    done = hotline("run", TINY, "--reps", "3", "--workers", "0")
    assert done.returncode == 2
    assert "--workers must be at least 1" in done.stderr
    assert "Traceback" not in done.stderr
