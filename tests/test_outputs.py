"""Output files: checked before the work, never over a user's file, and failures keep results."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"


def hotline(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "same.yaml"
    shutil.copy(TINY, path)
    return path


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_run_never_saves_over_the_scenario_being_run(scenario: Path, force: list[str]) -> None:
    before = scenario.read_bytes()
    done = hotline("run", scenario, "--until", "1h", "--save", scenario, *force)
    assert done.returncode == 2
    assert done.stderr == (f"hotline run: error: --save {scenario}: that is the scenario being "
                           "run; choose another file\n")
    assert scenario.read_bytes() == before  # it was replaced by a 332-byte journal


def test_run_save_keeps_an_existing_file_unless_forced(scenario: Path, tmp_path: Path) -> None:
    journal = tmp_path / "play.jsonl"
    journal.write_text("the acts and notes of a whole exercise\n")
    done = hotline("run", scenario, "--until", "1h", "--save", journal)
    assert done.returncode == 2
    assert done.stderr == (f"hotline run: error: --save {journal}: the file exists; choose a new "
                           "name, or give --force to replace it\n")
    assert journal.read_text() == "the acts and notes of a whole exercise\n"
    assert hotline("run", scenario, "--until", "1h", "--save", journal, "--force").returncode == 0
    assert journal.read_text().startswith('{"format": "hotline-journal"')


def test_sweep_refuses_outputs_before_running(scenario: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept.md"
    kept.write_text("mine")
    for flags, message in [
        (["--md", kept], f"--md {kept}: the file exists; choose a new name, or give --force"),
        (["--md", tmp_path / "no" / "x.md"], f"--md {tmp_path / 'no' / 'x.md'}: no such directory"),
        (["--csv", scenario], f"--csv {scenario}: that is the scenario being run"),
        (["--plot", kept], f"--plot {kept}: exists and is not a directory"),
    ]:
        done = hotline("sweep", scenario, "--grid", "answer_p=0,1", "--reps", "2", "--workers",
                       "1", *flags)
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""  # nothing ran
        assert message in done.stderr
    assert kept.read_text() == "mine"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("flag", ["--csv", "--md"])
def test_a_failed_write_keeps_the_results_and_exits_2(scenario: Path, flag: str) -> None:
    done = hotline("sweep", scenario, "--grid", "answer_p=0,1", "--reps", "2", "--workers", "1",
                   flag, "/dev/full")
    assert done.returncode == 2  # was an internal error after the work
    assert "answer_p=0" in done.stdout  # the table is shown
    assert f"hotline sweep: error: {flag} /dev/full: cannot be written: No space left on device" \
        in done.stderr
    assert "internal error" not in done.stderr


def test_compare_md_onto_a_device_that_fails(scenario: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    done = hotline("compare", scenario, "base", "dead-line", "--reps", "2", "--workers", "1",
                   "--md", "/dev/full")
    assert done.returncode == 2
    assert "dead-line" in done.stdout
    assert "--md /dev/full: cannot be written" in done.stderr


def test_schema_output_is_checked(tmp_path: Path) -> None:
    kept = tmp_path / "schema.json"
    kept.write_text("mine")
    done = hotline("schema", "-o", kept)
    assert (done.returncode, done.stderr) == (2, f"hotline schema: error: -o {kept}: the file "
                                              "exists; choose a new name, or give --force to "
                                              "replace it\n")
    done = hotline("schema", "-o", tmp_path)
    assert (done.returncode, done.stderr) == (2, f"hotline schema: error: -o {tmp_path}: is a "
                                              "directory; expected a file name\n")
    assert hotline("schema", "-o", kept, "--force").returncode == 0
    assert kept.read_text().startswith("{")
