"""Where the parts of a scenario use `$parameters`, and what kind of value each must hold."""

from __future__ import annotations

import functools
import typing
from collections.abc import Collection, Iterator
from typing import Any

from pydantic import BaseModel

from sim.scenario import values
from sim.scenario.diagnostics import Path

# The validators a field's annotation carries tell what kind of value a `$parameter` must hold.
_PARAM_KINDS = {
    values._duration: "duration",
    values._timepoint: "duration",
    values._probability: "probability",
    values._number: "count",
    values._real: "number",
}


def _param_kind(annotation: Any, metadata: Collection[Any] = ()) -> str | None:
    """The kind of `$parameter` a type accepts, from the validators it carries; None: no parameter."""
    for meta in (*metadata, *getattr(annotation, "__metadata__", ())):
        kind = _PARAM_KINDS.get(getattr(meta, "func", None))
        if kind:
            return kind
    for arg in typing.get_args(annotation):
        kind = _param_kind(arg)
        if kind:
            return kind
    return None


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


@functools.cache
def _param_fields(model: type[BaseModel]) -> tuple[tuple[str, str, str | None], ...]:
    """The fields of a model that may hold a `$parameter`, directly or in a nested model.

    Each is (attribute name, name in the file, kind of parameter it takes directly). Text fields
    are left out: `title: $5 reward` is words, not a reference. Computed once per model class,
    which keeps the walk fast on scenarios with thousands of parts.
    """
    out = []
    for name, info in model.model_fields.items():
        kind = _param_kind(info.annotation, info.metadata)
        if kind or any(_param_fields(m) for m in _models_in(info.annotation)):
            out.append((name, info.alias or name, kind))
    return tuple(out)


#: A `$parameter` found inside a part: its path, the reference, the kind of value it must hold.
ParamUse = tuple[Path, str, str | None]


def param_uses(model: Any, path: Path, found: list[ParamUse]) -> None:
    """Add every `$parameter` inside a model to `found` (a list, not a generator: it is hot)."""
    written = model.model_fields_set  # defaults hold no parameters: skip them
    for name, key, kind in _param_fields(type(model)):
        if name in written:
            value = getattr(model, name)
            if value is not None:
                _walk_value(value, (*path, key), kind, found)


def _walk_value(value: Any, path: Path, kind: str | None, found: list[ParamUse]) -> None:
    if type(value) is str:
        if value.startswith("$"):
            found.append((path, value, kind))
    elif isinstance(value, BaseModel):
        param_uses(value, path, found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk_value(item, (*path, i), kind, found)
    elif isinstance(value, dict):
        for k, item in value.items():
            _walk_value(item, (*path, k), kind, found)
