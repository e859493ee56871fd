"""Print the mutation score of the pure core from mutmut's results: `scripts/mutation.sh` runs it.

Reads `mutmut results --all true` (one `name: status` a line) from standard input and prints,
per module and in all, how many mutants were killed, survived or reached by no test, and the
score: killed / (killed + survived + no tests). Mutants judged equivalent (no test can tell
them apart: the behaviour is the same) are listed with the reason in `mutation-equivalent.txt`
beside this file and are left out of a second, "non-equivalent" score.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

EQUIVALENT = Path(__file__).resolve().parent / "mutation-equivalent.txt"
LINE = re.compile(r"^\s*(?P<name>[\w.]+?)\.x\w*__mutmut_\d+: (?P<status>.+)$")
FULL = re.compile(r"^\s*(?P<mutant>[\w.]+__mutmut_\d+): ")


def equivalents() -> set[str]:
    """Mutant names judged equivalent: the first word of each line that is not a comment."""
    if not EQUIVALENT.exists():
        return set()
    return {line.split()[0] for line in EQUIVALENT.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")}


def score(counts: Counter[str]) -> str:
    """`killed/judged = NN.N%`, where judged counts the mutants that a test ought to kill."""
    judged = counts["killed"] + counts["survived"] + counts["no tests"]
    return f"{counts['killed']}/{judged} = {100 * counts['killed'] / judged:.1f}%" if judged else "-"


def main() -> int:
    same = equivalents()
    raw: dict[str, Counter[str]] = defaultdict(Counter)
    net: dict[str, Counter[str]] = defaultdict(Counter)
    left: list[str] = []
    for line in sys.stdin:
        match, full = LINE.match(line), FULL.match(line)
        if not match or not full:
            continue
        module, status = match["name"], match["status"].strip()
        status = "killed" if status == "timeout" else status  # a mutant that hangs is caught
        raw[module][status] += 1
        if full["mutant"] in same:
            net[module]["equivalent"] += 1
            continue
        net[module][status] += 1
        if status in ("survived", "no tests"):
            left.append(f"{full['mutant']}: {status}")
    if not raw:
        print("no mutation results: run `mutmut run` first", file=sys.stderr)
        return 1
    print(f"{'module':32} {'killed':>7} {'survived':>8} {'no test':>7} {'equiv':>5}  score (all)"
          "            score (non-equivalent)")
    total_raw, total_net = Counter(), Counter()
    for module in sorted(raw):
        r, n = raw[module], net[module]
        total_raw.update(r)
        total_net.update(n)
        print(f"{module:32} {r['killed']:7} {r['survived']:8} {r['no tests']:7} {n['equivalent']:5}  "
              f"{score(r):22} {score(n)}")
    print(f"{'all':32} {total_raw['killed']:7} {total_raw['survived']:8} {total_raw['no tests']:7} "
          f"{total_net['equivalent']:5}  {score(total_raw):22} {score(total_net)}")
    if left:
        print(f"\n{len(left)} mutants left (see one with `.venv/bin/mutmut show NAME`):")
        print("\n".join(f"  {name}" for name in left))
    return 0


if __name__ == "__main__":
    sys.exit(main())
