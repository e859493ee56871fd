"""Report benchmark: an after-action report from a play journal of about 10,000 events.

Run: python benchmarks/bench_report.py [--events N] [--keep DIR]
Builds a busy scenario (eight actors who keep calling, writing and publishing), plays it as a
session with a seat, player actions and facilitator notes into a journal, then times each step
of `hotline report`: reading and replaying the journal, building the report, writing the HTML,
writing the Markdown and its pictures, and the whole command in a fresh process.
Prints its figures; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.engine.journal import Journal, open_session, read_journal  # noqa: E402
from sim.engine.session import Session, SessionAction  # noqa: E402
from sim.report.build import build_report, info_from_session, write_html, write_markdown  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

ACTORS = 8


def busy_scenario(days: int) -> str:
    """A scenario whose actors call their neighbours, fail, retry, write and publish all along."""
    ids = [f"a{i}" for i in range(ACTORS)]
    zones = ["Europe/Warsaw", "America/New_York", "Europe/Moscow", "Europe/Brussels", "UTC",
             "Asia/Tokyo", "Europe/London", "America/Los_Angeles"]
    lines = ["hotline: 1", "id: busy", "title: A busy week on the lines",
             "start: 2022-11-15T14:40:00Z", f"duration: {days}d", "turn: 1h",
             "question: {text: Who fired?, truth: blue, hypotheses: "
             "[{id: red, label: Red}, {id: blue, label: Blue}]}",
             "ladder: [{id: l0, label: Routine}, {id: l1, label: Alert}, {id: l2, label: Crisis}]",
             "actors:"]
    lines += [f"  - {{id: {a}, name: Actor {a}, side: s{i % 3}, timezone: {zones[i]}, playable: true}}"
              for i, a in enumerate(ids)]
    lines.append("channels:")
    for i, a in enumerate(ids):
        b = ids[(i + 1) % ACTORS]
        lines.append(f"  - {{id: line-{a}-{b}, kind: call, ends: [{a}, {b}], setup: 1m, answer: 0.4, "
                     "ring_timeout: 2m, retry: {attempts: 2, interval: 15m}, duration: 10m}")
    lines.append(f"  - {{id: mail, kind: message, members: [{', '.join(ids)}], latency: 5m, loss: 0.1}}")
    lines.append(f"  - {{id: news, kind: broadcast, publishers: [{', '.join(ids)}], latency: 1m}}")
    lines.append(f"  - {{id: council, kind: meeting, members: [{', '.join(ids)}], convene: 1h, "
                 "duration: 1h}")
    lines.append("injects:")
    lines.append("  - {id: first, title: Explosion, at: 5m, to: [a0], claim: {hypothesis: red}}")
    lines.append("rules:")
    for i, a in enumerate(ids):
        b = ids[(i + 1) % ACTORS]
        c = ids[(i + 3) % ACTORS]
        lines += [
            f"  - {{id: {a}-calls, actor: {a}, when: {{start: true}}, delay: {5 + i}m, "
            f"do: {{call: {{to: {b}, channel: line-{a}-{b}}}}}}}",
            f"  - {{id: {a}-redials, actor: {a}, repeat: true, when: {{call_failed: {{}}}}, delay: 40m, "
            f"do: {{call: {{to: {b}, channel: line-{a}-{b}}}}}}}",
            f"  - {{id: {a}-again, actor: {a}, repeat: true, when: {{contact: {b}}}, delay: 90m, "
            f"do: {{call: {{to: {b}, channel: line-{a}-{b}}}}}}}",
            f"  - {{id: {a}-writes, actor: {a}, repeat: true, when: {{contact: {b}}}, delay: 20m, "
            f"do: {{message: {{to: [{c}], channel: mail}}}}}}",
        ]
    lines += ["  - {id: a0-speaks, actor: a0, repeat: true, when: {contact: a1}, delay: 30m, "
              "do: {statement: {channel: news, claim: {hypothesis: red, confidence: 0.6}}}}",
              "  - {id: a4-speaks, actor: a4, repeat: true, when: {contact: a5}, delay: 30m, "
              "do: {statement: {channel: news, claim: {hypothesis: blue, confidence: 0.7}}}}",
              "  - {id: a2-convenes, actor: a2, when: {at: 6h}, do: {convene: council}}",
              "metrics:",
              "  - {id: c01, kind: contact, label: a0 reaches a1, between: [a0, a1], "
              "historical: {at: 2h}}",
              "  - {id: fails, kind: failed_calls, label: Failed calls, historical: {count: 12}}",
              "  - {id: crisis, kind: reached, label: Crisis reached, level: l2}",
              "objectives:",
              "  - {id: o1, label: Reach a1 within an hour, metric: c01, within: 1h}",
              "  - {id: o2, label: Few failed calls, metric: fails, at_most: 50}",
              "discussion: [What kept the lines busy?]"]
    return "\n".join(lines) + "\n"


def play(scenario_path: Path, journal_path: Path, events: int) -> Session:
    """Play the busy scenario turn by turn with one seat, actions and notes, until `events`."""
    text = scenario_path.read_text(encoding="utf-8")
    scenario = load_scenario(scenario_path)
    session = Session(scenario, seed=1, seats=["a7"])
    journal = Journal.create(journal_path, session, scenario_path, text)
    act = SessionAction.model_validate
    turn = 0
    while len(session.log) < events and not session.finished:
        turn += 1
        session.next_turn()
        if turn % 3 == 0:
            session.act(act({"actor": "a7", "do": {"call": {"to": "a0", "channel": "line-a7-a0"}}}))
        if turn % 5 == 0:
            session.act(act({"note": f"turn {turn}: the lines are <busy> & so are we"}))
        if turn % 24 == 0:
            session.act(act({"actor": "a7", "do": {"posture": {"raise": 1}}}))
    journal.close()
    return session


def timed(label: str, fn: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """Call `fn`, print how long it took, and return its result and the seconds."""
    start = time.perf_counter()
    out = fn(*args)
    took = time.perf_counter() - start
    print(f"  {label:<42} {took * 1000:8.0f} ms")
    return out, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000, help="events in the journal's log")
    parser.add_argument("--keep", metavar="DIR", help="keep the scenario, journal and report here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        scenario = folder / "busy.yaml"
        scenario.write_text(busy_scenario(days=60), encoding="utf-8")
        journal = folder / "busy.journal"
        session = play(scenario, journal, args.events)
        n_ops = len(journal.read_text(encoding="utf-8").splitlines()) - 1
        calls = sum(1 for r in session.log if r.kind == "call_attempt")
        print(f"journal: {len(session.log)} events, {n_ops} operations, {calls} call attempts, "
              f"{session.now / 1440:.1f} days of scenario time, {journal.stat().st_size // 1024} KiB")
        print("report, step by step:")
        contents, t_read = timed("read the journal", read_journal, journal)
        replayed, t_replay = timed("replay it into a session", open_session, contents)
        info = info_from_session(replayed, str(journal), "journal")
        report, t_build = timed("build the report", lambda: build_report(replayed, info=info))
        _, t_html = timed("write HTML", write_html, report, folder / "out" / "report.html")
        _, t_md = timed("write Markdown and 3 SVGs", write_markdown, report, folder / "out" / "report.md")
        total = t_read + t_replay + t_build + t_html + t_md
        print(f"  {'total in process':<42} {total * 1000:8.0f} ms")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "sim.cli", "report", str(journal), "--out",
                               str(folder / "cli")], capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        print(f"  {'`hotline report` in a fresh process':<42} {wall * 1000:8.0f} ms "
              f"(exit {done.returncode})")
        sizes = {p.name: p.stat().st_size // 1024 for p in sorted((folder / "cli").iterdir())}
        print("files (KiB): " + ", ".join(f"{k} {v}" for k, v in sizes.items()))
        print(f"target: under 3 s for 10,000 events -> {'met' if wall < 3 else 'MISSED'}")


if __name__ == "__main__":
    main()
