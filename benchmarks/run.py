"""Run every benchmark in turn and print their figures: `python benchmarks/run.py`.

Each benchmark is its own script (run one alone with `python benchmarks/bench_NAME.py`,
`--help` for its options); this runs them all with their defaults, one after another, so
that no two compete for the machine's two cores. Nothing here asserts a time.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["bench_loader.py", "bench_hostile.py", "bench_engine.py", "bench_against.py",
              "bench_net.py", "bench_report.py", "bench_tui.py", "bench_whatif.py",
              "bench_sensitivity.py", "bench_batch.py", "bench_instructions.py"]


def main() -> int:
    """Run each benchmark named on the command line, or all of them."""
    chosen = sys.argv[1:] or BENCHMARKS
    failed = []
    for name in chosen:
        script = HERE / (name if name.endswith(".py") else f"bench_{name}.py")
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)
        print(f"--- {script.name}: {time.perf_counter() - started:.0f} s, exit {done.returncode}",
              flush=True)
        if done.returncode:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
