"""The blog's pages, each with a ``lazy`` and an ``optimized`` version (``?strategy=``).

The ``*_for`` functions hold the difference: the lazy branch returns the queryset as one first
writes it, and the template then reads each row's relations (one query per row and relation);
the optimized branch loads them up front. The templates are the same for both.
"""

from django import forms
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tutorial_site.pages.paging import PagedQuery, page_of
from tutorial_site.pages.strategy import Strategy, page_view, read_query

from .models import Author, Blog, Entry

ENTRIES_PER_PAGE = 25


def blogs_for(strategy: Strategy) -> QuerySet[Blog]:
    """The blog index: every blog and its number of entries."""
    blogs = Blog.objects.order_by("name", "id")
    if strategy is Strategy.LAZY:
        return blogs  # the template counts each blog's entries: {{ blog.entry_set.count }}
    return blogs.annotate(entry_count=Count("entry"))  # the template reads {{ blog.entry_count }}


def blog_entries_for(strategy: Strategy, blog: Blog) -> QuerySet[Entry]:
    """A blog's page: its entries with their authors (each entry already knows its blog)."""
    entries = blog.entry_set.order_by("-pub_date", "id")
    if strategy is Strategy.LAZY:
        return entries  # the template reads entry.authors.all: one query per entry
    return entries.prefetch_related("authors")


def entries_for(strategy: Strategy, entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """The entry list and an author's page: entries with their blog and their authors."""
    entries = entries.order_by("-pub_date", "id")
    if strategy is Strategy.LAZY:
        return entries  # {{ entry.blog.name }} and entry.authors.all: two queries per entry
    return entries.select_related("blog").prefetch_related("authors")


@page_view
def blog_index(request: HttpRequest) -> HttpResponse:
    query = read_query(request)
    strategy = query["strategy"]
    return render(request, "blog/blog_index.html", {"blogs": blogs_for(strategy), "strategy": strategy})


@page_view
def blog_detail(request: HttpRequest, pk: int) -> HttpResponse:
    query = read_query(request)
    blog = get_object_or_404(Blog, pk=pk)
    strategy = query["strategy"]
    entries = blog_entries_for(strategy, blog)
    return render(request, "blog/blog_detail.html", {"blog": blog, "entries": entries, "strategy": strategy})


@page_view
def author_detail(request: HttpRequest, pk: int) -> HttpResponse:
    query = read_query(request)
    author = get_object_or_404(Author, pk=pk)
    strategy = query["strategy"]
    entries = entries_for(strategy, author.entry_set.all())
    context = {"author": author, "entries": entries, "strategy": strategy}
    return render(request, "blog/author_detail.html", context)


class EntryListQuery(PagedQuery):
    """The entry list's filters: ``?year=2008&author=3&page=2``."""

    year = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=9999,
        error_messages={"invalid": "a year is a whole number, like 2008."},
    )
    author = forms.ModelChoiceField(
        queryset=Author.objects.all(),
        required=False,
        error_messages={"invalid_choice": "there is no author with the id %(value)s."},
    )


@page_view
def entry_list(request: HttpRequest) -> HttpResponse:
    query = read_query(request, EntryListQuery)
    entries = Entry.objects.all()
    if query["year"] is not None:
        entries = entries.filter(pub_date__year=query["year"])
    if query["author"] is not None:
        entries = entries.filter(authors=query["author"])
    page = page_of(entries_for(query["strategy"], entries), query["page"], ENTRIES_PER_PAGE)
    years = [day.year for day in Entry.objects.dates("pub_date", "year")]
    context = {
        "page_obj": page,
        "entries": page.object_list,
        "years": years,
        "filters": query,
        "strategy": query["strategy"],
    }
    return render(request, "blog/entry_list.html", context)
