"""The exercises API: registry, errors, comparison messages and the rolled-back sandbox."""

from typing import Any

import pytest
from django.db.models import Count

from tutorial_site.blog.models import Blog
from tutorial_site.exercises import Exercise, check, exercises, get, register, row_key
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
    assert "wrong order: row 1 is b, expected a" in reversed_order.reason
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
    assert result.reason == "returned 2 blogs, expected 1: 1 duplicated (e.g. only)."
    assert Blog.objects.annotate(n=Count("entry")).count() == 1
