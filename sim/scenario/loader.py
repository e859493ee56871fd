"""Load a scenario file: read it safely, validate it, and say exactly what is wrong where."""

from __future__ import annotations

import contextlib
import gc
import heapq
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sim.scenario.diagnostics import (
    Diagnostic,
    Path,
    ScenarioError,
    dotted,
    expected_one_of,
    suggest,
)
from sim.scenario.models import Scenario
from sim.scenario.references import Parts, check_references
from sim.scenario.retired import retired_settings, warn_retired
from sim.scenario.values import ID_PATTERN, shown
from sim.scenario.yamlnodes import Document, Limits, YamlSyntaxError, read_document
from sim.userfile import UserFileError, read_user_file

_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class LoadLimits(Limits):
    """Bounds on reading, and on how many problems one report lists."""

    max_errors: int = 50
    """Most diagnostics reported; the rest are counted."""
    more_values: str = "; raise the limit with --max-values if the file is trusted"


def load_scenario(path: str | FilePath, limits: LoadLimits | None = None, *,
                  warnings: list[Diagnostic] | None = None) -> Scenario:
    """Load and validate a scenario file.

    Args:
        path: the scenario file.
        limits: bounds on reading; default `LoadLimits()`.
        warnings: if given, receives warnings about a valid scenario (zero-delay rule cycles).

    Raises:
        ScenarioError: the file is missing, unreadable, not text, not YAML, or not a valid
            scenario; every problem is in its `diagnostics`.
    """
    limits = limits or LoadLimits()
    name = str(path)
    return load_scenario_text(read_scenario_text(path, limits), name, limits, warnings=warnings)


#: How the loader words each way a scenario file cannot be read (`sim.userfile` kinds).
_UNREADABLE = {
    "missing": "no such file; expected the path of a scenario .yaml file",
    "directory": "is a directory; expected a scenario .yaml file",
    "special": "is not a regular file (a device, a FIFO or a socket); expected a scenario "
               ".yaml file",
}


def read_scenario_text(path: str | FilePath, limits: LoadLimits | None = None) -> str:
    """The text of a scenario file, read safely (a regular file, within the size limit).

    Raises:
        ScenarioError: the file is missing, not a regular file, unreadable, too big or not
            UTF-8 text.
    """
    limits = limits or LoadLimits()
    name = str(path)
    try:
        raw = read_user_file(path, limits.max_bytes)
    except UserFileError as exc:
        message = _UNREADABLE.get(exc.kind, str(exc))
        if exc.kind == "too_big":
            message += "; raise the limit with --max-bytes if the file is trusted"
        raise ScenarioError([Diagnostic(0, 0, name, "", message)]) from None
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    """The text of a file, or a clear error, at the first bad byte, where it is not UTF-8 text."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # a byte order mark of UTF-16 (or UTF-32)
        raise ScenarioError([Diagnostic(1, 1, name, "", "is UTF-16 text; expected UTF-8 (save "
                                        "the file as UTF-8)")])
    nul = raw.find(b"\0")
    if nul >= 0:
        raise ScenarioError([Diagnostic(*_byte_position(raw, nul), name, "",
                                        "is not a text file (it holds NUL bytes); "
                                        "expected a UTF-8 YAML scenario")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Diagnostic(*_byte_position(raw, exc.start), name, "",
                                        f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                                        f"{exc.start}); expected a UTF-8 YAML scenario")]) from None


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (counted in bytes) of a byte offset."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


def load_scenario_text(text: str, name: str = "<text>", limits: LoadLimits | None = None, *,
                       warnings: list[Diagnostic] | None = None) -> Scenario:
    """Validate scenario YAML given as text; `name` is used in messages.

    Raises:
        ScenarioError: with every problem found, in file order.
    """
    limits = limits or LoadLimits()
    if len(text.encode()) > limits.max_bytes:
        raise ScenarioError([Diagnostic(0, 0, name, "", f"text is over the limit of "
                                        f"{limits.max_bytes} bytes")])
    with _collector_paused():
        return _load(text, name, limits, warnings)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a scenario is built.

    Reading a large file makes hundreds of thousands of dicts, lists and models, none in a
    cycle; each allocation burst would otherwise trigger collections that scan everything built
    so far. Reference counting still frees what is dropped.

    What was built lives as long as the scenario, so it goes straight to the oldest generation
    (`gc.freeze` then `gc.unfreeze`, each a constant-time move): left young, the first
    collection after loading walked all of it (a quarter of a second at K = 100 copies), and
    the next older one again. A process that froze objects of its own keeps them frozen.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def _load(text: str, name: str, limits: LoadLimits, warnings: list[Diagnostic] | None) -> Scenario:
    try:
        doc = read_document(text, limits)
    except YamlSyntaxError as exc:
        raise ScenarioError([
            *(Diagnostic(p.line, p.column, name, dotted(p.path), p.message) for p in exc.earlier),
            Diagnostic(exc.line, exc.column, name, dotted(exc.path), exc.message),
        ]) from None
    diagnostics = [Diagnostic(p.line, p.column, name, dotted(p.path), p.message) for p in doc.problems]
    data = doc.data
    if not isinstance(data, dict):
        got = "an empty file" if data is None else describe(data)
        raise ScenarioError([*diagnostics, Diagnostic(*doc.position(()), name, "",
                            f"expected a mapping of scenario fields (hotline: 1, id: ..., title: ...); "
                            f"got {got}")])
    context = {"start": _start(data)}
    data, unseen = _without_extra_unknown_keys(data, limits.max_errors)
    raw = data
    data, item_errors, uncounted = _items_validated(raw, context, 2 * limits.max_errors + 10)
    # the sections whose items failed: their items' errors say it (if too few valid items are
    # left, that is no news); past the cap, which sections failed is not known
    broken = set(_SECTIONS) if uncounted else {e["loc"][0] for e in item_errors}
    shown, rest = _first_errors(item_errors, doc, name, limits.max_errors)
    diagnostics += shown
    unseen += rest + uncounted
    errors: list[dict[str, Any]] = []
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data, context=context)
    except ValidationError as exc:
        errors = [e for e in exc.errors(include_url=False)
                  if not (e["loc"] and e["loc"][0] in broken)]
        shown, rest = _first_errors(errors, doc, name, limits.max_errors)
        diagnostics += shown
        unseen += rest
    if scenario is not None and not item_errors:
        parts = _parts_of(scenario)
    elif len(errors) + len(item_errors) + unseen > 10 * limits.max_errors:
        parts = Parts()  # far from valid: checking references among the valid parts is waste
    else:
        parts = _salvage(raw, context)
    for finding in check_references(parts):
        diagnostics.append(Diagnostic(*doc.position(finding.path, key=finding.key), name,
                                      dotted(doc.written(finding.path)), finding.message))
    if diagnostics:
        unique = sorted(set(diagnostics))
        shown = unique[: limits.max_errors]
        raise ScenarioError(shown, truncated=len(unique) - len(shown) + unseen)
    assert scenario is not None  # noqa: S101 - no diagnostics means validation passed
    if warnings is not None:
        warnings += _loop_warnings(scenario, doc, name)
    warn_retired(retired_settings(raw, doc, name))
    return scenario


def _without_extra_unknown_keys(data: dict[str, Any], cap: int) -> tuple[dict[str, Any], int]:
    """The data without the top-level unknown keys past the first `cap`, and how many went.

    Those past the cap are never shown, and a file of a million of them took minutes and
    gigabytes to validate; the first ones stay for pydantic to report in the usual words.
    """
    fields = Scenario.model_fields
    known = {f.alias or n for n, f in fields.items()}
    unknown = [k for k in data if k not in known]
    if len(unknown) <= cap:
        return data, 0
    dropped = set(unknown[cap:])
    return {k: v for k, v in data.items() if k not in dropped}, len(dropped)


def _items_validated(data: dict[str, Any], context: dict[str, Any],
                     wanted: int) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    """The data with each list section's items validated as models, and the items' errors.

    Items are validated a chunk at a time, so that a file of a million broken items does not
    make millions of errors at once: the first `wanted` errors are kept and the others only
    counted. The items of a chunk that failed are left out of the data returned; their section
    is reported by their errors, and the whole-scenario validation that follows takes the valid
    models as they are.

    Returns:
        The data, the errors kept (with their full location) and how many more there were.
    """
    out = dict(data)
    kept_errors: list[dict[str, Any]] = []
    more = 0
    for section in _SECTIONS:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        adapter = _item_adapter(section)
        valid: list[Any] = []
        for first in range(0, len(items), _CHUNK):
            try:
                valid += adapter.validate_python(items[first:first + _CHUNK], context=context)
            except ValidationError as exc:
                if len(kept_errors) < wanted:
                    kept_errors += [{**e, "loc": (section, first + e["loc"][0], *e["loc"][1:])}
                                    for e in exc.errors(include_url=False)]
                else:
                    more += exc.error_count()
        out[section] = valid
    return out, kept_errors, more


#: Items validated in one call: few enough that their errors stay small, enough to be fast.
_CHUNK = 1000

#: A validator of a list of items per list section, built on first use (building is costly).
_ITEM_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _item_adapter(section: str) -> TypeAdapter[Any]:
    adapter = _ITEM_ADAPTERS.get(section)
    if adapter is None:
        item = typing.get_args(Scenario.model_fields[section].annotation)[0]
        adapter = _ITEM_ADAPTERS[section] = TypeAdapter(list[item])  # type: ignore[valid-type]
    return adapter


def _first_errors(errors: list[dict[str, Any]], doc: Document, name: str,
                  cap: int) -> tuple[list[Diagnostic], int]:
    """Diagnostics of the errors that come first in the file, and how many others there are.

    Only those that can be shown are worded (a "did you mean" is costly): the errors are
    ranked by where they are, cheaply, and a margin above the cap is worded, because the
    place a message names can differ a little from the one ranked.
    """
    wanted = 2 * cap + 10
    if len(errors) <= wanted:
        return [_diagnostic(err, doc, name) for err in errors], 0

    def place(i: int) -> tuple[int, int]:  # the nearest written ancestor: close enough to rank
        return doc.position(errors[i]["loc"])

    first = heapq.nsmallest(wanted, range(len(errors)), key=place)
    return [_diagnostic(errors[i], doc, name) for i in sorted(first)], len(errors) - len(first)


def _loop_warnings(scenario: Scenario, doc: Document, name: str) -> list[Diagnostic]:
    """A warning at the first rule of each zero-delay cycle of repeating rules."""
    from sim.scenario.loops import zero_delay_cycles

    where = {rule.id: i for i, rule in enumerate(scenario.rules)}
    out = []
    for cycle in zero_delay_cycles(scenario):
        path = ("rules", where[cycle[0]])
        chain = " → ".join(repr(r) for r in cycle)
        out.append(Diagnostic(*doc.position(path), name, dotted(path),
                              f"rules {chain} can set each other off for ever with no time "
                              "passing (repeat: true, no delay, no latency); a run stops "
                              "there. Give one of them a delay, or drop its `repeat: true`",
                              "warning"))
    return out


def _start(data: dict[str, Any]) -> datetime | None:
    try:
        start = datetime.fromisoformat(str(data.get("start", "")).replace("Z", "+00:00"))
    except ValueError:
        return None
    return start if start.tzinfo else None


_SECTIONS = ("questions", "actors", "channels", "observation", "evidence", "injects", "rules", "metrics",
             "objectives", "sources", "ladder", "pause_on", "discussion")


def _parts_of(scenario: Scenario) -> Parts:
    return Parts(**{s: getattr(scenario, s) for s in _SECTIONS}, question=scenario.question,
                 parameters=scenario.parameters, variants=scenario.variants,
                 default_variant=scenario.default_variant, sourcing=scenario.sourcing,
                 source=scenario.source)


def _salvage(data: dict[str, Any], context: dict[str, Any]) -> Parts:
    """Validate each item on its own, so references are checked among those that passed."""
    parts = Parts()
    fields = Scenario.model_fields
    for section in _SECTIONS:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        item_type = typing.get_args(fields[section].annotation)[0]
        adapter = TypeAdapter(item_type)
        kept, index = [], []
        for i, item in enumerate(items):
            try:
                kept.append(adapter.validate_python(item, context=context))
                index.append(i)
            except ValidationError:
                if isinstance(item, dict) and isinstance(item.get("id"), str) and _ID.match(item["id"]):
                    parts.raw_ids.setdefault(section, {})[item["id"]] = item.get("kind")
        setattr(parts, section, kept)
        parts.index[section] = index
    for section in ("question", "parameters", "variants", "default_variant", "sourcing", "source"):
        if section not in data:
            continue
        try:
            value = TypeAdapter(fields[section].annotation).validate_python(data[section], context=context)
        except ValidationError:
            if section in ("parameters", "variants") and isinstance(data[section], dict):
                value = _valid_entries(fields[section].annotation, data[section], context)
            else:
                continue
        setattr(parts, section, value)
    return parts


def _valid_entries(annotation: Any, mapping: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    adapter = TypeAdapter(typing.get_args(annotation)[1])
    out = {}
    for key, value in mapping.items():
        if not isinstance(key, str):  # `1:` or `null:`, already reported as a wrong key
            continue
        try:
            out[key] = adapter.validate_python(value, context=context)
        except ValidationError:
            continue
    return out


# -- pydantic errors as people read them ------------------------------------------------------


def describe(value: Any) -> str:
    """Say what kind of value a person wrote."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"the text {value!r}"


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[Path, Any]:
    """Keep the parts of a pydantic location that exist in the data (drops union member names)."""
    path: list[Any] = []
    node = data
    for i, written in enumerate(loc):
        part = written
        if isinstance(node, dict) and not _has(node, part):
            # pydantic writes a key such as `null:` or `1.5:` as text: find the key it was
            part = next((k for k in node if not isinstance(k, str) and str(k) == str(part)), part)
        if node is not None and _has(node, part):
            path.append(part)
            node = node[part]
        elif i == len(loc) - 1 and isinstance(node, dict) and isinstance(part, str):
            path.append(part)  # a missing or unknown field: keep it for the message
            node = None
        # otherwise a union member's name or a tag, which is not in the file: skip it
    return tuple(path), node


def _model_at(path: Path, data: Any) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path`."""
    annotation, node = _annotation_at(path, data)
    return _as_model(annotation, node)


def _annotation_at(path: Path, data: Any) -> tuple[Any, Any]:
    """The type that validates the value at `path`, and that value (None where it is missing)."""
    current: Any = Scenario
    node = data
    for part in path:
        model = _as_model(current, node)
        if model is not None:
            fields = {(f.alias or n): f for n, f in model.model_fields.items()}
            if part not in fields:
                return None, None
            current = fields[part].annotation
        else:
            current = _element(current, part)
            if current is None:
                return None, None
        node = node[part] if isinstance(node, dict | list) and _has(node, part) else None
    return current, node


def _kinds_at(path: Path, data: Any) -> list[str]:
    """The `kind` values a tagged union at `path` accepts, e.g. call, message, broadcast, meeting."""
    annotation, _ = _annotation_at(path, data)
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    kinds = []
    for member in typing.get_args(annotation):
        field = getattr(member, "model_fields", {}).get("kind")
        if field is not None:
            kinds += [str(k) for k in typing.get_args(field.annotation)]
    return kinds


def _plural(count: Any, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _literal(expected: str) -> str:
    """Pydantic's list of allowed literals, spelled as YAML spells them (`true`, not `True`)."""
    return re.sub(r"\b(True|False|None)\b",
                  lambda m: {"True": "true", "False": "false", "None": "null"}[m[0]], expected)


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _as_model(annotation: Any, node: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _as_model(typing.get_args(annotation)[0], node)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        models = [m for a in typing.get_args(annotation) if (m := _as_model(a, node))]
        if len(models) > 1 and isinstance(node, dict):  # a tagged union: pick by `kind`
            for m in models:
                kind = m.model_fields.get("kind")
                if kind and node.get("kind") in typing.get_args(kind.annotation):
                    return m
            return None
        return models[0] if len(models) == 1 else None
    return None


def _element(annotation: Any, part: Any) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _element(args[0], part)
    if origin is list and isinstance(part, int):
        return args[0]
    if origin is dict:
        return args[1]
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        for arg in args:
            found = _element(arg, part)
            if found is not None:
                return found
    return None


def _diagnostic(err: dict[str, Any], doc: Document, name: str) -> Diagnostic:
    kind = err["type"]
    loc = err["loc"]
    key = loc[-1:] == ("[key]",)  # the fault is a mapping's key, as in `response: {phone: 5m}`
    path, _ = _clean_loc(loc[:-1] if key else loc, doc.data)
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        field = path[-1] if path else "?"
        path = path[:-1]
        message = f"missing required field {field!r}"
    elif kind == "extra_forbidden":
        field = path[-1] if path else "?"
        model = _model_at(path[:-1], doc.data)
        allowed = [f.alias or n for n, f in model.model_fields.items()] if model else []
        message = f"unknown field {field!r}{suggest(str(field), allowed)}; {expected_one_of(allowed, 30)}"
        key = True
    elif kind == "union_tag_invalid":
        tags = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
        got = ctx.get("tag")
        message = f"unknown kind {got!r}{suggest(str(got), tags)}; expected one of: {', '.join(tags)}"
        path = (*path, "kind")
    elif kind == "union_tag_not_found":
        kinds = _kinds_at(path, doc.data)
        message = f"missing field 'kind'; expected one of: {', '.join(kinds)}"
    elif kind == "literal_error":
        expected = _literal(str(ctx.get("expected", "")))
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",")]
        if shown(value) in options or str(value) in options:  # the right word, the wrong type: "1"
            message = f"expected {expected}; got {describe(value)}"
        else:
            message = f"{shown(value)} is not allowed{suggest(str(value), options)}; expected {expected}"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"expected a mapping; got {describe(value)}"
    elif kind == "list_type":
        message = f"expected a list; got {describe(value)}"
    elif kind == "string_type" and key:  # `1:` or `null:` where a name is expected
        message = f"expected a name (text) as key; got {describe(value)}"
        return Diagnostic(*doc.position(path, key=True), name, dotted(path[:-1]), message)
    elif kind in ("string_type",):
        message = f"expected text; got {describe(value)}"
    elif kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        message = f"expected a whole number; got {describe(value)}"
    elif kind in ("float_type", "float_parsing"):
        message = f"expected a number; got {describe(value)}"
    elif kind in ("bool_type", "bool_parsing"):
        message = f"expected true or false; got {describe(value)}"
    elif kind == "too_short":
        wanted = _plural(ctx.get("min_length"), "item")
        message = f"expected at least {wanted}; got {ctx.get('actual_length')}"
    elif kind == "too_long":
        wanted = _plural(ctx.get("max_length"), "item")
        message = f"expected at most {wanted}; got {ctx.get('actual_length')}"
    elif kind in ("timezone_aware", "datetime_parsing", "datetime_type", "datetime_from_date_parsing"):
        message = f"{value!r} is not an instant with a time zone; expected e.g. 2022-11-15T14:30:00Z"
    elif kind == "value_error":
        message = err["msg"].removeprefix("Value error, ")
    elif err["msg"].startswith("Input should be "):  # a kind not worded above: keep the pattern
        message = f"expected {err['msg'].removeprefix('Input should be ')}; got {describe(value)}"
    else:
        message = err["msg"]
    return Diagnostic(*doc.position(path, key=key), name, dotted(path), message)
