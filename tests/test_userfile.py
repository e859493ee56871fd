"""Files a user names are read safely: devices, FIFOs, loops and huge files are refused at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.engine.journal import JournalError, read_journal_bytes
from sim.userfile import UserFileError, read_user_file

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(),
                                 reason="needs /dev/zero and FIFOs")


def hotline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=30, check=False)


@needs_posix
def test_validate_refuses_a_device_file_at_once() -> None:
    done = hotline("validate", "/dev/zero")
    assert done.returncode == 2
    assert done.stderr == ("/dev/zero: error: is not a regular file (a device, a FIFO or a "
                           "socket); expected a scenario .yaml file\n")


@needs_posix
def test_validate_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    done = hotline("validate", str(fifo))  # blocked for ever before: the timeout would fire
    assert done.returncode == 2
    assert "is not a regular file" in done.stderr


def test_a_symlink_loop_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    done = hotline("validate", str(tmp_path / "a.yaml"))
    assert done.returncode == 2
    assert done.stderr == f"{tmp_path / 'a.yaml'}: error: is a symbolic link that leads round in a loop\n"


def test_at_most_the_limit_plus_one_byte_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big"
    with path.open("wb") as f:  # a sparse gigabyte: reading it whole took 35 s and 2.1 GB
        f.truncate(1 << 30)
    with pytest.raises(UserFileError, match=r"file is 1073741824 bytes, over the limit of 100$"):
        read_user_file(path, 100)
    with pytest.raises(JournalError, match="over the limit of 67108864"):
        read_journal_bytes(path)
    done = hotline("report", str(path))
    assert done.returncode == 2
    assert "over the limit of 67108864" in done.stderr


def test_empty_is_refused_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "blank"
    path.write_bytes(b" \n")
    assert read_user_file(path) == b" \n"
    with pytest.raises(UserFileError, match="the file is empty") as caught:
        read_user_file(path, blank_ok=False)
    assert caught.value.kind == "empty"


@needs_posix
def test_a_journal_naming_a_device_as_its_scenario_is_refused(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    assert hotline("run", str(TINY), "--until", "1h", "--save", str(journal)).returncode == 0
    text = journal.read_text().replace(str(TINY), "/dev/zero")
    journal.write_text(text)
    done = hotline("play", "--resume", str(journal))
    assert done.returncode == 2  # was an internal MemoryError after reading /dev/zero
    assert done.stderr == ("hotline play: error: scenario /dev/zero of the journal cannot be "
                           "read: is not a regular file (a device, a FIFO or a socket); expected "
                           "a scenario .yaml file\n")


def test_utf16_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "u16.yaml"
    path.write_bytes("hotline: 1\n".encode("utf-16"))
    done = hotline("validate", str(path))
    assert done.stderr == f"{path}:1:1: error: is UTF-16 text; expected UTF-8 (save the file as UTF-8)\n"


def test_a_tab_in_the_indentation_is_named_as_a_tab(tmp_path: Path) -> None:
    path = tmp_path / "tab.yaml"
    path.write_text("hotline: 1\nid: x\n\ttitle: y\n")
    done = hotline("validate", str(path))
    assert done.returncode == 2
    assert "(YAML indents with spaces, not tabs: replace the tab with spaces)" in done.stderr


@needs_posix
def test_report_onto_a_full_device_names_the_file(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    assert hotline("run", str(TINY), "--until", "1h", "--save", str(journal)).returncode == 0
    done = hotline("report", str(journal), "--html", "/dev/full")
    assert (done.returncode, done.stderr) == (2, "hotline report: error: cannot write the report: "
                                                 "/dev/full: No space left on device\n")
