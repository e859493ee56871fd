"""Sweep files: a sweep written down in YAML, checked with the same FILE:LINE:COL errors as scenarios.

```yaml
reps: 200
seed: 7
variant: historical
set: {cgs_answer: 0.2}            # fixed for every point
grid:                             # crossed: 3 x 2 points
  cgs_answer: [0.1, 0.3, 0.5]
  line_setup: [10m, 1h]
sample:                           # random points, crossed with the grid
  points: 20
  parameters: {nato_delay: [1h, 6h], press_speed: null}   # null: the parameter's own range
```
See docs/whatif.md for every field.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.durations import DURATION_PATTERN, DurationError, parse_duration
from sim.scenario.diagnostics import (
    Diagnostic,
    Path,
    ScenarioError,
    dotted,
    expected_one_of,
    suggest,
)
from sim.scenario.loader import decode, describe
from sim.scenario.models import Scenario
from sim.scenario.yamlnodes import Document, Limits, YamlSyntaxError, read_document
from sim.userfile import UserFileError, read_user_file
from sim.whatif.plan import SweepSpec

SCHEMA_ID = "https://hotline.invalid/sweep/v1/hotline-sweep.schema.json"

#: Largest sweep file read.
MAX_BYTES = 1024 * 1024


class SweepFileError(ScenarioError):
    """A sweep file that cannot be used; every problem is in `diagnostics`, in file order."""


class SampleSection(BaseModel):
    """Random points: how many, and which parameters in which intervals."""

    model_config = ConfigDict(extra="forbid", strict=True, use_attribute_docstrings=True)
    points: int = Field(ge=1, le=100_000)
    """How many random points."""
    parameters: Any = Field(json_schema_extra={"anyOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "object", "additionalProperties": {
            "anyOf": [{"type": "array", "minItems": 2, "maxItems": 2}, {"type": "null"}]}},
    ]})
    """Names, or name → [low, high] (or null for the parameter's own range)."""


class SweepFile(BaseModel):
    """The fields of a sweep file."""

    model_config = ConfigDict(extra="forbid", strict=True, use_attribute_docstrings=True)
    title: str = ""
    """What the sweep asks, for people."""
    description: str = ""
    """More words."""
    reps: int = Field(default=100, ge=1)
    """Replications per point."""
    seed: int = 0
    """Base seed."""
    variant: str | None = None
    """Variant the points start from."""
    set: dict[str, Any] = {}
    """Parameter values fixed for every point."""
    grid: dict[str, list[Any]] = {}
    """Parameter → values, crossed with each other."""
    sample: SampleSection | None = None
    """Random points, crossed with the grid."""
    common_seeds: bool = True
    """Every point runs on the same seeds (the default); false: each point its own."""
    until: str | None = Field(default=None, json_schema_extra={"pattern": DURATION_PATTERN})
    """Stop each run after this much scenario time, e.g. 12h."""


def sweep_schema_text() -> str:
    """The JSON Schema of a sweep file, as committed in `scenarios/hotline-sweep.schema.json`."""
    from sim.scenario.schema import as_text, document_schema

    return as_text(document_schema(SweepFile, "Hotline sweep", SCHEMA_ID))


def load_sweep_file(path: str | FilePath, scenario: Scenario) -> SweepSpec:
    """Read and check a sweep file against the scenario it sweeps.

    Raises:
        SweepFileError: the file is missing, not YAML, has unknown or mistyped fields, or names
            parameters, variants or values the scenario does not have; each problem with its
            file, line and column.
    """
    name = str(path)
    try:
        raw = read_user_file(path, MAX_BYTES)
    except UserFileError as exc:
        message = {"missing": "no such file; expected the path of a sweep .yaml file",
                   "directory": "is a directory; expected a sweep .yaml file"}.get(exc.kind, str(exc))
        raise _fail(name, message) from None
    try:
        text = decode(raw, name)
    except ScenarioError as exc:
        raise SweepFileError(exc.diagnostics) from None
    return parse_sweep_text(text, scenario, name)


def parse_sweep_text(text: str, scenario: Scenario, name: str = "<sweep>") -> SweepSpec:
    """Check sweep YAML given as text; `name` is used in messages.

    Raises:
        SweepFileError: with every problem found.
    """
    try:
        doc = read_document(text, Limits(max_bytes=MAX_BYTES, max_depth=16, max_alias_nodes=10_000))
    except YamlSyntaxError as exc:
        raise SweepFileError([Diagnostic(exc.line, exc.column, name, dotted(exc.path),
                                         exc.message)]) from None
    problems = [Diagnostic(p.line, p.column, name, dotted(p.path), p.message) for p in doc.problems]
    if not isinstance(doc.data, dict):
        got = "an empty file" if doc.data is None else describe(doc.data)
        raise SweepFileError([*problems, Diagnostic(*doc.position(()), name, "",
                              f"expected a mapping of sweep fields (reps, grid, sample, ...); "
                              f"got {got}")])
    try:
        model = SweepFile.model_validate(doc.data)
    except ValidationError as exc:
        problems += [_diagnostic(err, doc, name) for err in exc.errors(include_url=False)]
        raise SweepFileError(sorted(set(problems))) from None
    checker = _Checker(scenario, doc, name)
    spec = checker.check(model)
    problems += checker.problems
    if problems:
        raise SweepFileError(sorted(set(problems)))
    return spec


def _fail(name: str, message: str) -> SweepFileError:
    return SweepFileError([Diagnostic(0, 0, name, "", message)])


class _Checker:
    """Checks a well-formed sweep file against the scenario, noting each problem's position."""

    def __init__(self, scenario: Scenario, doc: Document, name: str) -> None:
        self.scenario, self.doc, self.name = scenario, doc, name
        self.problems: list[Diagnostic] = []

    def problem(self, path: Path, message: str, *, key: bool = False) -> None:
        self.problems.append(Diagnostic(*self.doc.position(path, key=key), self.name, dotted(path),
                                        message))

    def known(self, path: Path) -> bool:
        """Whether the parameter named by the last part of `path` exists; if not, say so."""
        param = path[-1]
        params = self.scenario.parameters
        if param in params:
            return True
        self.problem(path, f"unknown parameter {param!r}{suggest(str(param), params)}; "
                     f"{expected_one_of(params)}", key=True)
        return False

    def fits(self, path: Path, param: str, raw: Any) -> bool:
        try:
            self.scenario.parameters[param].value(raw)
        except ValueError as exc:
            self.problem(path, str(exc))
            return False
        return True

    def check(self, model: SweepFile) -> SweepSpec:
        scenario = self.scenario
        if model.variant is not None and model.variant not in scenario.variants:
            self.problem(("variant",), f"unknown variant {model.variant!r}"
                         f"{suggest(model.variant, scenario.variants)}; "
                         f"{expected_one_of(scenario.variants)}")
        for param, raw in model.set.items():
            if self.known(("set", param)):
                self.fits(("set", param), param, raw)
        seen = set(model.set)
        for param, values in model.grid.items():
            path: Path = ("grid", param)
            if not self.known(path):
                continue
            if param in seen:
                self.problem(path, f"parameter {param} is already fixed under 'set'; "
                             "expected it fixed or swept, not both", key=True)
            seen.add(param)
            if not values:
                self.problem(path, "expected at least one value")
            for i, raw in enumerate(values):
                self.fits((*path, i), param, raw)
        sample = self.sample(model, seen)
        until = None
        if model.until is not None:
            try:
                until = parse_duration(model.until)
            except DurationError as exc:
                self.problem(("until",), str(exc))
        return SweepSpec(grid={k: list(v) for k, v in model.grid.items()}, sample=sample,
                         points=model.sample.points if model.sample else 10, reps=model.reps,
                         seed=model.seed, variant=model.variant, overrides=dict(model.set),
                         common_seeds=model.common_seeds, until=until)

    def sample(self, model: SweepFile, seen: set[str]) -> dict[str, tuple[Any, Any] | None]:
        if model.sample is None:
            return {}
        given = model.sample.parameters
        base: Path = ("sample", "parameters")
        if isinstance(given, list):
            entries = []
            for i, item in enumerate(given):
                if isinstance(item, str):
                    entries.append(((*base, i), item, None))
                else:
                    self.problem((*base, i), f"expected a parameter name; got {describe(item)}")
        elif isinstance(given, dict):
            entries = [((*base, k), k, v) for k, v in given.items()]
        else:
            self.problem(base, "expected a list of parameter names, or a mapping of names to "
                         f"[low, high] or null; got {describe(given)}")
            return {}
        if not entries and not self.problems:
            self.problem(base, "expected at least one parameter to sample")
        out: dict[str, tuple[Any, Any] | None] = {}
        for path, param, interval in entries:
            as_key = isinstance(path[-1], str)
            if param not in self.scenario.parameters:
                self.problem(path, f"unknown parameter {param!r}"
                             f"{suggest(param, self.scenario.parameters)}; "
                             f"{expected_one_of(self.scenario.parameters)}", key=as_key)
                continue
            if param in seen:
                self.problem(path, f"parameter {param} is already fixed or on the grid; expected "
                             "each parameter in one place", key=as_key)
                continue
            seen.add(param)
            spec = self.scenario.parameters[param]
            if interval is None:
                if not spec.range and not spec.choices and spec.type != "probability":
                    self.problem(path, f"parameter {param} has no range to sample from; "
                                 "expected [low, high]", key=as_key)
                out[param] = None
                continue
            if not isinstance(interval, list) or len(interval) != 2:
                self.problem(path, f"expected [low, high] or null; got {describe(interval)}")
                continue
            fitting = [self.fits((*path, i), param, v) for i, v in enumerate(interval)]  # each end
            ok = all(fitting)
            if ok and spec.value(interval[1]) < spec.value(interval[0]):
                self.problem(path, f"the low end {interval[0]} is above the high end {interval[1]}")
            out[param] = (interval[0], interval[1])
        return out


def _clean_loc(loc: tuple[Any, ...], data: Any) -> Path:
    """The parts of a pydantic location that are in the data (drops union member names)."""
    path: list[Any] = []
    node = data
    for i, part in enumerate(loc):
        in_dict = isinstance(node, dict) and part in node
        if in_dict or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            path.append(part)
            node = node[part]
        elif i == len(loc) - 1 and isinstance(node, dict) and isinstance(part, str):
            path.append(part)
            node = None
    return tuple(path)


_FIELDS = {"": SweepFile, "sample": SampleSection}


def _diagnostic(err: dict[str, Any], doc: Document, name: str) -> Diagnostic:
    """A pydantic error as a person reads it, at its place in the file."""
    kind = err["type"]
    path = _clean_loc(err["loc"], doc.data)
    value = err.get("input")
    ctx = err.get("ctx") or {}
    key = False
    if kind == "missing":
        message = f"missing required field {path[-1]!r}"
        path = path[:-1]
    elif kind == "extra_forbidden":
        model = _FIELDS.get(dotted(path[:-1]) if path[:-1] else "", SweepFile)
        allowed = list(model.model_fields)
        message = (f"unknown field {path[-1]!r}{suggest(str(path[-1]), allowed)}; "
                   f"{expected_one_of(allowed)}")
        key = True
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"expected a whole number; got {describe(value)}"
    elif kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        word = "at least" if kind == "greater_than_equal" else "at most"
        message = f"expected a number {word} {bound}; got {describe(value)}"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"expected a mapping; got {describe(value)}"
    elif kind == "list_type":
        message = f"expected a list of values; got {describe(value)}"
    elif kind == "string_type":
        message = f"expected text; got {describe(value)}"
    elif kind == "bool_type":
        message = f"expected true or false; got {describe(value)}"
    else:
        message = err["msg"]
    return Diagnostic(*doc.position(path, key=key), name, dotted(path), message)
