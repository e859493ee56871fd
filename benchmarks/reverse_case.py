"""The truth-flip check: does Poland's president end up believing what the evidence shows?

Run: python benchmarks/reverse_case.py [--reps 1000] [--seed 1] [--at 24h]
For the `historical` and `reverse-case` variants of the Przewodów scenario: in what share of
runs the president's leading hypothesis at +24 h is the Ukrainian interceptor, and in what
share a Russian launch; then, for a few runs, the record that tipped his belief to its final
leader (the last belief change whose leader differs from the one before).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.durations import format_hm, parse_duration  # noqa: E402
from sim.engine.params import resolve_params  # noqa: E402
from sim.engine.streams import derive_seed  # noqa: E402
from sim.engine.world import World  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

ACTOR = "pl-president"
RUSSIAN = ("russia-deliberate", "russia-stray")


def leader(belief: dict[str, float]) -> str:
    return max(belief, key=lambda h: belief[h])


def run(scenario, variant: str, reps: int, seed: int, at: float) -> tuple[dict[str, int], list[str]]:
    params = resolve_params(scenario, variant)
    counts = {"ukraine-air-defence": 0, "russian": 0}
    tips: list[str] = []
    for i in range(reps):
        world = World(scenario, derive_seed(seed, 0, i), params)
        world.run(at)
        belief = world.actors[ACTOR].belief
        lead = leader(belief)
        counts["russian" if lead in RUSSIAN else lead] += 1
        if len(tips) < 3:
            tips.append(_tip(world, i, lead))
    return counts, tips


def _tip(world: World, i: int, lead: str) -> str:
    changes = [r for r in world.log if r.kind == "belief" and r.actor == ACTOR]
    previous = None
    tipped = None
    for r in changes:
        now = leader(r.data["belief"])
        if now != previous:
            tipped = r
        previous = now
    if tipped is None:
        return f"  run {i}: leader {lead} from the prior"
    cause = next((x for x in reversed(world.log[:world.log.index(tipped)])
                  if x.kind == "received" and x.actor == ACTOR and x.t == tipped.t), None)
    basis = ", ".join(cause.data.get("basis", {})) if cause else "trust"
    return (f"  run {i}: {lead} {tipped.data['belief'][lead]:.0%} from +{format_hm(tipped.t)}, "
            f"tipped by {tipped.counterpart} ({basis})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--at", default="24h")
    parser.add_argument("--scenario", default=str(ROOT / "scenarios/poland-2022.yaml"))
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    at = parse_duration(args.at)
    print(f"{ACTOR}'s leading hypothesis at +{args.at}, {args.reps} runs per variant, seed {args.seed}")
    for variant in ("historical", "reverse-case"):
        counts, tips = run(scenario, variant, args.reps, args.seed, at)
        shares = ", ".join(f"{k} {v / args.reps:.1%}" for k, v in counts.items())
        print(f"{variant}: {shares}")
        print("\n".join(tips))


if __name__ == "__main__":
    main()
