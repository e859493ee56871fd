"""Validation of hostile files just under the size limit: time and peak memory of `validate`.

Run: python benchmarks/bench_hostile.py [--mib N]
Each case is written to a temporary file and validated by `hotline validate` in its own
process. Target (issue 12): every file under the default limit in under 5 s and 500 MB.
Prints its figures; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEAD = ("hotline: 1\nid: hostile\ntitle: Hostile\nstart: 2022-11-15T12:00:00Z\nduration: 12h\n"
        "question:\n  text: Who fired?\n  truth: blue\n  hypotheses:\n"
        "    - {id: red, label: Red did it}\n    - {id: blue, label: Blue did it}\n"
        "ladder:\n  - {id: routine, label: Routine}\n")


def unknown_keys(limit: int) -> str:
    """Top-level keys that are not fields: each one an error with a did-you-mean."""
    lines, size, i = [HEAD], len(HEAD), 0
    while True:
        line = f"k{i:07d}: 1\n"
        if size + len(line) > limit:
            return "".join(lines)
        lines.append(line)
        size += len(line)
        i += 1


def actors_missing_fields(limit: int, count: int = 1_000_000) -> str:
    """Actors with only an id: each misses its name, side and time zone."""
    text = HEAD + "actors:\n" + "".join(f"  - {{id: a{i}}}\n" for i in range(count))
    return text if len(text) <= limit else text[:text.rindex("\n", 0, limit) + 1]


def empty_mappings(limit: int) -> str:
    """A flow list of empty mappings, `[{},{},...]`, as the whole document."""
    n = (limit - 2) // 3
    return "[" + "{}," * (n - 1) + "{}]"


def actors_of_empty_mappings(limit: int) -> str:
    """`actors: [{},{},...]`: every item misses every required field."""
    n = (limit - len(HEAD) - 12) // 3
    return HEAD + "actors: [" + "{}," * (n - 1) + "{}]\n"


def actors_under_the_value_cap(limit: int) -> str:
    """As many actors missing fields as the loader reads before its cap on values."""
    return actors_missing_fields(limit, count=340_000)


def nested_lists(limit: int) -> str:
    """Empty lists nested 60 deep, over and over: the most memory per value (each value's
    position is kept under its path, and a deep value's path is long)."""
    unit = "[" * 60 + "]" * 60 + ","
    return HEAD + "extra: [" + unit * ((limit - len(HEAD) - 12) // len(unit)) + "0]\n"


def small_mappings(limit: int) -> str:
    """`extra: [{a: 0, b: 0, c: 0},...]`: a mapping, three keys and three values a time."""
    unit = "{a: 0, b: 0, c: 0},"
    return HEAD + "extra: [" + unit * ((limit - len(HEAD) - 12) // len(unit)) + "0]\n"


CASES: dict[str, Callable[[int], str]] = {
    "unknown top-level keys": unknown_keys,
    "actors missing fields": actors_missing_fields,
    "340,000 actors missing fields": actors_under_the_value_cap,
    "[{},{},...]": empty_mappings,
    "actors: [{},{},...]": actors_of_empty_mappings,
    "lists nested 60 deep": nested_lists,
    "[{a: 0, b: 0, c: 0},...]": small_mappings,
}


def validate(path: Path) -> tuple[float, float, float, int, str]:
    """Wall and CPU seconds, peak RSS (MB), exit status and first stderr line of `validate`."""
    code = ("import resource,sys; from sim.cli import main; rc=main(sys.argv[1:]); "
            "u=resource.getrusage(resource.RUSAGE_SELF); "
            "print('RSS_MB', u.ru_maxrss/1024, u.ru_utime+u.ru_stime, file=sys.stderr); "
            "sys.exit(rc)")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "validate", str(path)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    lines = done.stderr.splitlines()
    rss, cpu = next(map(float, line.split()[1:]) for line in lines if line.startswith("RSS_MB"))
    return wall, cpu, rss, done.returncode, lines[0][:90] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mib", type=float, default=16, help="size of each file (default 16 MiB, "
                        "the default limit)")
    args = parser.parse_args()
    limit = int(args.mib * 1024 * 1024) - 1
    print(f"{'case':<32} {'size':>9} {'wall':>7} {'CPU':>7} {'peak RSS':>9} exit  "
          "target: < 5 s, < 500 MB")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in CASES.items():
            path = Path(tmp) / "hostile.yaml"
            path.write_text(make(limit), encoding="utf-8")
            wall, cpu, rss, status, first = validate(path)
            print(f"{name:<32} {path.stat().st_size / 1e6:>7.1f}MB {wall:>6.1f}s {cpu:>6.1f}s "
                  f"{rss:>7.0f}MB {status:>4}  {first[len(str(path)):]}")
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
