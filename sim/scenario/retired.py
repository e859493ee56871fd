"""Settings the language no longer uses: old files keep loading, with one warning per file."""

from __future__ import annotations

import warnings
from typing import Any

from sim.scenario.diagnostics import Diagnostic, dotted
from sim.scenario.yamlnodes import Document


class ScenarioWarning(UserWarning):
    """A scenario file loads, but something in it is ignored; the message says where and why."""


#: Why each retired channel setting is ignored, by (channel kind, field).
RETIRED = {
    ("call", "capacity"): "'capacity' is ignored: a call line links two actors who are both busy "
                          "while they talk, so it never carries more than one call at a time; "
                          "remove it",
}


def retired_settings(data: dict[str, Any], doc: Document, name: str) -> list[Diagnostic]:
    """A warning for every retired setting the file still writes, in file order."""
    found = []
    channels = data.get("channels")
    for i, channel in enumerate(channels if isinstance(channels, list) else []):
        if not isinstance(channel, dict):
            continue
        for (kind, field), why in RETIRED.items():
            if channel.get("kind") == kind and field in channel:
                path = ("channels", i, field)
                found.append(Diagnostic(*doc.position(path, key=True), name,
                                        dotted(doc.written(path)), why, severity="warning"))
    return sorted(found)


def warn_retired(found: list[Diagnostic]) -> None:
    """Warn once for a file: the first place a retired setting is used, and how many more."""
    if not found:
        return
    more = f" (and {len(found) - 1} more in this file)" if len(found) > 1 else ""
    warnings.warn(ScenarioWarning(f"{found[0]}{more}"), stacklevel=4)
