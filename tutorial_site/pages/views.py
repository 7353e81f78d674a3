"""The home page: every page of the site, in its lazy and its optimized version."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .catalog import PAGES
from .strategy import Strategy


def home(request: HttpRequest) -> HttpResponse:
    """The list of pages; it runs no SQL (object pages are reached from the lists)."""
    listed = [site_page for site_page in PAGES if not site_page.needs_object]
    reached = [site_page for site_page in PAGES if site_page.needs_object]
    return render(
        request, "pages/home.html", {"listed": listed, "reached": reached, "strategies": list(Strategy)}
    )
