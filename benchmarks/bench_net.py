"""The exercise server on loopback: latency to the other seats, and many seats acting at once.

    python benchmarks/bench_net.py [--latency-seats 10] [--actions 200] [--seats 20] [--each 100]

`hotline host` runs as its own process (as in an exercise) on a generated scenario with enough
playable actors; the seats are asyncio clients in this process.

1. Latency: one seat at a time does an action (a pass: checked, journalled with fsync, dealt
   to every seat); printed are the medians and 95th percentiles of the time from sending it
   to the acting seat's acknowledgement, and to each other seat receiving the update that
   carries it (what its screen redraws from).
2. Load: every seat sends its actions as fast as it is answered, all at once. Printed: the
   actions acknowledged, the actions in the journal (none lost), and the host's resident
   memory (VmRSS) at each quarter of the run.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.engine.journal import read_journal  # noqa: E402
from sim.net.client import SeatClient  # noqa: E402

JOIN = re.compile(r"^\s+(\S+)\s+hotline join (\S+) --token ([0-9a-f]+)$")


def scenario_text(players: int) -> str:
    """A scenario with `players` playable actors on one staff channel."""
    actors = "\n".join(
        f"  - {{id: p{i:02d}, name: Player {i}, side: s{i % 3}, timezone: UTC, playable: true, "
        f"belief: {{red: 0.5, blue: 0.5}}}}" for i in range(players))
    members = ", ".join(f"p{i:02d}" for i in range(players))
    return f"""hotline: 1
id: bench-net
title: Many seats
start: 2022-11-15T12:00:00Z
duration: 10d
turn: 30m
question:
  text: Who fired?
  hypotheses:
    - {{id: red, label: Red}}
    - {{id: blue, label: Blue}}
  truth: blue
ladder:
  - {{id: routine, label: Routine}}
  - {{id: alert, label: Alert}}
actors:
{actors}
channels:
  - {{id: staff, kind: message, members: [{members}], latency: 5m}}
"""


def start_host(folder: Path, players: int) -> tuple[subprocess.Popen[str], dict[str, str], str]:
    """`hotline host` of a fresh exercise; its process, tokens and address."""
    path = folder / "bench-net.yaml"
    path.write_text(scenario_text(players), encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    host = subprocess.Popen([sys.executable, "-m", "sim.cli", "host", str(path), "--journal",
                             str(folder / "ex.jsonl"), "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    tokens, url = {}, ""
    for line in host.stdout or ():
        match = JOIN.match(line.rstrip("\n"))
        if match:
            tokens[match[1]] = match[3]
            url = match[2]
        elif tokens:
            break
    return host, tokens, url


def rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def latency(url: str, tokens: dict[str, str], seats: int, actions: int) -> None:
    """Median time from one seat's action to its ack and to the other seats' updates."""
    names = [s for s in tokens if s != "facilitator"][:seats]
    clients = [SeatClient(url, tokens[s]) for s in names]
    for c in clients:
        await c.connect()
    arrivals: dict[int, list[float]] = {}
    for i, c in enumerate(clients):
        def note(i: int = i) -> None:
            arrivals.setdefault(i, []).append(time.perf_counter())
        c.on_change = note
    to_ack, to_others = [], []
    for n in range(actions):
        actor = clients[n % len(clients)]
        arrivals.clear()
        sent = time.perf_counter()
        ack = await actor.act({"actor": actor.seat, "pass": True})
        to_ack.append(time.perf_counter() - sent)
        if not ack.ok:
            raise RuntimeError(f"the host refused a pass: {ack.error}")
        others = [i for i, c in enumerate(clients) if c is not actor]
        while not all(i in arrivals for i in others):
            await asyncio.sleep(0.0005)
        to_others += [arrivals[i][0] - sent for i in others]
    for c in clients:
        await c.close()
    print(f"latency, {len(clients)} seats, {actions} actions (a pass each, journalled with fsync):")
    for label, values in (("action -> acting seat's ack", to_ack),
                          ("action -> each other seat's update", to_others)):
        q = statistics.quantiles(values, n=20)
        print(f"  {label:<36} median {statistics.median(values) * 1000:6.1f} ms   "
              f"p95 {q[18] * 1000:6.1f} ms")


async def load(url: str, tokens: dict[str, str], seats: int, each: int, pid: int) -> int:
    """Every seat sends `each` actions at once; returns how many were acknowledged."""
    names = [s for s in tokens if s != "facilitator"][:seats]
    clients = [SeatClient(url, tokens[s]) for s in names]
    for c in clients:
        await c.connect()
    done = 0
    memory = [rss_kib(pid)]
    marks = {seats * each * q // 4 for q in (1, 2, 3)}

    async def play(c: SeatClient) -> None:
        nonlocal done
        for _ in range(each):
            ack = await c.act({"actor": c.seat, "pass": True})
            if ack.ok:
                done += 1
                if done in marks:
                    memory.append(rss_kib(pid))

    started = time.perf_counter()
    await asyncio.gather(*(play(c) for c in clients))
    took = time.perf_counter() - started
    memory.append(rss_kib(pid))
    for c in clients:
        await c.close()
    print(f"load, {len(clients)} seats x {each} actions at once: {done} acknowledged in "
          f"{took:.1f} s ({done / took:.0f}/s)")
    print("  host memory (VmRSS, MiB) at 0, 25, 50, 75, 100 %: "
          + ", ".join(f"{m / 1024:.1f}" for m in memory))
    return done


def main() -> int:
    """Run both measurements against fresh hosts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-seats", type=int, default=10)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--each", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "a").mkdir()
        host, tokens, url = start_host(folder / "a", args.latency_seats)
        try:
            asyncio.run(latency(url, tokens, args.latency_seats, args.actions))
        finally:
            host.send_signal(signal.SIGTERM)
            host.wait()
        (folder / "b").mkdir()
        host, tokens, url = start_host(folder / "b", args.seats)
        try:
            done = asyncio.run(load(url, tokens, args.seats, args.each, host.pid))
        finally:
            host.send_signal(signal.SIGTERM)
            host.wait()
        journalled = sum(op["op"] == "act" for op in read_journal(folder / "b" / "ex.jsonl").ops)
        print(f"  in the journal: {journalled} actions; lost: {args.seats * args.each - journalled}")
        return 0 if done == journalled == args.seats * args.each else 1


if __name__ == "__main__":
    sys.exit(main())
