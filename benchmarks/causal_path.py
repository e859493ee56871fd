"""How a connected Milley–Gerasimov call reached, or failed to reach, others' beliefs and acts.

Run: python benchmarks/causal_path.py [--variant line-works] [--seeds 1 2 3]
For each seed: the call's moves, then every record that carries what Gerasimov said or shared
(the roots `op:ru-cgs` and `ev:ru-launch-records`) with the belief it moved, and the acts
(statements, postures, calls) of those actors in the two hours after they heard it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.durations import format_hm  # noqa: E402
from sim.engine.params import resolve_params  # noqa: E402
from sim.engine.world import World  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

ROOTS = ("op:ru-cgs", "ev:ru-launch-records")
ACTS = ("statement", "posture", "call_attempt", "message_sent")


def lead(belief: dict[str, float]) -> str:
    best = max(belief, key=lambda h: belief[h])
    return f"{best} {belief[best]:.0%}"


def trace(world: World) -> list[str]:
    log = world.log
    calls = [r for r in log if r.kind == "call_connected" and r.channel == "cjcs-cgs"]
    if not calls:
        return ["  the line never connected"]
    out = [f"  +{format_hm(r.t)} {r.actor} → {r.counterpart}: {r.data['move']}"
           f" {r.data.get('hypothesis', '')} {r.data.get('text', '')}".rstrip()
           for r in log if r.kind == "call_move" and r.channel == "cjcs-cgs"]
    heard: dict[str, float] = {}
    for i, r in enumerate(log):
        basis = r.data.get("basis", {})
        carried = [root for root in ROOTS if root in basis]
        if r.kind == "received" and carried and r.actor not in heard:
            heard[r.actor] = r.t
            after = next((x for x in log[i + 1:i + 4] if x.kind == "belief" and x.actor == r.actor),
                         None)
            moved = f"belief now {lead(after.data['belief'])}" if after else "belief unchanged"
            out.append(f"  +{format_hm(r.t)} {r.actor} hears {', '.join(carried)} from "
                       f"{r.counterpart} (chain {' → '.join(basis[carried[0]])}): {moved}")
    for actor, t in heard.items():
        acts = [r for r in log if r.actor == actor and r.kind in ACTS and t <= r.t <= t + 120]
        for r in acts[:3]:
            what = r.data.get("level") or r.data.get("hypothesis") or r.counterpart or ""
            out.append(f"  +{format_hm(r.t)} then {actor}: {r.kind} {what}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variant", default="line-works")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios/poland-2022.yaml"))
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    params = resolve_params(scenario, args.variant)
    for seed in args.seeds:
        world = World(scenario, seed, params)
        world.run()
        print(f"seed {seed}, variant {args.variant}")
        print("\n".join(trace(world)))


if __name__ == "__main__":
    main()
