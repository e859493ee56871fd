"""`hotline params SCENARIO`: the parameters a run can set and the variants that set them.

Without it, the only way to learn that the Poland scenario has `cgs_answer` was to read the
YAML. The table gives what `--set NAME=VALUE`, `--grid` and `--variant` need: each name, its
type, default, range or choices, unit and meaning, then each variant and what it sets.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from sim.loadflags import add_load_flags, load_limits


def register(sub: Any) -> None:
    """Add the `params` subcommand to the `hotline` parser."""
    p = sub.add_parser(
        "params", help="list a scenario's parameters and variants",
        description="List the parameters of a scenario (name, type, default, range or choices, "
        "unit, description) and its variants with the values they set: what --set, --grid and "
        "--variant take.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--json", action="store_true", help="the same as JSON")
    add_load_flags(p)
    p.set_defaults(func=cmd_params)


def cmd_params(args: argparse.Namespace) -> int:
    """Print the parameters and variants."""
    from sim.scenario import load_scenario

    scenario = load_scenario(args.scenario, load_limits(args))
    rows = [_row(name, p) for name, p in scenario.parameters.items()]
    variants = [{"name": name, "default": name == scenario.default_variant,
                 "description": v.description.strip(), "set": {k: str(x) for k, x in v.set.items()}}
                for name, v in scenario.variants.items()]
    if args.json:
        sys.stdout.write(json.dumps({"scenario": scenario.id, "parameters": rows,
                                     "variants": variants}, indent=2, ensure_ascii=False) + "\n")
        return 0
    sys.stdout.write(render(scenario.title, rows, variants))
    return 0


def _row(name: str, p: Any) -> dict[str, Any]:
    allowed = (f"{p.range[0]} to {p.range[1]}" if p.range else
               "one of " + ", ".join(map(str, p.choices)) if p.choices else "")
    return {"name": name, "type": p.type, "default": str(p.default), "allowed": allowed,
            "unit": p.unit, "description": " ".join(p.description.split())}


def render(title: str, rows: list[dict[str, Any]], variants: list[dict[str, Any]]) -> str:
    """The parameters as an aligned table, each description wrapped under its row."""
    out = [f"{title}\n", "Parameters (--set NAME=VALUE, --grid NAME=V1,V2):"]
    if not rows:
        out.append("  (none)")
    heads = ("name", "type", "default", "allowed", "unit")
    widths = [max(len(h), *(len(str(r[h])) for r in rows)) for h in heads] if rows else []
    if rows:
        out.append("  " + "  ".join(h.ljust(w) for h, w in zip(heads, widths,
                                                                strict=True)).rstrip())
    for r in rows:
        out.append("  " + "  ".join(str(r[h]).ljust(w) for h, w in zip(heads, widths,
                                                                          strict=True)).rstrip())
        if r["description"]:
            out += textwrap.wrap(r["description"], 92, initial_indent="      ",
                                 subsequent_indent="      ")
    out.append("\nVariants (--variant NAME):")
    if not variants:
        out.append("  (none)")
    for v in variants:
        sets = ", ".join(f"{k}={x}" for k, x in v["set"].items()) or "nothing: the defaults"
        out.append(f"  {v['name']}{' (default)' if v['default'] else ''}: sets {sets}")
        if v["description"]:
            out += textwrap.wrap(v["description"], 92, initial_indent="      ",
                                 subsequent_indent="      ")
    return "\n".join(out) + "\n"
