"""Which link or channel each parameter belongs to, read from where the scenario uses it.

A parameter's group is the part of the scenario whose `$parameter` it is: a channel (its
latency, set-up, ringing, answer chance), a rule (its delay, probability), an actor (response
delays, duty hours), an evidence source or an inject. A parameter used by parts of one kind
only (say two channels) is grouped under them together; one used nowhere but in variants and
metrics is `(scenario)`. Sensitivity ranks these groups, so an analyst reads "the CJCS–CGS line",
not a list of knobs.
"""

from __future__ import annotations

from collections import defaultdict

from sim.scenario.models import Scenario
from sim.scenario.paramrefs import ParamUse, param_uses

#: Parts of a scenario that a parameter can belong to, in the order groups are named.
SECTIONS = {"channels": "channel", "rules": "rule", "actors": "actor", "evidence": "evidence",
            "injects": "inject"}

#: Most parts named in a group's name; beyond it, the first two are named and all counted.
MAX_NAMED = 4

#: The group of a parameter that no channel, rule, actor, evidence or inject uses.
UNUSED = "(scenario)"


def parameter_uses(scenario: Scenario) -> dict[str, list[str]]:
    """Parameter name → the parts using it (`channel cjcs-cgs`, `rule ap-alert`), in file order."""
    places: dict[str, dict[str, None]] = defaultdict(dict)
    for section, word in SECTIONS.items():
        for item in getattr(scenario, section):
            found: list[ParamUse] = []
            param_uses(item, (section, item.id), found)
            for _path, ref, _kind in found:
                places[ref[1:]][f"{word} {item.id}"] = None
    return {name: list(places.get(name, {})) for name in scenario.parameters}


def group_of(places: list[str]) -> str:
    """One group name for a parameter used in `places`: the part, or the parts joined by `+`."""
    if not places:
        return UNUSED
    if len(places) == 1:
        return places[0]
    word = places[0].split(" ", 1)[0]
    if all(p.startswith(f"{word} ") for p in places):
        ids = [p.split(" ", 1)[1] for p in places]
        if len(ids) > MAX_NAMED:  # a knob shared by a whole side reads better counted
            return f"{word} {'+'.join(ids[:2])}+… ({len(ids)})"
        return f"{word} " + "+".join(ids)
    return " + ".join(places)


def parameter_groups(scenario: Scenario) -> dict[str, str]:
    """Parameter name → its group, for every parameter of the scenario."""
    return {name: group_of(places) for name, places in parameter_uses(scenario).items()}
