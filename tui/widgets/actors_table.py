"""The actors panel: each actor's state and posture, as far as the seat can know them."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.text import Text

from sim.engine.session import ActorView
from tui.widgets.snapshot_table import SnapshotTable

#: How each state looks.
STATUS_STYLES = {
    "available": "green",
    "on a call": "yellow",
    "in a meeting": "yellow",
    "off duty": "blue",
    "unreachable": "red",
    "?": "dim",
}


class ActorsTable(SnapshotTable):
    """Actor (by name: the detail view and forms give ids), state, posture, belief, local time."""

    DEFAULT_CSS = """
    ActorsTable {
        border: round $primary 50%;
        border-title-color: $text;
        height: auto;
        max-height: 100%;
        &:focus { border: round $primary; }
    }
    """

    COLUMNS = (("Actor", "actor"), ("State", "state"), ("Posture", "posture"),
               ("Belief", "belief"), ("Local", "local"))

    def on_mount(self) -> None:
        """Stripes (the columns come from SnapshotTable's own on_mount)."""
        self.zebra_stripes = True

    def show(self, actors: Sequence[ActorView], seat: str,
             informed: Collection[str] | None = None) -> None:
        """Show the actors by name; the seat's own (or the one viewed) first, in reverse.

        Args:
            actors: what the seat sees of each actor.
            seat: the seat, or the actor viewed.
            informed: actors that have received something or revised their belief; the
                others' beliefs are only their priors, and are shown as such (None: all are).
        """
        rows = []
        # the seat first, then those it is in contact with, then the rest, each in scenario order
        actors = sorted(actors, key=lambda a: (a.id != seat, a.status == "?"))
        for a in actors:
            name = Text(_short(a.name or a.id, 22), "bold reverse" if a.id == seat else "bold")
            state = Text(a.status, STATUS_STYLES.get(a.status, ""))
            posture = Text(_short(a.posture, 11) if a.posture else "?", "" if a.posture else "dim")
            if a.belief and informed is not None and a.id not in informed:
                belief = Text("prior only", "dim")  # nothing has happened to this actor yet
            elif a.belief:
                hypothesis, p = max(a.belief.items(), key=lambda kv: kv[1])
                belief = Text(f"{p:4.0%} {_short(hypothesis, 12)}")
            else:
                belief = Text("?", "dim")
            rows.append((a.id, (name, state, posture, belief, a.local_time)))
        self.replace_rows(rows)


def _short(word: str, width: int) -> str:
    """`word`, cut to `width` characters with an ellipsis (scenario ids can be long)."""
    return word if len(word) <= width else word[:width - 1] + "…"
