"""The exercises API: registry, errors, comparison messages and the rolled-back sandbox."""

from typing import Any

import pytest
from django.db.models import Count

from tutorial_site.blog.models import Blog
from tutorial_site.exercises import Exercise, Mistake, check, exercises, get, register, row_key
from tutorial_site.exercises.core import _REGISTRY


@pytest.fixture
def temporary() -> Any:
    added: list[str] = []

    def add(exercise: Exercise) -> Exercise:
        added.append(exercise.id)
        return register(exercise)

    yield add
    for exercise_id in added:
        _REGISTRY.pop(exercise_id, None)


def test_unknown_id_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"no exercise '9\.9'.*01\.1"):
        check("9.9", ...)


def test_registry_lists_every_notebook_module() -> None:
    ids = set(exercises())
    assert {"01.1", "03.1", "04.1"} <= ids
    assert get("01.2").max_queries == 1


def test_bad_exercise_definitions_are_refused() -> None:
    with pytest.raises(ValueError, match="max_queries"):
        Exercise("x.1", "t", reference=lambda: [], max_queries=-1)
    with pytest.raises(TypeError, match="callable"):
        Exercise("x.1", "t", reference=[], max_queries=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes an Exercise"):
        register("x.1")  # type: ignore[arg-type]


def test_computed_value_is_refused_with_advice(db: None) -> None:
    result = check("01.2", [("a", 1)])
    assert result.status == "fail"
    assert "lambda" in result.reason


def test_an_answer_that_raises_is_reported_not_raised(db: None) -> None:
    result = check("01.2", lambda: Blog.objects.values_list("nope"))
    assert result.status == "fail"
    assert "FieldError" in result.reason
    assert result.error is not None


def test_function_without_return_is_explained(db: None, temporary: Any) -> None:
    temporary(Exercise("t.1", "t", reference=lambda: Blog.objects.all(), max_queries=1))
    result = check("t.1", lambda: None)
    assert result.reason == "your function returned None: add a return statement."


def test_order_matters_only_when_ordered(db: None, temporary: Any) -> None:
    Blog.objects.create(name="a", tagline="")
    Blog.objects.create(name="b", tagline="")
    temporary(
        Exercise(
            "t.2",
            "t",
            reference=lambda: Blog.objects.order_by("name"),
            max_queries=1,
            noun="blogs",
            ordered=True,
        )
    )
    temporary(
        Exercise("t.3", "t", reference=lambda: Blog.objects.order_by("name"), max_queries=1, noun="blogs")
    )
    reversed_order = check("t.2", Blog.objects.order_by("-name"))
    assert reversed_order.reason == "the right blogs in the wrong order: row 1 is 'b', expected 'a'."
    assert check("t.3", Blog.objects.order_by("-name")).passed


def test_writes_in_an_answer_are_rolled_back(db: None, temporary: Any) -> None:
    temporary(Exercise("t.4", "t", reference=lambda: 1, max_queries=5))

    def writes() -> int:
        Blog.objects.create(name="temporary", tagline="")
        return 1

    assert check("t.4", writes).passed
    assert not Blog.objects.filter(name="temporary").exists()


def test_row_keys() -> None:
    blog = Blog(pk=3, name="x")
    assert row_key(blog) == ("blog.Blog", 3)
    assert row_key({"b": 1, "a": blog}) == row_key({"a": blog, "b": 1})
    assert row_key((1, "x")) == (1, "x")
    assert row_key([1, 2]) == (1, 2)


def test_duplicates_are_named(db: None, temporary: Any) -> None:
    blog = Blog.objects.create(name="only", tagline="")
    temporary(
        Exercise(
            "t.5",
            "t",
            reference=lambda: Blog.objects.filter(pk=blog.pk),
            max_queries=1,
            noun="blogs",
        )
    )
    result = check("t.5", lambda: list(Blog.objects.filter(pk=blog.pk)) * 2)
    assert result.reason == "returned 2 rows instead of 1 blog; 'only' comes back 2 times instead of once."
    assert Blog.objects.annotate(n=Count("entry")).count() == 1


def _blogs(*names: str) -> list[Blog]:
    return [Blog.objects.create(name=name, tagline="") for name in names]


def test_a_mistake_is_named_only_for_exactly_its_rows(db: None, temporary: Any) -> None:
    _blogs("a", "b", "c")
    temporary(
        Exercise(
            "t.6",
            "t",
            reference=lambda: Blog.objects.all(),
            max_queries=1,
            noun="blogs",
            mistakes=(Mistake(lambda: Blog.objects.exclude(name="c"), "The cause of dropping c"),),
        )
    )
    assert check("t.6", Blog.objects.exclude(name="c")).reason == (
        "returned 2 blogs instead of 3; 1 blog is missing: 'c'. The cause of dropping c."
    )
    # One row fewer than the mistake gives: the cause would not explain it, so it is not named.
    assert check("t.6", Blog.objects.filter(name="a")).reason == (
        "returned 1 blog instead of 3; 2 blogs are missing: 'b' and 'c'."
    )


def test_a_key_reports_wrong_values_instead_of_missing_and_extra(db: None, temporary: Any) -> None:
    _blogs("a", "b")
    reference = lambda: Blog.objects.annotate(n=Count("entry")).values_list("name", "n")  # noqa: E731
    temporary(Exercise("t.7", "t", reference=reference, max_queries=1, noun="blogs", key=lambda r: r[0]))
    temporary(Exercise("t.8", "t", reference=reference, max_queries=1, noun="blogs"))
    wrong = lambda: Blog.objects.annotate(n=Count("entry") + 1).values_list("name", "n")  # noqa: E731
    assert check("t.7", wrong).reason == (
        "returned 2 blogs as expected, but 2 blogs have wrong values, e.g. ('a', 1) instead of ('a', 0)."
    )
    assert check("t.8", wrong).reason == (
        "returned 2 blogs as expected, but 2 blogs are missing: ('a', 0) and ('b', 0); "
        "2 blogs should not be there: ('a', 1) and ('b', 1)."
    )


def test_a_dict_result_names_the_keys_or_values_that_differ(db: None, temporary: Any) -> None:
    temporary(Exercise("t.9", "t", reference=lambda: Blog.objects.aggregate(n=Count("id")), max_queries=1))
    assert check("t.9", lambda: Blog.objects.aggregate(Count("id"))).reason == (
        "returned a dict with keys ['id__count'], expected keys ['n']."
    )
    assert check("t.9", lambda: {"n": 7}).reason == "'n' is 7, expected 0."


def test_mistakes_must_be_mistake_objects() -> None:
    with pytest.raises(TypeError, match="Mistake"):
        Exercise("x.1", "t", reference=lambda: [], max_queries=1, mistakes=(lambda: [],))  # type: ignore[arg-type]


def test_sql_rules_judge_only_a_right_answer_within_budget(db: None, temporary: Any) -> None:
    Blog.objects.create(name="a", tagline="")
    seen: list[list[str]] = []

    def no_order_by(statements: list[Any]) -> str | None:
        seen.append([statement.sql for statement in statements])
        return "it sorts in SQL" if any("ORDER BY" in s.sql for s in statements) else None

    temporary(
        Exercise("t.9", "t", reference=lambda: Blog.objects.all(), max_queries=1, sql_rules=(no_order_by,))
    )
    assert check("t.9", Blog.objects.all()).passed
    assert (
        check("t.9", Blog.objects.order_by("name")).reason == "right result in 1 query, but it sorts in SQL."
    )
    seen.clear()
    assert check("t.9", Blog.objects.none()).reason.startswith("returned 0 rows")  # a wrong result first
    assert check("t.9", lambda: [*Blog.objects.all(), Blog.objects.count()][:1]).reason.startswith(
        "right result, but 2 queries"  # then the budget
    )
    assert seen == []  # the rule never ran for either
