"""K disjoint copies of a scenario in one file, to measure how cost grows with its size.

Every actor, channel, inject, evidence source, rule, observation and metric is copied K times
with the suffix `-cN`, and every reference to one of them inside copy N is renamed with it, so
the copies never touch (a broadcast to `all` reaches its own copy's actors): K copies should
cost K times one. The question, ladder, parameters and
sources are shared; variants, objectives, pauses and debrief questions are left out.

Run: python benchmarks/kcopies.py K > big.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
POLAND = ROOT / "scenarios/poland-2022.yaml"

#: Sections whose items are copied, one set per copy.
COPIED = ("actors", "channels", "observation", "evidence", "injects", "rules", "metrics")

#: Keys of copied items that only document them.
UNREAD = frozenset({"note", "description", "source"})

#: How sure a sourced value is (`Sourced.confidence`), as opposed to a claim's number.
SOURCING_CONFIDENCE = frozenset({"C", "R", "E", "X"})

#: Sections dropped: they name items of one copy only, or are not read by a run.
DROPPED = ("variants", "default_variant", "objectives", "pause_on", "discussion")


def copies(text: str, k: int, *, bare: bool = True) -> str:
    """The scenario written in `text` as K disjoint copies (YAML text).

    `bare` leaves out what a run never reads (notes, descriptions, sources): K = 100 copies of
    Poland then hold ~533,000 values (~639,000 with them; the loader reads 700,000).
    """
    data = yaml.safe_load(text)
    ids = {item["id"] for section in COPIED for item in data.get(section, []) if "id" in item}
    for section in DROPPED:
        data.pop(section, None)
    actors = [a["id"] for a in data.get("actors", [])]
    for channel in data.get("channels", []):
        if channel.get("kind") == "broadcast" and channel.get("audience", "all") == "all":
            channel["audience"] = actors  # renamed with the rest: its own copy's actors only
    if bare:
        data["sourcing"] = "optional"  # the copies' facts no longer cite their sources
    for section in COPIED:
        items = _bare(data.get(section, [])) if bare else data.get(section, [])
        data[section] = [_renamed(item, ids, f"-c{n}") for n in range(k) for item in items]
    data["id"] = f"{data['id']}-x{k}"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def _bare(node: Any) -> Any:
    """`node` without the words a run never reads (notes, descriptions, sourcing)."""
    if isinstance(node, list):
        return [_bare(x) for x in node]
    if isinstance(node, dict):
        return {k: _bare(v) for k, v in node.items()
                if k not in UNREAD and not (k == "confidence" and v in SOURCING_CONFIDENCE)}
    return node


def _renamed(node: Any, ids: set[str], suffix: str) -> Any:
    """A copy of `node` with every string that is one of `ids` (or `inject:ID`) suffixed."""
    if isinstance(node, str):
        if node in ids:
            return node + suffix
        if node.startswith("inject:") and node[7:] in ids:
            return node + suffix
        return node
    if isinstance(node, list):
        return [_renamed(x, ids, suffix) for x in node]
    if isinstance(node, dict):
        return {_renamed(k, ids, suffix): _renamed(v, ids, suffix) for k, v in node.items()}
    return node


def write(k: int, folder: Path, source: Path = POLAND) -> Path:
    """Write K copies of `source` into `folder`; return the path."""
    path = folder / f"{source.stem}-x{k}.yaml"
    path.write_text(copies(source.read_text(encoding="utf-8"), k), encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.stdout.write(copies(POLAND.read_text(encoding="utf-8"), int(sys.argv[1])))
