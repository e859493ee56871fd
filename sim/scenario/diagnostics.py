"""Diagnostics: one problem at a file position, and the error that carries them all."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import asdict, dataclass

#: Path of a value inside the document, e.g. ("actors", 3, "timezone").
Path = tuple[str | int, ...]


def dotted(path: Path) -> str:
    """Write a path the way messages show it: `actors[3].timezone`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, where it is, and what was expected."""

    line: int
    """1-based line of the offending node; 0 for a problem with the whole file (missing, too big)."""
    column: int
    """1-based column of the offending node; 0 with line 0."""
    file: str
    """The file's path as given."""
    path: str
    """Dotted field path, e.g. `actors[3].timezone`."""
    message: str
    """What is wrong; what was expected."""
    severity: str = "error"
    """`error` or `warning`."""

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        at = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{at}: {self.severity}: {where}{self.message}"

    def to_json(self) -> dict[str, object]:
        """The diagnostic as a JSON object, for editors and scripts."""
        return asdict(self)


class ScenarioError(Exception):
    """A scenario file could not be loaded; `diagnostics` says every reason, in file order."""

    def __init__(self, diagnostics: Iterable[Diagnostic], *, truncated: int = 0) -> None:
        self.diagnostics = sorted(diagnostics)
        self.truncated = truncated
        super().__init__(self.report())

    def report(self) -> str:
        """All diagnostics, one a line, then how many more were left out."""
        lines = [str(d) for d in self.diagnostics]
        if self.truncated:
            lines.append(f"... and {self.truncated} more errors not shown")
        return "\n".join(lines)


def suggest(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean ...?)' hint for a near miss, or an empty string."""
    # keys of a mapping may be numbers, true or null in YAML: compare them as written
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def expected_one_of(choices: Iterable[str], limit: int = 12) -> str:
    """Name the allowed values, shortened when there are many."""
    items = sorted(str(c) for c in choices)  # YAML keys may be numbers, true or null
    shown = ", ".join(items[:limit]) + (f", ... ({len(items)} in all)" if len(items) > limit else "")
    return f"expected one of: {shown}" if items else "there are none defined"
