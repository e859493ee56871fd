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


class YamlSyntaxError(Exception):
    """A problem that stops reading the document; where it is, and what is wrong."""

    def __init__(self, line: int, column: int, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.line, self.column, self.message, self.path = line, column, message, path


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


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = ("anchor", "container", "key", "key_mark", "keys", "path", "size")

    def __init__(self, container: Any, path: Path, anchor: str | None) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (1, 1)
        self.keys: dict[Any, tuple[int, int]] = {}
        self.size = 1


_NO_KEY = object()
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


def _scalar(event: yaml.ScalarEvent, path: Path) -> Any:
    tag = event.tag
    if tag is not None and tag not in _ALLOWED_TAGS:
        line, col = _pos(event.start_mark)
        raise YamlSyntaxError(line, col, f"tag {tag!r} is not allowed; only plain YAML is read", path)
    if tag in (None, "!"):
        if not event.implicit[0] or event.style:  # quoted: a string
            return event.value
        tag = _resolver.resolve(yaml.ScalarNode, event.value, (True, False))
    if tag in (f"{_STANDARD}str", f"{_STANDARD}timestamp"):
        return event.value  # instants stay text; the models read them with their zone
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    try:
        return {
            f"{_STANDARD}int": _constructor.construct_yaml_int,
            f"{_STANDARD}float": _constructor.construct_yaml_float,
            f"{_STANDARD}bool": _constructor.construct_yaml_bool,
            f"{_STANDARD}null": _constructor.construct_yaml_null,
        }[tag](node)
    except (ValueError, KeyError):
        line, col = _pos(event.start_mark)
        what = tag[len(_STANDARD):]
        raise YamlSyntaxError(line, col, f"{event.value!r} is not a valid {what}", path) from None


def read_document(text: str, limits: Limits) -> Document:
    """Read one YAML document into plain data with positions.

    Raises:
        YamlSyntaxError: the text is not YAML, or breaks a limit; nothing more can be read.
    """
    doc = Document(data=None)
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    expanded = 0
    documents = 0

    def child_path() -> Path:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        return (*top.path, top.key)

    def place(value: Any, size: int, mark: Any, path: Path, anchor: str | None) -> None:
        nonlocal expanded
        if anchor is not None:
            anchors[anchor] = (value, size)
        if not stack:
            doc.data = value
            return
        top = stack[-1]
        top.size += size
        if isinstance(top.container, list):
            top.container.append(value)
            return
        if top.key is _NO_KEY:  # this value is a key
            if not isinstance(value, str | int | float | bool) and value is not None:
                line, col = _pos(mark)
                raise YamlSyntaxError(line, col, "a mapping key must be a plain scalar", top.path)
            line_col = _pos(mark)
            if value in top.keys:
                first = top.keys[value]
                doc.problems.append(YamlSyntaxError(
                    *line_col,
                    f"duplicate key {value!r} (first defined at line {first[0]}); "
                    "expected each key once",
                    (*top.path, value),
                ))
            top.keys[value] = line_col
            top.key, top.key_mark = value, line_col
            return
        doc.key_marks[path] = top.key_mark
        top.container[top.key] = value
        top.key = _NO_KEY

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    line, col = _pos(event.start_mark)
                    raise YamlSyntaxError(line, col, "a second YAML document; expected exactly one")
                continue
            if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent | yaml.DocumentEndEvent):
                continue
            mark = event.start_mark
            is_key = bool(stack) and isinstance(stack[-1].container, dict) and stack[-1].key is _NO_KEY
            path = stack[-1].path if is_key else child_path()
            if not is_key:
                doc.marks[path] = _pos(mark)
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    line, col = _pos(mark)
                    raise YamlSyntaxError(
                        line, col,
                        f"alias *{event.anchor} refers to no finished anchor (undefined or recursive)",
                        path,
                    )
                value, size = anchors[event.anchor]
                expanded += size
                if expanded > limits.max_alias_nodes:
                    line, col = _pos(mark)
                    raise YamlSyntaxError(
                        line, col,
                        f"aliases expand to more than {limits.max_alias_nodes} nodes; "
                        "expected a document without an alias bomb",
                        path,
                    )
                place(value, size, mark, path, None)
            elif isinstance(event, yaml.ScalarEvent):
                place(_scalar(event, path), 1, mark, path, event.anchor)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if is_key:
                    line, col = _pos(mark)
                    raise YamlSyntaxError(line, col, "a mapping key must be a plain scalar", path)
                if event.tag is not None and event.tag not in _ALLOWED_TAGS:
                    line, col = _pos(mark)
                    raise YamlSyntaxError(
                        line, col, f"tag {event.tag!r} is not allowed; only plain YAML is read", path
                    )
                if len(stack) >= limits.max_depth:
                    line, col = _pos(mark)
                    raise YamlSyntaxError(
                        line, col,
                        f"nesting deeper than {limits.max_depth} levels; "
                        "expected a scenario nested no deeper",
                        path,
                    )
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                stack.append(_Frame(container, path, event.anchor))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frame = stack.pop()
                place(frame.container, frame.size, mark, frame.path, frame.anchor)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        problem = exc.problem or "not valid YAML"
        context = f" {exc.context}" if exc.context else ""
        raise YamlSyntaxError(line, col, f"invalid YAML: {problem}{context}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, 1, f"invalid YAML: {exc}") from None
    return doc
