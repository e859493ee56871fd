"""Triggered injects wait under what sets them off, come back in scenario order, leave once fired."""

from __future__ import annotations

from sim.engine.injectindex import TriggeredInjects
from sim.scenario.events import Inject


def _inject(id_: str, to: list[str], kind: str = "contact") -> Inject:
    when = {"contact": "z"} if kind == "contact" else {"inject": "x"}
    reach = {"to": to} if to else {"via": "tv"}  # an inject to nobody in particular: a broadcast
    return Inject.model_validate({"id": id_, "title": id_, **reach, "when": when})


def test_candidates_are_the_actors_and_everyones_in_scenario_order() -> None:
    first, second, third = _inject("i1", ["a"]), _inject("i2", []), _inject("i3", ["a", "b"])
    waiting = TriggeredInjects([first, second, third, _inject("i4", ["a"], kind="inject")])
    assert [i.id for i in waiting.candidates("contact", "a")] == ["i1", "i2", "i3"]
    assert [i.id for i in waiting.candidates("contact", "b")] == ["i2", "i3"]
    assert [i.id for i in waiting.candidates("contact", "c")] == ["i2"]
    assert [i.id for i in waiting.candidates("inject", "a")] == ["i4"]


def test_a_fired_inject_waits_nowhere() -> None:
    shared = _inject("i3", ["a", "b"])
    waiting = TriggeredInjects([_inject("i1", []), shared])
    waiting.drop(shared)
    assert [i.id for i in waiting.candidates("contact", "a")] == ["i1"]
    assert [i.id for i in waiting.candidates("contact", "b")] == ["i1"]


def test_optional_and_timed_injects_are_not_indexed() -> None:
    optional = Inject.model_validate({"id": "o", "title": "o", "optional": True, "to": ["a"],
                                      "when": {"inject": "x"}})
    timed = Inject.model_validate({"id": "t", "title": "t", "to": ["a"], "at": {"fixed": "5m"}})
    assert TriggeredInjects([optional, timed]).candidates("inject", "a") == []


def test_a_received_trigger_waits_under_its_origin() -> None:
    def heard(id_: str, origin: str | None) -> Inject:
        test = {"origin": origin} if origin else {"hypothesis": "h"}
        return Inject.model_validate({"id": id_, "title": id_, "via": "tv",
                                      "when": {"received": test}})

    from_ap, from_anyone, from_tass = heard("ap", "ap"), heard("any", None), heard("tass", "tass")
    waiting = TriggeredInjects([from_ap, from_anyone, from_tass])
    assert [i.id for i in waiting.candidates("received", "a", "ap")] == ["ap", "any"]
    assert [i.id for i in waiting.candidates("received", "a", "bbc")] == ["any"]
    assert [i.id for i in waiting.candidates("received", "a")] == ["any"]
    assert waiting.waits("received", "a", "tass")
    waiting.drop(from_anyone)
    assert not waiting.waits("received", "a", "bbc")


def test_a_kind_waits_until_its_last_inject_fires_and_a_second_drop_counts_once() -> None:
    one, two = _inject("i1", ["a"]), _inject("i2", ["a", "b"])
    waiting = TriggeredInjects([one, two, _inject("i3", ["a"], kind="inject")])
    assert waiting.waits("contact", "b")
    assert not waiting.waits("belief", "a")
    waiting.drop(two)
    waiting.drop(two)  # fired twice over (a player and its own time): nothing more to take away
    assert not waiting.waits("contact", "b")
    assert waiting.waits("contact", "a")
    waiting.drop(one)
    assert not waiting.waits("contact", "a")
    assert waiting.candidates("contact", "a") == []
    assert waiting.waits("inject", "a")
