"""The plain-words descriptions of a wrong result (pure functions, no database)."""

from tutorial_site.exercises.differences import describe, examples, list_difference, plural, value_difference


def test_plural_and_singular() -> None:
    assert plural(1, "entries") == "1 entry"
    assert plural(2_400, "entries") == "2,400 entries"
    assert plural(1, "blogs") == "1 blog"
    assert plural(1, "matches") == "1 match"


def test_long_text_inside_a_row_is_cut_and_quoted() -> None:
    assert describe(("Hello", 3)) == "('Hello', 3)"
    assert describe("x" * 40) == repr("x" * 31 + "…")
    assert describe({"a": "y" * 40}) == "{'a': '" + "y" * 31 + "…'}"


def test_examples_are_sorted_and_at_most_three() -> None:
    assert examples(["b"]) == ": 'b'"
    assert examples(["b", "a"]) == ": 'a' and 'b'"
    assert examples(["d", "c", "b", "a"]) == ", e.g. 'a', 'b' and 'c'"


def test_missing_extra_and_repeated_rows() -> None:
    assert list_difference(["a", "b"], ["a", "b", "c"], "blogs") == "1 blog is missing: 'c'"
    assert list_difference(["a", "x"], ["a"], "blogs") == "1 blog should not be there: 'x'"
    assert list_difference(["a", "a", "a"], ["a"], "blogs") == "'a' comes back 3 times instead of once"
    assert list_difference(["a", "a", "b", "b"], ["a", "b"], "blogs") == (
        "2 blogs come back more than once, e.g. 'a' 2 times"
    )


def test_a_key_pairs_rows_that_stand_for_the_same_thing() -> None:
    def key(row: tuple) -> str:
        return row[0]

    assert list_difference([("a", 2)], [("a", 1)], "blogs", key) == (
        "1 blog has wrong values, e.g. ('a', 2) instead of ('a', 1)"
    )
    assert list_difference([("a", 1), ("a", 1), ("b", 1)], [("a", 2), ("b", 1)], "months", key) == (
        "1 month is split over several rows, e.g. 2 rows where ('a', 2) was expected"
    )


def test_value_difference() -> None:
    assert value_difference({"a": 1}, {"b": 1}) == "returned a dict with keys ['a'], expected keys ['b']"
    assert value_difference({"a": 1, "b": 2}, {"a": 1, "b": 3}) == "'b' is 2, expected 3"
    assert value_difference([1, 2], {"a": 1}) == "returned a list of 2 rows, expected {'a': 1}"
    assert value_difference(3, 4) == "returned 3, expected 4"
