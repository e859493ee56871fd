"""Properties of the belief ledger and of learning trust, over generated cases (hypothesis)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from sim.engine import trust
from sim.engine.ledger import Basis, Ledger, contribution

HYPOTHESES = ("red", "blue", "green")

probabilities = st.floats(min_value=0.01, max_value=0.99)
likelihoods = st.tuples(probabilities, probabilities, probabilities)
names = st.sampled_from(["a", "b", "c", "d", "e"])


@st.composite
def priors(draw: st.DrawFn) -> tuple[float, ...]:
    raw = draw(likelihoods)
    return tuple(p / sum(raw) for p in raw)


@st.composite
def bases(draw: st.DrawFn) -> Basis:
    root = draw(st.sampled_from(["ev:radar", "ev:debris", "op:ap", "op:kyiv", "op:moscow"]))
    return Basis(root=root, likelihood=draw(likelihoods), reliability=draw(probabilities),
                 chain=tuple(draw(st.lists(names, max_size=3))),
                 version=draw(st.sampled_from([0.0, 10.0, 20.0])))


def trust_in(source: str) -> float:
    return {"a": 0.9, "b": 0.7, "c": 0.5, "d": 0.3, "e": 0.1}[source]


def reliability(basis: Basis) -> float:
    r = basis.reliability
    for link in basis.chain:
        r *= trust_in(link)
    return r


def belief_of(prior: tuple[float, ...], offers: list[Basis]) -> dict[str, float]:
    ledger = Ledger(HYPOTHESES, prior)
    for basis in offers:
        ledger.offer(basis, reliability)
    return ledger.belief()


@given(priors(), bases(), st.lists(names, min_size=1, max_size=5))
def test_relaying_a_basis_through_k_actors_moves_a_belief_as_receiving_it_once(
        prior: tuple[float, ...], basis: Basis, relays: list[str]) -> None:
    once = belief_of(prior, [basis])
    relayed = [basis]
    for who in relays:
        relayed.append(relayed[-1].relayed_by(who))
    # every relay comes after the original, and in any order before it
    for offers in (relayed, relayed[::-1]):
        again = belief_of(prior, offers)
        assert all(math.isclose(again[h], once[h], abs_tol=1e-12) for h in HYPOTHESES)


@given(priors(), st.lists(bases(), max_size=8), st.randoms(use_true_random=False))
def test_any_order_of_the_same_bases_gives_the_same_belief(
        prior: tuple[float, ...], offers: list[Basis], rng: object) -> None:
    shuffled = list(offers)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    first, second = belief_of(prior, offers), belief_of(prior, shuffled)
    assert all(math.isclose(first[h], second[h], abs_tol=1e-9) for h in HYPOTHESES)


@given(priors(), st.lists(bases(), max_size=8))
def test_beliefs_stay_probability_distributions(prior: tuple[float, ...], offers: list[Basis]) -> None:
    belief = belief_of(prior, offers)
    assert all(0.0 <= p <= 1.0 for p in belief.values())
    assert math.isclose(sum(belief.values()), 1.0, abs_tol=1e-9)


@given(priors(), likelihoods)
def test_a_basis_through_a_chain_of_zero_reliability_changes_nothing(
        prior: tuple[float, ...], likelihood: tuple[float, ...]) -> None:
    ledger = Ledger(HYPOTHESES, prior)
    ledger.offer(Basis(root="op:x", likelihood=likelihood), lambda _b: 0.0)
    belief = ledger.belief()
    assert all(math.isclose(belief[h], p, abs_tol=1e-9) for h, p in zip(HYPOTHESES, prior, strict=True))


@given(likelihoods, probabilities, probabilities)
def test_a_less_reliable_chain_passes_a_weaker_ratio(likelihood: tuple[float, ...], r1: float,
                                                      r2: float) -> None:
    low, high = sorted((r1, r2))
    spread = [max(c) - min(c) for c in (contribution(likelihood, low, 1.0),
                                         contribution(likelihood, high, 1.0))]
    assert spread[0] <= spread[1] + 1e-12


@given(st.one_of(probabilities, st.sampled_from("ABCDEF")),
       st.lists(st.tuples(probabilities, probabilities), max_size=20))
def test_trust_stays_between_0_and_1(prior: float | str, judged: list[tuple[float, float]]) -> None:
    ab = trust.beta_prior(prior)
    for confidence, p in judged:
        ab = trust.learn(ab, confidence, p)
        assert 0.0 <= trust.mean(ab) <= 1.0


def test_trust_moves_toward_the_track_record() -> None:
    ab = trust.beta_prior(0.7)  # Beta(7, 3)
    assert trust.mean(trust.learn(ab, 0.8, 0.0)) == 7 / 10.8  # a miss at 0.8
    assert trust.mean(trust.learn(ab, 0.8, 1.0)) == 7.8 / 10.8  # a hit
    assert trust.mean(trust.beta_prior("B")) == 0.8
