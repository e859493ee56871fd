"""The what-if run form: which change (a parameter's new value, or a variant) and how many runs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.widget import Widget
from textual.widgets import Input, Select, Static

from sim.engine.params import ParameterError, resolve_params
from sim.scenario.models import Scenario
from sim.whatif.plan import show_param
from tui.screens.dialog import Dialog, FormError

#: Replications per arm offered by default.
DEFAULT_REPS = 200
#: The most replications per arm the form accepts.
MAX_REPS = 100_000
#: Prefixes of the change list's values: a parameter, or a whole variant.
PARAM, VARIANT = "param:", "variant:"


@dataclass(frozen=True)
class WhatIfRequest:
    """A what-if run the facilitator asked for."""

    change: dict[str, Any]
    """Parameter values from the fork on, as written (e.g. {"cgs_answer": "0.9"})."""
    label: str
    """The change in words, e.g. `cgs_answer = 0.9` or `variant line-works`."""
    reps: int
    """Replications per arm."""


class WhatIfDialog(Dialog[WhatIfRequest]):
    """Choose a change to the rest of the exercise and how many futures to run."""

    TITLE = "What-if runs from here"

    DEFAULT_CSS = """
    WhatIfDialog #change-about { height: auto; }
    WhatIfDialog #change-note { height: auto; }
    WhatIfDialog .-variant #value, WhatIfDialog .-variant #value-label { display: none; }
    """

    def __init__(self, scenario: Scenario, variant: str | None, overrides: dict[str, Any]) -> None:
        super().__init__()
        self.scenario = scenario
        """The scenario played."""
        self.variant = variant
        """The session's variant."""
        self.overrides = dict(overrides)
        """The session's parameter overrides."""
        self.current = resolve_params(scenario, variant, overrides)
        """Every parameter's value in the session now."""

    def fields(self) -> Iterable[Widget]:
        """The change, its new value, what it is, the number of runs."""
        s = self.scenario
        options = [(f"{name} = {show_param(p, self.current[name])}", PARAM + name)
                   for name, p in s.parameters.items()]
        options += [(f"variant {name}", VARIANT + name) for name in s.variants
                    if name != (self.variant or s.default_variant)]
        yield self.label("Change")
        yield Select(options, value=options[0][1] if options else Select.NULL, id="what",
                     compact=True, allow_blank=not options)
        yield self.label("")  # in the value column: a spanning cell would get a wrong height
        yield Static("", id="change-about", classes="hint")
        label = self.label("New value")
        label.id = "value-label"
        yield label
        yield Input(id="value", placeholder="e.g. 0.9, 20m, 3", compact=True)
        yield self.label("Runs")
        yield Input(str(DEFAULT_REPS), id="reps", type="integer", compact=True,
                    placeholder=f"futures per arm, 1 to {MAX_REPS}")
        yield self.label("")
        yield Static("Each run plays the rest as played and with the change, on the same seed. "
                     "The exercise itself is not changed.", classes="hint", id="change-note")

    def on_mount(self) -> None:
        """Describe the first choice."""
        self._describe()

    def on_select_changed(self, event: Select.Changed) -> None:
        """Describe the chosen parameter or variant."""
        event.stop()
        self._describe()

    def _describe(self) -> None:
        what = self.query_one("#what", Select).value
        value = self.query_one("#value", Input)
        about = ""
        if isinstance(what, str) and what.startswith(PARAM):
            name = what.removeprefix(PARAM)
            p = self.scenario.parameters[name]
            bounds = (f"range {p.range[0]}–{p.range[1]}" if p.range else
                      f"one of {', '.join(map(str, p.choices))}" if p.choices else "")
            facts = ", ".join(x for x in (f"now {show_param(p, self.current[name])}", bounds,
                                          p.unit) if x)
            about = f"{p.description} ({p.type}: {facts})"
            value.disabled = False
        elif isinstance(what, str):  # a variant sets its own values: there is none to type
            variant = self.scenario.variants[what.removeprefix(VARIANT)]
            sets = ", ".join(f"{k} = {v}" for k, v in variant.set.items())
            about = variant.description.strip() + (f" (sets {sets})" if sets else "")
            value.disabled = True
        self.query_one("#fields").set_class(isinstance(what, str) and what.startswith(VARIANT),
                                            "-variant")
        self.query_one("#change-about", Static).update(about)

    def value(self) -> WhatIfRequest:
        """The change and the number of runs.

        Raises:
            FormError: no change, a value that does not fit the parameter, or a bad count.
        """
        what = str(self.chosen("#what", "a parameter or a variant"))
        if what.startswith(PARAM):
            change, label = self._parameter(what.removeprefix(PARAM))
        else:
            change, label = self._variant(what.removeprefix(VARIANT))
        return WhatIfRequest(change, label, _reps(self.query_one("#reps", Input).value))

    def _parameter(self, name: str) -> tuple[dict[str, Any], str]:
        raw = self.query_one("#value", Input).value.strip()
        if not raw:
            raise FormError(f"type the new value of {name}")
        try:
            self.scenario.parameters[name].value(raw)
        except ValueError as exc:
            raise FormError(f"{name}: {exc}") from None
        return {name: raw}, f"{name} = {raw}"

    def _variant(self, name: str) -> tuple[dict[str, Any], str]:
        """The parameters the variant sets differently from the session now, as written."""
        try:
            target = resolve_params(self.scenario, name, self.overrides)
        except ParameterError as exc:
            raise FormError(str(exc)) from None
        variant = self.scenario.variants[name]
        change = {k: variant.set.get(k, self.scenario.parameters[k].default)
                  for k, v in target.items() if v != self.current[k]}
        if not change:
            raise FormError(f"variant {name} sets nothing differently from the exercise now")
        return change, f"variant {name}"


def _reps(text: str) -> int:
    try:
        reps = int(text.strip())
    except ValueError:
        raise FormError(f"runs: {text!r} is not a whole number") from None
    if not 1 <= reps <= MAX_REPS:
        raise FormError(f"runs: expected 1 to {MAX_REPS}")
    return reps
