"""`hotline host` as a person runs it: join lines, bad flags, a kill and a resume."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sim.catalog import default_scenario
from sim.engine.journal import open_session, read_journal
from sim.engine.session import visible
from sim.net.client import SeatClient

ROOT = Path(__file__).resolve().parents[2]
JOIN = re.compile(r"^\s+(\S+)\s+hotline join (\S+) --token ([0-9a-f]+)$")


def hotline(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `hotline` to its end."""
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_host(*args: str) -> tuple[subprocess.Popen[str], dict[str, str], str]:
    """Start `hotline host`; return it, the tokens of its join lines, and its address."""
    host = subprocess.Popen([sys.executable, "-m", "sim.cli", "host", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    tokens, url = {}, ""
    assert host.stdout is not None
    for line in host.stdout:
        match = JOIN.match(line.rstrip("\n"))
        if match:
            tokens[match[1]] = match[3]
            url = match[2]
        elif tokens:
            break
    return host, tokens, url


@pytest.mark.parametrize(("args", "expected"), [
    (["--seats", "us-cjcs,nobody"], "--seats: nobody not a playable actor of poland-2022"),
    (["--turn-timer", "soon"], "--turn-timer 'soon': expected a duration like 90s, 5m or 1h"),
    (["--resume", "missing.jsonl"], "no seats file beside the journal"),
    (["--port", "70000"], "--port 70000: expected 0 to 65535"),
])
def test_bad_flags_are_a_clear_error(args: list[str], expected: str, tmp_path: Path) -> None:
    done = hotline("host", *(a if a != "missing.jsonl" else str(tmp_path / a) for a in args))
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


async def test_killing_the_host_and_resuming_loses_no_acknowledged_action(tmp_path: Path) -> None:
    journal, port = tmp_path / "ex.jsonl", str(free_port())
    host, tokens, url = start_host(str(default_scenario()), "--seats", "us-cjcs,ru-cgs",
                                   "--seed", "3", "--journal", str(journal), "--port", port)
    assert set(tokens) == {"facilitator", "us-cjcs", "ru-cgs"}
    assert all(len(t) >= 32 for t in tokens.values())  # at least 128 bits
    seats = {seat: SeatClient(url, token) for seat, token in tokens.items()}
    acked = []
    try:
        for client in seats.values():
            await client.connect()
        cjcs, facilitator = seats["us-cjcs"], seats["facilitator"]
        for n in range(3):
            note = {"note": f"before the crash {n}"}
            assert (await facilitator.act(note)).ok
            acked.append(note)
            assert (await facilitator.advance()).ok
        call = {"actor": "us-cjcs", "do": {"call": {"to": "ru-cgs", "channel": "cjcs-cgs"}}}
        assert (await cjcs.act(call)).ok
        acked.append(call)
        host.send_signal(signal.SIGKILL)  # no goodbye, no flush: only what was on disk
        host.wait()
        host, _, _ = start_host("--resume", str(journal), "--port", port)
        for client in seats.values():
            await client.wait_for(lambda c=client: c.connections == 2, timeout=20)
        assert (await cjcs.act({"actor": "us-cjcs", "pass": True})).ok  # and play goes on
        await asyncio.sleep(0.2)
    finally:
        for client in seats.values():
            await client.close()
        host.send_signal(signal.SIGTERM)
        host.wait(timeout=20)
    done = [op["action"] for op in read_journal(journal).ops if op["op"] == "act"]
    assert done[:len(acked)] == acked
    session = open_session(read_journal(journal))
    for seat in ("us-cjcs", "ru-cgs"):
        assert seats[seat].records == [r.to_json() for r in session.log if visible(r, seat)]
    assert oct(os.stat(str(journal) + ".seats.json").st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("command", ["host", "join", "serve"])
def test_help(command: str) -> None:
    done = hotline(command, "--help")
    assert done.returncode == 0
    assert done.stdout.startswith(f"usage: hotline {command} [-h]")


def test_join_says_what_is_wrong_before_opening_the_app(host) -> None:
    wrong = hotline("join", host.server.url, "--token", "0" * 40)
    assert (wrong.returncode, "Traceback" in wrong.stderr) == (2, False)
    assert "hotline join: error: wrong token" in wrong.stderr
    nowhere = hotline("join", f"ws://127.0.0.1:{free_port()}", "--token", "0" * 40)
    assert nowhere.returncode == 2
    assert "no exercise answered at ws://127.0.0.1:" in nowhere.stderr
    address = hotline("join", "127.0.0.1:8765", "--token", "0" * 40)
    assert address.returncode == 2
    assert "expected ws://HOST:PORT" in address.stderr
    token = host.server.exercise.tokens.tokens["ru-cgs"]
    piped = hotline("join", host.server.url, "--token", token)  # a good token, but no terminal
    assert piped.returncode == 2
    assert "standard input is not a terminal" in piped.stderr
