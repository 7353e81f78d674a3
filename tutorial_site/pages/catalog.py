"""Every page of the site that has a lazy and an optimized version, in one list: :data:`PAGES`.

The home page lists them, the tests render each one in both versions, and
:func:`tutorial_site.pages.census.statement_counts` counts their SQL statements.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from .strategy import Strategy


def _first_pk(model_path: str) -> Callable[[], dict[str, Any]]:
    def arguments() -> dict[str, Any]:
        from django.apps import apps

        model = apps.get_model(model_path)
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if pk is None:
            raise LookupError(f"No {model.__name__} in the database: seed it first (manage.py seed).")
        return {"pk": pk}

    return arguments


@dataclass(frozen=True)
class SitePage:
    """One page: where it lives, what its lazy template reads row by row, and the fix."""

    title: str
    url_name: str  # "blog:entries"
    lazy: str  # what the lazy version loads once per row
    optimized: str  # how the optimized version loads it up front
    example: Callable[[], dict[str, Any]] | None = field(default=None, compare=False)
    """The URL arguments of an example page (the first row), for pages that show one object."""

    def url(self, strategy: Strategy | str | None = None, **kwargs: Any) -> str:
        """The page's path with ``?strategy=``; an object page uses its example unless given kwargs."""
        if not kwargs and self.example is not None:
            kwargs = self.example()
        path = reverse(self.url_name, kwargs=kwargs or None)
        return f"{path}?{urlencode({'strategy': str(strategy)})}" if strategy else path

    @property
    def needs_object(self) -> bool:
        return self.example is not None


PAGES: tuple[SitePage, ...] = (
    SitePage(
        "Blogs",
        "blog:index",
        lazy="{{ blog.entry_set.count }}: one COUNT per blog",
        optimized="annotate(entry_count=Count('entry'))",
    ),
    SitePage(
        "A blog",
        "blog:detail",
        lazy="entry.authors.all: the authors of each entry",
        optimized="prefetch_related('authors')",
        example=_first_pk("blog.Blog"),
    ),
    SitePage(
        "Entries",
        "blog:entries",
        lazy="{{ entry.blog.name }} and entry.authors.all, per entry of the page",
        optimized="select_related('blog'), prefetch_related('authors')",
    ),
    SitePage(
        "An author",
        "blog:author",
        lazy="{{ entry.blog.name }} and the co-authors, per entry of the author",
        optimized="select_related('blog'), prefetch_related('authors')",
        example=_first_pk("blog.Author"),
    ),
    SitePage(
        "Books",
        "library:books",
        lazy="{{ book.author.name }} and {{ book.author.hometown.name }}, per book",
        optimized="select_related('author__hometown')",
    ),
    SitePage(
        "Pizzeria menu",
        "pizzeria:menu",
        lazy="the best pizza, the pizzas and each pizza's toppings, per restaurant",
        optimized="select_related('best_pizza'), prefetch_related('pizzas__toppings')",
    ),
)


def page(url_name: str) -> SitePage:
    """The page named ``url_name`` (``"blog:entries"``); ``LookupError`` naming the known ones."""
    for site_page in PAGES:
        if site_page.url_name == url_name:
            return site_page
    raise LookupError(f"No page {url_name!r}; the pages are {', '.join(p.url_name for p in PAGES)}.")
