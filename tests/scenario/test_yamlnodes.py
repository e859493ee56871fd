"""Reading YAML into plain data with positions: safe, bounded, and exact about where things are."""

from __future__ import annotations

import pytest

from sim.scenario.yamlnodes import Document, Limits, YamlSyntaxError, read_document


def read(text: str, **limits: int) -> Document:
    return read_document(text, Limits(**limits))


def fails(text: str, **limits: int) -> YamlSyntaxError:
    with pytest.raises(YamlSyntaxError) as info:
        read(text, **limits)
    return info.value


def test_values_and_keys_have_one_based_positions() -> None:
    doc = read("a: 1\nb:\n  - x\n  - {c: true, d: null}\n")
    assert doc.data == {"a": 1, "b": ["x", {"c": True, "d": None}]}
    assert doc.marks == {
        (): (1, 1), ("a",): (1, 4), ("b",): (3, 3), ("b", 0): (3, 5), ("b", 1): (4, 5),
        ("b", 1, "c"): (4, 9), ("b", 1, "d"): (4, 18),
    }
    assert doc.key_marks[("a",)] == (1, 1)
    assert doc.key_marks[("b", 1, "d")] == (4, 15)
    assert doc.problems == []


def test_position_falls_back_to_the_nearest_written_ancestor() -> None:
    doc = read("a:\n  b: 5m\n")
    assert doc.position(("a", "b", "fixed")) == (2, 6)
    assert doc.position(("a", "b"), key=True) == (2, 3)
    assert doc.position(("zzz",)) == (1, 1)
    assert doc.written(("a", "b", "fixed")) == ("a", "b")
    assert doc.written(("a", "b")) == ("a", "b")
    assert doc.written(("zzz", 0)) == ()


def test_instants_and_quoted_numbers_stay_text() -> None:
    doc = read('at: 2022-11-15T12:00:00Z\nday: 2022-11-15\nn: "5"\nm: !!str 5\n')
    assert doc.data == {"at": "2022-11-15T12:00:00Z", "day": "2022-11-15", "n": "5", "m": "5"}


def test_times_of_day_are_text_not_base_60_numbers() -> None:
    # YAML 1.1 reads 17:00 as 1020 (and 07:30 as text); both are times of day here
    assert read("a: 17:00\nb: 07:30\nc: 1:30.5\n").data == {"a": "17:00", "b": "07:30", "c": "1:30.5"}


def test_yaml_numbers_and_booleans_are_read() -> None:
    assert read("a: 0x10\nb: 1_000\nc: 1.5\nd: true\ne: ~\n").data == {
        "a": 16, "b": 1000, "c": 1.5, "d": True, "e": None,
    }


def test_duplicate_keys_are_problems_and_reading_goes_on() -> None:
    doc = read("a: 1\nb: 2\na: 3\nc: {x: 1, x: 2}\n")
    assert doc.data == {"a": 3, "b": 2, "c": {"x": 2}}
    assert [(p.line, p.column, p.path, p.message) for p in doc.problems] == [
        (3, 1, ("a",), "duplicate key 'a' (first defined at line 1); expected each key once"),
        (4, 11, ("c", "x"), "duplicate key 'x' (first defined at line 4); expected each key once"),
    ]


@pytest.mark.parametrize(("text", "line", "column", "tag"), [
    ("a: !!python/object:os.system {}\n", 1, 4, "!!python/object:os.system"),
    ("a: !!python/object/apply:os.system [ls]\n", 1, 4, "!!python/object/apply:os.system"),
    ("a:\n  b: !!python/name:os.system ''\n", 2, 6, "!!python/name:os.system"),
    ("a: !custom 5\n", 1, 4, "!custom"),
    ("a: !!binary aGVsbG8=\n", 1, 4, "!!binary"),
    ("a: !!set {x}\n", 1, 4, "!!set"),
])
def test_tags_other_than_plain_yaml_are_refused(text: str, line: int, column: int, tag: str) -> None:
    error = fails(text)
    assert (error.line, error.column) == (line, column)
    assert error.message == f"tag {tag!r} is not allowed; expected plain YAML without tags"


def test_anchors_and_aliases_within_the_budget_are_read() -> None:
    doc = read("base: &b {x: 1}\ncopy: *b\n")
    assert doc.data == {"base": {"x": 1}, "copy": {"x": 1}}


def test_alias_expansion_is_counted_across_the_document() -> None:
    # each alias of a three-item list costs 4 nodes (the list and its items): 4 aliases, 16 nodes
    text = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\nc: *a\n"
    assert read(text, max_alias_nodes=16).data["c"] == [1, 2, 3]
    error = fails(text, max_alias_nodes=15)
    assert (error.line, error.column, error.path) == (3, 4, ("c",))
    assert error.message == "aliases expand to more than 15 nodes; expected a document without an alias bomb"


def test_an_alias_to_an_unfinished_anchor_is_refused() -> None:
    error = fails("a: &a [1, *a]\n")
    assert (error.line, error.column, error.path) == (1, 11, ("a", 1))
    assert error.message == "alias *a refers to no finished anchor (undefined or recursive)"


def test_nesting_is_bounded() -> None:
    assert read("a: [[1]]\n", max_depth=3).data == {"a": [[1]]}
    error = fails("a: [[[1]]]\n", max_depth=3)
    assert (error.line, error.column, error.path) == (1, 6, ("a", 0, 0))
    assert error.message == "nesting deeper than 3 levels; expected a scenario nested no deeper"


def test_a_second_document_is_refused() -> None:
    error = fails("a: 1\n---\nb: 2\n")
    assert (error.line, error.column) == (2, 1)
    assert error.message == "a second YAML document; expected exactly one"


@pytest.mark.parametrize("text", ["? [a, b]\n: 1\n", "? {a: 1}\n: 1\n"])
def test_keys_must_be_plain_scalars(text: str) -> None:
    error = fails(text)
    assert (error.line, error.column) == (1, 3)
    assert error.message == "a mapping key must be a plain scalar"


def test_syntax_errors_say_where_the_construct_began() -> None:
    error = fails("a: [1, 2\nb: 3\n")
    assert (error.line, error.column) == (2, 2)
    assert error.message == ("invalid YAML: did not find expected ',' or ']' while parsing a flow "
                             "sequence started at line 1, column 4")


def test_problems_before_a_fatal_error_are_kept() -> None:
    error = fails("a: 1\na: 2\nb: [\n")
    assert [(p.line, p.message) for p in error.earlier] == [
        (2, "duplicate key 'a' (first defined at line 1); expected each key once"),
    ]


def test_empty_text_is_no_data() -> None:
    assert read("").data is None
    assert read("# just a comment\n").data is None
