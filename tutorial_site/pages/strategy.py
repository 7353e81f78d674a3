"""``?strategy=lazy|optimized`` and the other query parameters of a page, read with a Django form.

    @page_view
    def entry_list(request):
        query = read_query(request, EntryListQuery)   # a bad value: a 400 page that says why
        entries = entries_for(query["strategy"], ...)
        return render(request, "blog/entry_list.html", {"entries": entries, "strategy": query["strategy"]})

Views call ``render()`` themselves, so that the statements their templates run are attributed to
the view's line: the profiler names the innermost frame of the project's own code.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class Strategy(StrEnum):
    """How a page loads the relations its template reads."""

    LAZY = "lazy"
    OPTIMIZED = "optimized"

    @property
    def description(self) -> str:
        if self is Strategy.LAZY:
            return "the first version: the template loads each row's relations, one query at a time"
        return "the fixed version: the view loads the relations up front, a few queries in all"


DEFAULT_STRATEGY = Strategy.OPTIMIZED


class PageQuery(forms.Form):
    """The query parameters every page takes; pages subclass it to add their own."""

    strategy = forms.TypedChoiceField(
        choices=[(strategy.value, strategy.value) for strategy in Strategy],
        coerce=Strategy,
        required=False,
        empty_value=DEFAULT_STRATEGY,
        error_messages={
            "invalid_choice": "not a strategy; use ?strategy=lazy (the first version, with its N+1 "
            "queries) or ?strategy=optimized (the fixed one)."
        },
    )


class BadPageRequest(Exception):
    """The page's query parameters are wrong; ``errors`` says what is wrong with each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def read_query(request: HttpRequest, form_class: type[PageQuery] = PageQuery) -> dict[str, Any]:
    """The page's validated query parameters; :class:`BadPageRequest` naming each bad one."""
    form = form_class(request.GET)
    if form.is_valid():
        return form.cleaned_data
    errors = [
        f"{name}={request.GET.get(name, '')!r}: {message}"
        for name, messages in form.errors.items()
        for message in messages
    ]
    raise BadPageRequest(errors)


def page_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page view whose :class:`BadPageRequest` becomes a 400 page listing what to fix."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadPageRequest as error:
            return render(request, "pages/bad_request.html", {"errors": error.errors}, status=400)

    return wrapper
