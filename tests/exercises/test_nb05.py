"""Notebook 05's exercises: the right answers pass, the lazy ones fail on the budget with the fix,
wrong results fail with a reason, and no answer is NOT YET."""

from typing import Any

import pytest
from django.db.models import Prefetch

from tests.tutorial_site.pages.site_data import populate
from tutorial_site.exercises import check
from tutorial_site.exercises.nb05 import as_books_page, as_menu
from tutorial_site.library.models import Book
from tutorial_site.pizzeria.models import Pizza, Restaurant

pytestmark = pytest.mark.profiler_allow  # wrong answers run N+1s on purpose

SOLUTIONS = {
    "05.1": lambda: Book.objects.select_related("author__hometown").order_by("title", "id")[:50],
    "05.2": lambda: (
        Restaurant.objects.select_related("best_pizza")
        .prefetch_related("pizzas__toppings")
        .order_by("name", "id")
    ),
}


@pytest.fixture
def rows(db: None) -> None:
    populate(3)


def test_the_fixed_books_page_passes_and_the_lazy_one_fails_on_the_budget(rows: None) -> None:
    assert str(check("05.1", as_books_page(SOLUTIONS["05.1"]))).startswith(
        "Exercise 05.1: PASS — 3 books, 1 query"
    )
    lazy = str(check("05.1", as_books_page(lambda: Book.objects.order_by("title", "id")[:50])))
    assert lazy.startswith("Exercise 05.1: FAIL — right result, but 7 queries, target ≤ 1")
    assert "select_related('author__hometown')" in lazy
    halfway = check("05.1", as_books_page(lambda: Book.objects.select_related("author").order_by("title")))
    assert "4 queries" in str(halfway)


def test_the_books_page_in_another_order_is_wrong(rows: None) -> None:
    result = check(
        "05.1", as_books_page(lambda: Book.objects.select_related("author__hometown").order_by("-title"))
    )
    assert str(result).startswith("Exercise 05.1: FAIL — the right books in the wrong order")


def test_the_menu_in_three_queries_passes_and_a_prefetch_of_the_best_pizza_does_not(rows: None) -> None:
    assert str(check("05.2", as_menu(SOLUTIONS["05.2"]))).startswith(
        "Exercise 05.2: PASS — 3 restaurants, 3 queries"
    )
    custom = Prefetch("pizzas", queryset=Pizza.objects.prefetch_related("toppings"))
    assert check(
        "05.2",
        as_menu(
            lambda: Restaurant.objects.select_related("best_pizza").prefetch_related(custom).order_by("name")
        ),
    ).passed
    four = check(
        "05.2",
        as_menu(
            lambda: Restaurant.objects.prefetch_related("best_pizza", "pizzas__toppings").order_by("name")
        ),
    )
    assert "4 queries, target ≤ 3" in str(four)
    assert "select_related('best_pizza')" in str(four)
    unordered = check(
        "05.2",
        as_menu(
            lambda: (
                Restaurant.objects.select_related("best_pizza")
                .prefetch_related("pizzas__toppings")
                .order_by("-name")
            )
        ),
    )
    assert "the right restaurants in the wrong order: row 1 is ('Restaurant 02'" in str(unordered)


def test_the_template_lines_of_the_lazy_author_page(rows: None) -> None:
    right = {("Entry.blog", "blog/author_detail.html:13"), ("Entry.authors", "blog/_authors.html:1")}
    assert check("05.3", lambda: right).passed
    wrong_line = {
        ("Entry.blog", "blog/author_detail.html:12"),
        ("Entry.authors", "blog/author_detail.html:14"),
    }
    assert "the relations are right, a template line is not" in str(check("05.3", lambda: wrong_line))
    missing = check("05.3", lambda: {("Entry.blog", "blog/author_detail.html:13")})
    assert "the relations loaded row by row are Entry.authors, Entry.blog" in str(missing)


@pytest.mark.parametrize("adapter", [as_books_page, as_menu])
def test_no_answer_is_not_yet(adapter: Any) -> None:
    assert "NOT YET" in str(check("05.1", adapter(...)))
