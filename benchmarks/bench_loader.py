"""Loader benchmarks: load and validate a real scenario, a generated huge one, and the CLI as a process.

Run: python benchmarks/bench_loader.py [--runs N]
Prints its figures and the targets beside them; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.scenario import load_scenario  # noqa: E402

POLAND = ROOT / "scenarios" / "poland-2022.yaml"
TINY = ROOT / "tests" / "data" / "scenarios" / "tiny.yaml"


def real_scenario() -> tuple[Path, str]:
    """The Poland scenario, or tiny.yaml (said so in the note) while it is not written yet."""
    if POLAND.exists():
        return POLAND, ""
    return TINY, " (poland-2022.yaml absent: tiny.yaml)"


def warm_load(path: Path, runs: int) -> float:
    """Median milliseconds to load and validate `path` in a process that has loaded it once."""
    load_scenario(path)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        load_scenario(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def huge_scenario(actors: int, channels: int, seed: int = 1) -> str:
    """A valid scenario with many actors and call channels between random pairs."""
    rng = random.Random(f"{seed}:huge-scenario")
    lines = [
        "hotline: 1", "id: huge", "title: Many actors", "start: 2022-11-15T12:00:00Z", "duration: 12h",
        "question:", "  text: Who fired?", "  truth: blue", "  hypotheses:",
        "    - {id: red, label: Red did it}", "    - {id: blue, label: Blue did it}",
        "ladder:", "  - {id: routine, label: Routine}", "  - {id: alert, label: Alert}",
        "actors:",
    ]
    lines += [f"  - {{id: a{i}, name: Actor {i}, side: side{i % 7}, timezone: UTC, "
              f"response: {{call: {{lognormal: {{median: 5m, p90: 20m}}}}}}}}" for i in range(actors)]
    lines.append("channels:")
    for j in range(channels):
        a, b = rng.sample(range(actors), 2)
        lines.append(f"  - {{id: c{j}, kind: call, ends: [a{a}, a{b}], setup: 1m, answer: 0.9, "
                     f"retry: {{attempts: 2, interval: 10m}}}}")
    return "\n".join(lines) + "\n"


def huge_load(actors: int, channels: int, runs: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds to load and validate the generated scenario, and its bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "huge.yaml"
        path.write_text(huge_scenario(actors, channels), encoding="utf-8")
        wall, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            scenario = load_scenario(path)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            assert len(scenario.actors) == actors  # noqa: S101 - a wrong result is no benchmark
            del scenario  # freeing a million objects is not part of the next run
        return statistics.median(wall), statistics.median(cpu), path.stat().st_size


def cli_validate(path: Path, runs: int) -> float:
    """Median wall seconds of `python -m sim.cli validate PATH` as a whole process."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sim.cli", "validate", str(path)], cwd=ROOT,
                       capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="timed runs of the small cases")
    parser.add_argument("--huge-runs", type=int, default=3, help="timed runs of the huge scenario")
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=20_000)
    args = parser.parse_args()

    path, note = real_scenario()
    warm_ms = warm_load(path, args.runs)
    huge_s, huge_cpu, huge_bytes = huge_load(args.actors, args.channels, args.huge_runs)
    cli_s = cli_validate(path, max(5, args.runs // 2))

    rows = [
        (f"load+validate {path.name}, warm process", f"{warm_ms:.1f} ms", "-"),
        (f"load+validate {args.actors:,} actors, {args.channels:,} channels "
         f"({huge_bytes / 1e6:.1f} MB)", f"{huge_s:.2f} s", "< 3 s"),
        ("  the same, CPU time", f"{huge_cpu:.2f} s", "< 3 s"),
        (f"hotline validate {path.name} (whole process)", f"{cli_s * 1000:.0f} ms", "< 1 s"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'median':>9}  target")
    for case, figure, target in rows:
        print(f"{case:<{width}}  {figure:>9}  {target}")
    load = os.getloadavg()[0]
    print(f"\n{note.strip(' ()') or 'scenario: ' + path.name}; load average {load:.1f} on "
          f"{os.cpu_count()} CPUs (wall times grow with it, CPU time does not)")


if __name__ == "__main__":
    main()
