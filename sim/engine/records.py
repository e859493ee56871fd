"""The event log's records: flat, frozen, JSON-serialisable; the single source for everything."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

#: Decimal places kept for times and numbers in JSON, so logs compare byte for byte.
PRECISION = 6


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, PRECISION) + 0.0  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Record:
    """One thing that happened, at minute `t` of scenario time."""

    t: float
    """Minutes since the scenario's start."""
    kind: str
    """What happened: one of `sim.scenario.events.EVENT_KINDS`."""
    actor: str | None = None
    """Who acted (the caller, sender, speaker), or whom it happened to."""
    counterpart: str | None = None
    """The other end: callee, recipient, source of a claim."""
    channel: str | None = None
    """The channel used."""
    data: dict[str, Any] = field(default_factory=dict)
    """Details: claim, reason, attempt, belief, level, text..."""

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON object with rounded numbers."""
        out: dict[str, Any] = {"t": _round(float(self.t)), "kind": self.kind}
        for key in ("actor", "counterpart", "channel"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.data:
            out["data"] = _round(self.data)
        return out

    def dumps(self) -> str:
        """The record as one line of JSON, keys sorted."""
        return json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Record:
        """Read a record back from `to_json` output."""
        return cls(t=obj["t"], kind=obj["kind"], actor=obj.get("actor"),
                   counterpart=obj.get("counterpart"), channel=obj.get("channel"),
                   data=obj.get("data", {}))

    @property
    def hypothesis(self) -> str | None:
        """The hypothesis a carried claim asserts, if any."""
        return self.data.get("hypothesis")


_new = object.__new__
#: Each field's slot setter, in the order of the fields.
_SET = tuple(Record.__dict__[f.name].__set__ for f in fields(Record))


def record(t: float, kind: str, actor: str | None, counterpart: str | None, channel: str | None,
           data: dict[str, Any]) -> Record:
    """`Record(t, kind, actor, counterpart, channel, data)`, built at less than half the cost.

    A frozen dataclass's `__init__` goes through `object.__setattr__` field by field; every
    logged event builds one, so the log's hot path sets the slots directly.
    """
    made = _new(Record)
    set_t, set_kind, set_actor, set_counterpart, set_channel, set_data = _SET
    set_t(made, t)
    set_kind(made, kind)
    set_actor(made, actor)
    set_counterpart(made, counterpart)
    set_channel(made, channel)
    set_data(made, data)
    return made

