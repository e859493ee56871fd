"""Records built on the log's hot path are the same frozen records as the dataclass builds."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.engine.records import Record, record

names = st.none() | st.text(max_size=8)


@given(st.floats(0, 1e6), st.text(min_size=1, max_size=12), names, names, names,
       st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=3))
def test_a_hot_path_record_is_the_record(t: float, kind: str, actor: str | None,
                                         counterpart: str | None, channel: str | None,
                                         data: dict[str, object]) -> None:
    built = record(t, kind, actor, counterpart, channel, data)
    assert type(built) is Record
    assert built == Record(t, kind, actor, counterpart, channel, data)
    assert built.dumps() == Record(t, kind, actor, counterpart, channel, data).dumps()


def test_a_hot_path_record_is_frozen() -> None:
    built = record(1.0, "statement", "a", None, "wire", {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.kind = "inject"  # type: ignore[misc]
