"""The scaling lab's pages: cached pages that show when they were rendered, cached statistics, and a
write followed by a read in one request. (The page under load is the site's own blog index,
``/blog/?strategy=lazy|optimized``, in ``tutorial_site/blog/views.py``.)"""

from django.conf import settings
from django.db import router
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_cookie

from tutorial_site.blog.models import Entry
from tutorial_site.pages.strategy import Strategy

from .stats import blog_stats, cached_blog_stats, invalidate_blog_stats

PAGE_TIMEOUT = 60  # seconds a cached page is served before it is rendered again


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "scaling/index.html", {"strategies": list(Strategy), "debug": settings.DEBUG})


def _timestamped(request: HttpRequest, title: str) -> HttpResponse:
    context = {"title": title, "rendered_at": timezone.now(), "stats": blog_stats()["blogs"]}
    return render(request, "scaling/cached.html", context)


@cache_page(PAGE_TIMEOUT)
@vary_on_cookie
def cached(request: HttpRequest) -> HttpResponse:
    """Cached for a minute, one copy per ``Cookie`` header: each logged-in user gets their own."""
    return _timestamped(request, "A cached page (Vary: Cookie)")


@cache_page(PAGE_TIMEOUT)
def cached_without_vary(request: HttpRequest) -> HttpResponse:
    """The mistake, on development sites only: the first visitor's copy (name, CSRF token) is
    served to everyone, because the session middleware adds ``Vary: Cookie`` after the per-view
    cache has stored the page."""
    if not settings.DEBUG:
        raise Http404("This demonstration of a cache leak runs only with DEBUG on.")
    return _timestamped(request, "A cached page without Vary: Cookie")


def stats(request: HttpRequest) -> HttpResponse:
    """Per-blog statistics from the low-level cache; rendered every time, computed on a miss."""
    return render(
        request, "scaling/stats.html", {"stats": cached_blog_stats(), "rendered_at": timezone.now()}
    )


@require_POST
def add_comment(request: HttpRequest, pk: int) -> JsonResponse:
    """Count one more comment on an entry (a write), then read the entry back (a read).

    ``read_from`` names the database that answered the read: the primary when the request's reads
    follow its writes (the read-your-writes middleware), else the replica, which may not have the
    new count yet.
    """
    entries = Entry.objects.filter(pk=pk)
    if not entries.update(number_of_comments=F("number_of_comments") + 1):
        raise Http404(f"No entry with id {pk}.")
    invalidate_blog_stats(using=router.db_for_write(Entry))  # update() sends no post_save signal
    entry = get_object_or_404(Entry.objects.only("number_of_comments"), pk=pk)
    return JsonResponse(
        {"id": pk, "number_of_comments": entry.number_of_comments, "read_from": entry._state.db}
    )
