"""Per-blog statistics: an ``annotate`` over every entry, cached with ``cache.get_or_set`` and
dropped from the cache when an entry or a blog changes.

    cached_blog_stats()   # the first call runs the query and stores the result; later calls: 0 queries

Invalidation runs when the transaction that saved the row commits (``transaction.on_commit``): a
request that read the stats between the save and the commit cached the old numbers, and deleting
the key only after the commit removes that stale copy too. ``QuerySet.update()`` and
``bulk_create()`` send no signals: call :func:`invalidate_blog_stats` after them.
"""

import datetime
from typing import Any, TypedDict, cast

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from tutorial_site.workers.statistics import FIGURES, annotated_blogs

STATS_KEY = "scaling:blog-stats"
STATS_TIMEOUT = 10 * 60  # seconds; invalidation keeps it right, the timeout bounds any mistake


class BlogStats(TypedDict):
    """What :func:`blog_stats` returns: when it was computed, and one row per blog."""

    computed_at: datetime.datetime
    blogs: list[dict[str, Any]]


def blog_stats() -> BlogStats:
    """Every blog's figures (entries, comments, pingbacks, mean rating, latest entry), by name: the
    one GROUP BY query of :func:`~tutorial_site.workers.statistics.annotated_blogs`, which the
    statistics task also runs."""
    rows = annotated_blogs().order_by("name", "id").values("id", "name", *FIGURES)
    return {"computed_at": timezone.now(), "blogs": list(rows)}


def cached_blog_stats() -> BlogStats:
    """:func:`blog_stats` from the cache, computed and stored on a miss."""
    return cast(BlogStats, cache.get_or_set(STATS_KEY, blog_stats, STATS_TIMEOUT))


def invalidate_blog_stats(using: str | None = None) -> None:
    """Drop the cached stats once the current transaction on ``using`` commits (at once outside one)."""
    transaction.on_commit(lambda: cache.delete(STATS_KEY), using=using)


def on_change(sender: type, using: str | None = None, **kwargs: Any) -> None:
    """The ``post_save``/``post_delete`` receiver for :class:`Blog` and :class:`Entry`."""
    invalidate_blog_stats(using)
