"""Paginated pages: the ``?page=`` parameter and the page of rows it names."""

from typing import Any

from django import forms
from django.core.paginator import EmptyPage, Page, Paginator
from django.http import Http404

from .strategy import PageQuery


class PagedQuery(PageQuery):
    """``?strategy=`` and ``?page=`` (a whole number from 1)."""

    page = forms.IntegerField(
        required=False, min_value=1, error_messages={"invalid": "a page is a whole number, like 2."}
    )


def page_of(rows: Any, number: int | None, per_page: int) -> Page:
    """Page ``number`` (default 1) of ``rows``; 404 naming the last page when it is past the end."""
    paginator = Paginator(rows, per_page)
    try:
        return paginator.page(number or 1)
    except EmptyPage:
        raise Http404(f"There is no page {number}: the list has {paginator.num_pages}.") from None
