"""The real program on a terminal: keys in, `kill -9` mid-exercise, resume, the same state.

Runs the installed `hotline` command on a pseudo-terminal (no tmux or pexpect needed) and
reads what it draws, stripped of escape sequences.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from sim.engine.journal import open_session, read_journal
from sim.engine.session import Session, SessionAction
from sim.scenario import load_scenario

from .helpers import PLAY

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

HOTLINE = Path(sys.executable).with_name("hotline")
ESCAPES = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


class Terminal:
    """A program running on a pseudo-terminal of a fixed size, its output collected."""

    def __init__(self, *argv: str, size: tuple[int, int] = (100, 30)) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(size[0]),
               "LINES": str(size[1])}
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen([str(HOTLINE), *argv], stdin=slave, stdout=slave,
                                        stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.master = master
        self.raw = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.raw.extend(chunk)

    @property
    def text(self) -> str:
        """Everything drawn so far, escape sequences removed."""
        return ESCAPES.sub(b"", bytes(self.raw)).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 20.0, after: int = 0) -> int:
        """Wait until `needle` is drawn (after position `after`); return where it ends."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.text.find(needle, after)
            if found >= 0:
                return found + len(needle)
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never appeared; screen ends with:\n{self.text[-2000:]}")

    def send(self, keys: str) -> None:
        """Type keys."""
        os.write(self.master, keys.encode())

    def close(self) -> None:
        """Stop the program (if it still runs) and the terminal."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        os.close(self.master)


def test_kill_9_mid_exercise_then_resume(tmp_path):
    journal = tmp_path / "j.jsonl"
    term = Terminal("play", str(PLAY), "--seat", "facilitator", "--seed", "7",
                    "--journal", str(journal))
    try:
        mark = term.wait_for("PLANNING")
        term.send("n")
        mark = term.wait_for("Turn 2", after=mark)
        term.send("t")
        mark = term.wait_for("Add a note", after=mark)
        term.send("kill test")
        mark = term.wait_for("kill test", after=mark)
        term.send("\r")  # apart from the text, as a person types it (a burst reads as a paste)
        mark = term.wait_for("NOTE kill test", after=mark)
        term.send("n")
        term.wait_for("Turn 3", after=mark)
        os.kill(term.process.pid, signal.SIGKILL)  # what the screen showed as done is on disk
        assert term.process.wait(timeout=10) == -signal.SIGKILL
    finally:
        term.close()

    contents = read_journal(journal)
    assert contents.warnings == []
    assert contents.ops == [{"op": "advance", "until": 30.0},
                            {"op": "act", "t": 30.0, "action": {"note": "kill test"}},
                            {"op": "advance", "until": 60.0}]
    before = [r.dumps() for r in open_session(contents).log]

    term = Terminal("play", "--resume", str(journal))
    try:
        mark = term.wait_for("Turn 3")
        term.wait_for("NOTE kill test")
        term.send("n")
        term.wait_for("PAUSED", after=mark)  # the casualties inject stops turn 3 at 15:15
        term.send("\x11")  # ctrl+q
        assert term.process.wait(timeout=20) == 0
        term.wait_for(f"journal: {journal}")
    finally:
        term.close()

    session = Session(load_scenario(PLAY), seed=7)
    session.advance(30)
    session.act(SessionAction(note="kill test"))
    session.advance(60)
    assert [r.dumps() for r in session.log] == before
    session.advance(90)
    assert [r.dumps() for r in open_session(read_journal(journal)).log] == \
        [r.dumps() for r in session.log]


def test_resume_under_another_variant_plays_it_and_says_so(tmp_path):
    journal = tmp_path / "j.jsonl"
    session = Session(load_scenario(PLAY), seed=7)
    from sim.engine.journal import Journal

    Journal.create(journal, session, PLAY, PLAY.read_text(encoding="utf-8")).close()
    term = Terminal("play", "--resume", str(journal), "--variant", "line-works",
                    size=(120, 36))
    try:
        mark = term.wait_for("from +0m on, playing variant line-works (recorded in the journal)")
        term.wait_for("variant line-works", after=mark)
        term.wait_for("PLANNING", after=mark)
        term.send("\x11")  # ctrl+q
        assert term.process.wait(timeout=20) == 0
    finally:
        term.close()
    assert read_journal(journal).ops == [{"op": "change", "t": 0.0, "variant": "line-works",
                                          "overrides": {}}]
