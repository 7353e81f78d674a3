"""Exercises of notebook 05 (profile your code: the site's pages, the toolbar, the test suite).

05.1 and 05.2 fix a page's queryset: the answer is a function returning the queryset, and the
check reads from it what the page's template reads (``check("05.1", as_books_page(answer))``),
so the template's lazy reads are counted too.
05.3 asks which template lines load relations row by row on the lazy author page.
"""

from collections.abc import Iterable
from typing import Any

from django.test import RequestFactory
from django.urls import resolve

from tutorial_site.library.views import BOOKS_PER_PAGE, books_for
from tutorial_site.pages.catalog import page
from tutorial_site.pages.strategy import Strategy
from tutorial_site.pizzeria.views import restaurants_for

from .core import Exercise, register

MenuRow = tuple[str, str | None, list[tuple[str, list[str]]]]


def book_rows(books: Iterable[Any]) -> list[tuple[str, str, str]]:
    """What the books page's template reads for each book: its title, its author's name and the
    author's hometown."""
    return [(book.title, book.author.name, book.author.hometown.name) for book in books]


def menu_rows(restaurants: Iterable[Any]) -> list[MenuRow]:
    """What the menu's template reads for each restaurant: its name, its best pizza, and its
    pizzas by name, each with its toppings by name."""
    return [
        (
            restaurant.name,
            restaurant.best_pizza.name if restaurant.best_pizza else None,
            [
                (pizza.name, sorted(topping.name for topping in pizza.toppings.all()))
                for pizza in sorted(restaurant.pizzas.all(), key=lambda pizza: pizza.name)
            ],
        )
        for restaurant in restaurants
    ]


def as_books_page(answer: Any) -> Any:
    """``answer`` (a function returning the books queryset) read as the books page reads it."""
    if answer is None or answer is Ellipsis:
        return answer
    return lambda: book_rows(answer())


def as_menu(answer: Any) -> Any:
    """``answer`` (a function returning the restaurants queryset) read as the menu reads it."""
    if answer is None or answer is Ellipsis:
        return answer
    return lambda: menu_rows(answer())


def lazy_template_lines(url: str) -> list[tuple[str, str]]:
    """``(relation, "template:line")`` of each N+1 the page at ``url`` runs, sorted."""
    import profiler
    from profiler.contrib.debug_toolbar.template_lines import TemplateLines

    request = RequestFactory().get(url)
    match = resolve(request.path_info)
    with profiler.capture() as queries, TemplateLines() as lines:
        match.func(request, *match.args, **match.kwargs)
    where = lines.for_queries(queries)
    found = set()
    for finding in queries.n_plus_one():
        line = where.get(id(finding.queries[0]))
        found.add((finding.relation, f"{line.template}:{line.line}" if line else "(not in a template)"))
    return sorted(found)


def _not_the_first_page(got: list[Any], expected: list[Any]) -> str | None:
    if len(got) != len(expected):
        return f"the page shows the first {BOOKS_PER_PAGE} books by title: .order_by('title', 'id')[:50]"
    return None


def _lines_not_relations(got: list[Any], expected: list[Any]) -> str | None:
    relations = sorted({pair[0] for pair in expected})
    if sorted({pair[0] for pair in got if isinstance(pair, tuple) and pair}) == relations:
        return (
            "the relations are right, a template line is not: name the line of the tag that reads "
            "the relation, in the template that holds it (an included template has its own file)"
        )
    return f"the relations loaded row by row are {', '.join(relations)}"


register(
    Exercise(
        id="05.1",
        title="The books page, with each book's author and hometown, in one query",
        reference=lambda: book_rows(books_for(Strategy.OPTIMIZED)[:BOOKS_PER_PAGE]),
        max_queries=1,
        noun="books",
        ordered=True,
        diagnoses=(_not_the_first_page,),
        budget_hint="follow both foreign keys in the one query: select_related('author__hometown')",
    )
)

register(
    Exercise(
        id="05.2",
        title="The pizzeria menu in three queries",
        reference=lambda: menu_rows(restaurants_for(Strategy.OPTIMIZED)),
        max_queries=3,
        noun="restaurants",
        ordered=True,
        budget_hint=(
            "join the best pizza with select_related('best_pizza'), and load the pizzas and their "
            "toppings with prefetch_related('pizzas__toppings'): one query each"
        ),
    )
)

register(
    Exercise(
        id="05.3",
        title="The template lines of the lazy author page's N+1 queries",
        reference=lambda: lazy_template_lines(page("blog:author").url(Strategy.LAZY)),
        max_queries=0,
        noun="findings",
        ordered=False,
        diagnoses=(_lines_not_relations,),
    )
)
