"""Plain YAML to plain data, with the file position of every value and bounded work.

Built directly on the parser's event stream (libyaml's where present), without recursion,
so that duplicate keys, custom tags, alias bombs and deep nesting are caught as they stream
by, each at its own position, before anything large is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from sim.scenario.diagnostics import Path

try:  # libyaml's C parser is several times faster where it is installed
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_STANDARD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_STANDARD}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}
_ALLOWED_TAGS |= {"!", f"{_STANDARD}timestamp"}


@dataclass(frozen=True)
class Limits:
    """Bounds on the work hostile input can cause."""

    max_bytes: int = 16 * 1024 * 1024
    """Largest file read."""
    max_depth: int = 64
    """Deepest nesting of mappings and sequences."""
    max_alias_nodes: int = 100_000
    """Most nodes that aliases may expand to, in all."""
    max_keys: int = 10_000
    """Most keys in one mapping (a scenario's mappings hold tens; lists hold the many things)."""
    max_nodes: int = 700_000
    """Most values (scalars, mappings, lists), counted as parser events over two; it bounds the
    time and memory of a file. 100 copies of Poland hold 533,000 (639,000 with their notes), and
    load in about 3.5 s and 400 MB; the costliest hostile files found (lists nested 60 deep,
    actors missing fields) stop at this bound under 5 s and 500 MB (`bench_hostile.py`)."""
    more_values: str = ""
    """Said after the error when a file holds more values: how a trusted file gets past."""


class YamlSyntaxError(Exception):
    """A problem that stops reading the document; where it is, and what is wrong."""

    def __init__(self, line: int, column: int, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.line, self.column, self.message, self.path = line, column, message, path
        self.earlier: list[YamlSyntaxError] = []
        """Problems found before this one stopped reading (duplicate keys, tags)."""


@dataclass
class Document:
    """Plain data read from YAML, and where each part of it was in the file."""

    data: Any
    """Dicts, lists, strings, numbers, booleans and None."""
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, column) of each value, by path."""
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, column) of the key of each mapping entry, by the entry's path."""
    problems: list[YamlSyntaxError] = field(default_factory=list)
    """Problems that did not stop reading (duplicate keys, tags)."""

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Where a path is, or its nearest ancestor that is in the file."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if key and end == len(path) and prefix in self.key_marks:
                return self.key_marks[prefix]
            if prefix in self.marks:
                return self.marks[prefix]
        return (1, 1)

    def written(self, path: Path) -> Path:
        """The longest part of a path that is in the file, without parts the models add.

        `setup: 5m` is checked as `setup.fixed`, and `source: ap` as `source[0]`; messages name
        what the author wrote.
        """
        for end in range(len(path), 0, -1):
            if path[:end] in self.marks:
                return path[:end]
        return ()


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = ("anchor", "container", "is_map", "key", "key_mark", "keys", "path", "size")

    def __init__(self, container: Any, path: Path, anchor: str | None) -> None:
        self.container = container
        self.is_map = isinstance(container, dict)
        self.path = path
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (1, 1)
        self.keys: dict[Any, tuple[int, int]] = {}
        self.size = 1


_NO_KEY = object()
_constructor = yaml.constructor.SafeConstructor()
_STR, _TIMESTAMP = f"{_STANDARD}str", f"{_STANDARD}timestamp"
_NUMBERS = {f"{_STANDARD}int", f"{_STANDARD}float"}
_CONSTRUCT = {
    f"{_STANDARD}int": _constructor.construct_yaml_int,
    f"{_STANDARD}float": _constructor.construct_yaml_float,
    f"{_STANDARD}bool": _constructor.construct_yaml_bool,
    f"{_STANDARD}null": _constructor.construct_yaml_null,
}

# PyYAML's YAML 1.1 implicit resolvers (int, float, bool, null, timestamp, ...), looked up by a
# plain scalar's first character as `Resolver.resolve` does, without its per-call overhead.
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_WILDCARD = tuple(_RESOLVERS.get(None, ()))
_BY_FIRST = {first: (*found, *_WILDCARD) for first, found in _RESOLVERS.items() if first is not None}


def _implicit_tag(value: str) -> str:
    for tag, regexp in _BY_FIRST.get(value[:1], _WILDCARD):
        if regexp.match(value):
            return tag
    return _STR


def _tag_error(tag: str, mark: Any, path: Path) -> YamlSyntaxError:
    written = f"!!{tag[len(_STANDARD):]}" if tag.startswith(_STANDARD) else tag
    return YamlSyntaxError(*_pos(mark), f"tag {written!r} is not allowed; expected plain YAML "
                           "without tags", path)


def _scalar(event: yaml.ScalarEvent, path: Path) -> Any:
    tag, value = event.tag, event.value
    if tag is None or tag == "!":
        if event.style or not event.implicit[0]:  # quoted: a string
            return value
        tag = _implicit_tag(value)
        if tag is _STR or (tag in _NUMBERS and ":" in value):
            # YAML 1.1 reads 17:00 as the base-60 number 1020; YAML 1.2 and people read a time
            return value
    elif tag not in _ALLOWED_TAGS:
        raise _tag_error(tag, event.start_mark, path)
    if tag in (_STR, _TIMESTAMP):
        return value  # instants stay text; the models read them with their zone
    try:
        return _CONSTRUCT[tag](yaml.ScalarNode(tag, value, event.start_mark, event.end_mark))
    except (ValueError, KeyError):
        line, col = _pos(event.start_mark)
        what = tag[len(_STANDARD):]
        raise YamlSyntaxError(line, col, f"{value!r} is not a valid {what}", path) from None


def read_document(text: str, limits: Limits) -> Document:
    """Read one YAML document into plain data with positions.

    A sequence at the root is not read (the data is an empty list): every caller expects a
    mapping there, and says so.

    Raises:
        YamlSyntaxError: the text is not YAML, or breaks a limit; nothing more can be read.
    """
    doc = Document(data=None)
    try:
        _Reader(doc, limits).read(text)
    except YamlSyntaxError as exc:
        exc.earlier = doc.problems
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        problem = exc.problem or "not valid YAML"
        if "tab" in problem:  # PyYAML's words do not say that YAML indents with spaces only
            problem += " (YAML indents with spaces, not tabs: replace the tab with spaces)"
        context = f" {exc.context}" if exc.context else ""
        if exc.context and exc.context_mark and _pos(exc.context_mark) != (line, col):
            started = _pos(exc.context_mark)
            context += f" started at line {started[0]}, column {started[1]}"
        error = YamlSyntaxError(line, col, f"invalid YAML: {problem}{context}")
        error.earlier = doc.problems
        raise error from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, 1, f"invalid YAML: {exc}") from None
    return doc


class _Reader:
    """Builds a document from the parser's events; one event at a time, no recursion."""

    def __init__(self, doc: Document, limits: Limits) -> None:
        self.doc = doc
        self.limits = limits
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.expanded = 0

    def read(self, text: str) -> None:
        budget = self.limits.max_nodes * 2  # events: a value, or a key and its value, or an end
        loader = _Loader(text)
        try:
            # the parser's own `get_event` (None at the end), without `yaml.parse`'s generator
            self._events(iter(loader.get_event, None), budget)
        finally:
            loader.dispose()

    def _events(self, events: Any, budget: int) -> None:
        # One loop over hundreds of thousands of events, so it is written for speed: dispatch on
        # the exact event class, and place plain scalars (most events, half of them keys) inline.
        scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
        starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        skipped = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
        stack, marks, key_marks = self.stack, self.doc.marks, self.doc.key_marks
        by_first, max_keys = _BY_FIRST, self.limits.max_keys
        resolved: dict[str, Any] = {}
        documents = 0
        for event in events:
            budget -= 1
            if budget < 0:
                raise YamlSyntaxError(*_pos(event.start_mark), f"more than "
                                      f"{self.limits.max_nodes:,} values in the document; "
                                      "expected a scenario of a size people write"
                                      f"{self.limits.more_values}")
            kind = type(event)
            if kind is scalar and stack and event.tag is None and event.anchor is None:
                top = stack[-1]
                value = event.value
                mark = event.start_mark
                if top.is_map and top.key is _NO_KEY:
                    path = top.path
                else:
                    path = (*top.path, top.key) if top.is_map else (*top.path, len(top.container))
                    marks[path] = (mark.line + 1, mark.column + 1)
                if event.implicit[0] and not event.style and value[:1] in by_first:
                    # may be a number, a boolean or null; the same few texts recur (`5m`, `0.5`)
                    known = resolved.get(value, _NO_KEY)
                    if known is _NO_KEY:
                        known = resolved[value] = _scalar(event, path)
                    value = known
                if not top.is_map:
                    top.container.append(value)
                    top.size += 1
                elif top.key is not _NO_KEY:
                    key_marks[path] = top.key_mark
                    top.container[top.key] = value
                    top.key = _NO_KEY
                    top.size += 1
                elif value.__class__ is str and value not in top.keys and len(top.keys) < max_keys:
                    # a new key, taken as `place` takes it, without its checks that pass here
                    top.keys[value] = top.key_mark = (mark.line + 1, mark.column + 1)
                    top.key = value
                    top.size += 1
                else:
                    self.place(value, 1, mark, path, None)  # a key that is a duplicate, or odd
                continue
            if kind in ends:
                frame = stack.pop()
                self.place(frame.container, frame.size, event.start_mark, frame.path, frame.anchor)
                continue
            if kind in skipped:
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlSyntaxError(*_pos(event.start_mark),
                                          "a second YAML document; expected exactly one")
                continue
            mark = event.start_mark
            top = stack[-1] if stack else None
            is_key = top is not None and top.is_map and top.key is _NO_KEY
            if is_key:
                path = top.path  # type: ignore[union-attr]
            else:
                if top is None:
                    path = ()
                elif top.is_map:
                    path = (*top.path, top.key)
                else:
                    path = (*top.path, len(top.container))
                marks[path] = (mark.line + 1, mark.column + 1)
            if kind is scalar:
                self.place(_scalar(event, path), 1, mark, path, event.anchor)
            elif kind is alias:
                self.alias(event, path)
            elif kind in starts:
                if top is None and kind is yaml.SequenceStartEvent:
                    # a scenario is a mapping: a list at the root is wrong whatever it holds,
                    # so it is not read (16 MiB of `[{},{},...]` took 17 s and 1.7 GB)
                    self.doc.data = []
                    return
                self.start(event, is_key, path)

    def start(self, event: Any, is_key: bool, path: Path) -> None:
        mark = event.start_mark
        if is_key:
            raise YamlSyntaxError(*_pos(mark), "a mapping key must be a plain scalar", path)
        if event.tag is not None and event.tag not in _ALLOWED_TAGS:
            raise _tag_error(event.tag, mark, path)
        if len(self.stack) >= self.limits.max_depth:
            raise YamlSyntaxError(
                *_pos(mark),
                f"nesting deeper than {self.limits.max_depth} levels; expected a scenario nested no deeper",
                path,
            )
        container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.stack.append(_Frame(container, path, event.anchor))

    def alias(self, event: Any, path: Path) -> None:
        mark = event.start_mark
        if event.anchor not in self.anchors:
            raise YamlSyntaxError(
                *_pos(mark), f"alias *{event.anchor} refers to no finished anchor (undefined or recursive)",
                path,
            )
        value, size = self.anchors[event.anchor]
        self.expanded += size
        if self.expanded > self.limits.max_alias_nodes:
            raise YamlSyntaxError(
                *_pos(mark),
                f"aliases expand to more than {self.limits.max_alias_nodes} nodes; "
                "expected a document without an alias bomb",
                path,
            )
        self.place(value, size, mark, path, None)

    def place(self, value: Any, size: int, mark: Any, path: Path, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.doc.data = value
            return
        top = self.stack[-1]
        top.size += size
        if not top.is_map:
            top.container.append(value)
            return
        if top.key is _NO_KEY:  # this value is a key
            if not isinstance(value, str | int | float | bool) and value is not None:
                raise YamlSyntaxError(*_pos(mark), "a mapping key must be a plain scalar", top.path)
            line_col = _pos(mark)
            if len(top.keys) >= self.limits.max_keys:
                raise YamlSyntaxError(*line_col, f"more than {self.limits.max_keys} keys in one "
                                      "mapping; expected a scenario's fewer named fields",
                                      top.path)
            if value in top.keys:
                first = top.keys[value]
                self.doc.problems.append(YamlSyntaxError(
                    *line_col,
                    f"duplicate key {value!r} (first defined at line {first[0]}); expected each key once",
                    (*top.path, value),
                ))
            top.keys[value] = line_col
            top.key, top.key_mark = value, line_col
            return
        self.doc.key_marks[path] = top.key_mark
        top.container[top.key] = value
        top.key = _NO_KEY
