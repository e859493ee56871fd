"""Terminal UI benchmarks: command to first screen, and one turn with 10,000 events in the feed.

Run: python benchmarks/bench_tui.py [SCENARIO] [--runs N]
Prints its figures; nothing here asserts a time. The end-to-end figures run the installed
`hotline` command on a pseudo-terminal and time until the screen shows the change; the
in-process figure splits a turn into the engine's share and the screen's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from fcntl import ioctl
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.engine.session import FACILITATOR  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

HOTLINE = Path(sys.executable).with_name("hotline")
ESCAPES = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


class Terminal:
    """The `hotline` command on a 100×30 pseudo-terminal, its output collected."""

    def __init__(self, *argv: str) -> None:
        master, slave = pty.openpty()
        ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen([str(HOTLINE), *argv], stdin=slave, stdout=slave,
                                        stderr=slave, start_new_session=True,
                                        env={**os.environ, "TERM": "xterm-256color"})
        os.close(slave)
        self.master, self.raw = master, bytearray()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.raw.extend(chunk)

    def wait_for(self, needle: str, after: int = 0, timeout: float = 60) -> tuple[float, int]:
        """Seconds since start until `needle` is drawn, and where it ends in the output."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            text = ESCAPES.sub(b"", bytes(self.raw)).decode("utf-8", "replace")
            found = text.find(needle, after)
            if found >= 0:
                return time.perf_counter() - self.started, found + len(needle)
            time.sleep(0.002)
        raise RuntimeError(f"{needle!r} never appeared")

    def send(self, keys: str) -> None:
        """Type keys."""
        os.write(self.master, keys.encode())

    def close(self) -> None:
        """Stop the program."""
        self.process.kill()
        self.process.wait()
        os.close(self.master)


def noisy_scenario(actors: int = 8, hours: int = 48) -> str:
    """A scenario that chatters: each actor passes every message on, for many events a turn."""
    ids = [f"a{i}" for i in range(actors)]
    return yaml.safe_dump({
        "hotline": 1, "id": "noisy", "title": "Noisy (benchmark)",
        "start": "2022-11-15T12:00:00Z", "duration": f"{hours}h", "turn": "30m",
        "question": {"text": "?", "truth": "blue", "hypotheses": [
            {"id": "red", "label": "Red"}, {"id": "blue", "label": "Blue"}]},
        "ladder": [{"id": "routine", "label": "Routine"}],
        "actors": [{"id": a, "name": a.upper(), "side": "x", "timezone": "UTC", "playable": True,
                    "belief": {"red": 0.5, "blue": 0.5}} for a in ids],
        "channels": [{"id": "net", "kind": "message", "members": ids, "latency": "1m"}],
        "injects": [{"id": f"go-{a}", "title": "Go", "at": "1m", "to": [a],
                     "claim": {"hypothesis": "red", "confidence": 0.6}} for a in ids],
        "rules": [{"id": f"relay-{a}", "actor": a, "when": {"received": {}}, "repeat": True,
                   "delay": "1m", "do": {"message": {"to": [ids[(i + 1) % len(ids)]],
                                                     "channel": "net", "text": "relay"}}}
                  for i, a in enumerate(ids)],
    }, sort_keys=False)


def journal_with(events: int, folder: Path) -> tuple[Path, Path, int, int]:
    """A journal of the noisy scenario advanced until its log holds `events` records.

    Returns:
        The scenario file, the journal, the turn it stops at, and the log's length.
    """
    from tui.game import Game

    scenario_path = folder / "noisy.yaml"
    scenario_path.write_text(noisy_scenario(), encoding="utf-8")
    journal = folder / "noisy.jsonl"
    game = Game.start(scenario_path, load_scenario(scenario_path), seat=FACILITATOR, seed=1,
                      journal_path=journal)
    while len(game.session.log) < events:
        game.session.next_turn()
    turn, size = game.session.turn, len(game.session.log)
    game.close()
    return scenario_path, journal, turn, size


def startup(scenario: Path, runs: int, folder: Path) -> list[float]:
    """Seconds from the command to the first interactive screen (the play screen's phase)."""
    times = []
    for i in range(runs):
        term = Terminal("play", str(scenario), "--seat", "facilitator",
                        "--journal", str(folder / f"start-{i}.jsonl"))
        try:
            times.append(term.wait_for("PLANNING")[0])
        finally:
            term.close()
    return times


def seat_screen(scenario: Path, runs: int) -> list[float]:
    """Seconds from the command to the seat choice (no seat given)."""
    times = []
    for _ in range(runs):
        term = Terminal("play", str(scenario))
        try:
            times.append(term.wait_for("Choose your seat")[0])
        finally:
            term.close()
    return times


def turn_on_terminal(journal: Path, turn: int, runs: int) -> tuple[float, list[float]]:
    """Resume a big journal; then time `n` until the bar shows the next turn, `runs` times."""
    term = Terminal("play", "--resume", str(journal))
    try:
        opened, mark = term.wait_for(f"Turn {turn}/")
        times = []
        for k in range(1, runs + 1):
            sent = time.perf_counter()
            term.send("n")
            _, mark = term.wait_for(f"Turn {turn + k}/", after=mark)
            times.append(time.perf_counter() - sent)
        return opened, times
    finally:
        term.close()


def turn_in_process(journal: Path, runs: int) -> list[tuple[float, float]]:
    """(engine seconds, until-repainted seconds) of one turn, on a headless 100×30 screen."""
    from tui.app import HotlineApp, PlayOptions
    from tui.game import Game
    from tui.screens.play import PlayScreen

    game, _ = Game.resume(journal)
    results: list[tuple[float, float]] = []
    marks: dict[str, float] = {}
    original_start, original_turn = PlayScreen.start, PlayScreen._turn
    original_advanced = PlayScreen.on_advanced

    def start(self: PlayScreen, how: str) -> None:
        marks["sent"] = time.perf_counter()
        original_start(self, how)

    def timed_turn(self: PlayScreen) -> None:
        t0 = time.perf_counter()
        original_turn(self)
        marks["engine"] = time.perf_counter() - t0

    def advanced(self: PlayScreen, message: object) -> None:
        original_advanced(self, message)
        self.call_after_refresh(lambda: results.append(
            (marks["engine"], time.perf_counter() - marks["sent"])))

    PlayScreen.start, PlayScreen._turn, PlayScreen.on_advanced = start, timed_turn, advanced

    async def drive() -> None:
        app = HotlineApp(PlayOptions(game=game))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for _ in range(runs):
                before = len(results)
                await pilot.press("n")
                while len(results) == before:
                    await asyncio.sleep(0.001)

    try:
        asyncio.run(drive())
    finally:
        PlayScreen.start, PlayScreen._turn = original_start, original_turn
        PlayScreen.on_advanced = original_advanced
        game.close()
    return results


def ms(values: list[float]) -> str:
    """Median and range in milliseconds."""
    return (f"median {statistics.median(values) * 1000:.0f} ms "
            f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}, n={len(values)})")


def main() -> None:
    """Print every figure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "tests/data/scenarios/play.yaml"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    scenario = Path(args.scenario)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"hotline play {scenario.name}, 100×30 pseudo-terminal, {args.runs} runs")
        print(f"  command → seat choice:                 {ms(seat_screen(scenario, args.runs))}")
        print(f"  command → play screen (--seat):        {ms(startup(scenario, args.runs, folder))}")
        _, journal, turn, size = journal_with(args.events, folder)
        print(f"\nnoisy scenario, {size} events in the log at turn {turn} (facilitator's feed)")
        opened, times = turn_on_terminal(journal, turn, args.runs)
        print(f"  --resume (replay + first screen):      {opened * 1000:.0f} ms")
        print(f"  key n → next turn drawn (terminal):    {ms(times)}")
        (folder / "again").mkdir()
        _, journal, turn, size = journal_with(args.events, folder / "again")
        parts = turn_in_process(journal, args.runs)
        print(f"  in-process, engine's share of a turn:  {ms([e for e, _ in parts])}")
        print(f"  in-process, key n → screen repainted:  {ms([t for _, t in parts])}")


if __name__ == "__main__":
    main()
