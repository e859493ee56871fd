"""Parameter values for one run: defaults, then the variant, then `--set` overrides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.scenario.diagnostics import expected_one_of, suggest
from sim.scenario.models import Scenario
from sim.scenario.values import is_param

#: The key under which a variant's ground truth travels with a run's values: the index of the
#: true hypothesis. No parameter can have this name (`@` is not allowed in one).
TRUTH = "@truth"


def truth_of(scenario: Scenario, params: Mapping[str, float], question: Any = None) -> str:
    """The ground truth of a run for a question (default: the key one): its variant's, or the file's."""
    question = question or scenario.question
    key = TRUTH if question is scenario.question else f"{TRUTH}:{question.id}"
    if key in params:
        return question.hypotheses[int(params[key])].id
    return question.truth


class ParameterError(ValueError):
    """An unknown variant or parameter, or a value that does not fit; the message says why."""


def resolve_params(scenario: Scenario, variant: str | None = None,
                   overrides: Mapping[str, Any] | None = None) -> dict[str, float]:
    """The value of every parameter for a run.

    Raises:
        ParameterError: unknown variant or parameter, or a value out of its range.
    """
    values = {name: p.default_value for name, p in scenario.parameters.items()}
    name = variant if variant is not None else scenario.default_variant
    if name is not None:
        if name not in scenario.variants:
            raise ParameterError(f"unknown variant {name!r}{suggest(name, scenario.variants)}; "
                                 f"{expected_one_of(scenario.variants)}")
        chosen = scenario.variants[name]
        for key, raw in chosen.set.items():
            values[key] = scenario.parameters[key].value(raw)
        if chosen.truth is not None:  # carried with the values, so every run of the point sees it
            for question in (scenario.question, *scenario.questions):
                ids = [h.id for h in question.hypotheses]
                if chosen.truth in ids:
                    key = TRUTH if question is scenario.question else f"{TRUTH}:{question.id}"
                    values[key] = float(ids.index(chosen.truth))
    for key, raw in (overrides or {}).items():
        if key not in scenario.parameters:
            raise ParameterError(f"unknown parameter {key!r}{suggest(key, scenario.parameters)}; "
                                 f"{expected_one_of(scenario.parameters)}")
        try:
            values[key] = scenario.parameters[key].value(raw)
        except ValueError as exc:
            raise ParameterError(f"parameter {key}: {exc}") from None
    return values


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    """Read `name=value` pairs from the command line.

    Raises:
        ParameterError: a pair without `=`.
    """
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"--set {pair!r}: expected name=value")
        out[key.strip()] = value.strip()
    return out


class Values:
    """Reads numbers of the scenario, looking up `$parameters` in one run's values."""

    def __init__(self, params: Mapping[str, float]) -> None:
        self.params = params

    def __call__(self, value: Any) -> float:
        """A number, or the value of the `$parameter` it names."""
        if is_param(value):
            return self.params[value[1:]]
        return float(value)
