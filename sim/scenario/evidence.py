"""Evidence sources: sensors, investigations and witnesses whose outcomes the ground truth decides."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from sim.scenario.actors import GradedReliability
from sim.scenario.common import Sourced
from sim.scenario.distributions import Distribution
from sim.scenario.values import FixedProbability, Id, Probability, as_list, instants_to_offsets


class EvidenceSource(Sourced):
    """A sensor, investigation or witness: when it reports, to whom, and what it can report.

    The world draws one outcome from the true hypothesis's column of `outcomes`, so the same
    scenario with another truth shows its actors other evidence.
    """

    id: Id
    """Unique id; claims cite it, and its observation is the root `ev:ID` in every ledger."""
    title: str
    """One line for the feed."""
    text: str = ""
    """What the recipients learn, besides the outcome."""
    kind: Literal["sensor", "investigation", "witness"] = "sensor"
    """What kind of source it is, for people and reports."""
    at: Annotated[Distribution, BeforeValidator(instants_to_offsets)]
    """When its result becomes available, after the start."""
    probability: Probability = 1.0
    """Chance it reports at all (variants may set it to 0)."""
    to: Annotated[list[Id], BeforeValidator(as_list)] = Field(min_length=1)
    """Actors who receive its result directly."""
    origin: Id | None = None
    """The actor who runs it (the recipients' link to it, for the record)."""
    reliability: GradedReliability = 1.0
    """How well its report reflects what it observed, 0 to 1 or an Admiralty letter."""
    shareable: bool = True
    """Whether holders may pass it on; false keeps it within `to` (classified)."""
    outcomes: dict[Id, dict[Id, FixedProbability]] = Field(min_length=1)
    """P(outcome | hypothesis): each outcome with a probability per hypothesis; every
    hypothesis's column adds up to 1 over the outcomes."""
    pause: bool = False
    """Pause play for the facilitator when its result comes in."""
