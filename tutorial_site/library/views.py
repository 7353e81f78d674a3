"""The library's page, with a ``lazy`` and an ``optimized`` version (``?strategy=``): every book
with its author and the author's hometown, two foreign keys deep."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tutorial_site.pages.paging import PagedQuery, page_of
from tutorial_site.pages.strategy import Strategy, page_view, read_query

from .models import Book

BOOKS_PER_PAGE = 50


def books_for(strategy: Strategy) -> QuerySet[Book]:
    """Books by title, as the template shows them: with author and the author's hometown."""
    books = Book.objects.order_by("title", "id")
    if strategy is Strategy.LAZY:
        return books  # {{ book.author.name }}, {{ book.author.hometown.name }}: two queries per book
    return books.select_related("author__hometown")


@page_view
def book_list(request: HttpRequest) -> HttpResponse:
    query = read_query(request, PagedQuery)
    page = page_of(books_for(query["strategy"]), query["page"], BOOKS_PER_PAGE)
    context = {"page_obj": page, "books": page.object_list, "strategy": query["strategy"]}
    return render(request, "library/book_list.html", context)
