"""Per-blog statistics: one ``annotate`` query computes them, one transaction stores them."""

import time
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Max, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from tutorial_site.blog.models import Blog

from .models import BlogStatistics

FIGURES = ("entries", "comments", "pingbacks", "mean_rating", "latest_entry")


def annotated_blogs(blogs: QuerySet[Blog] | None = None) -> QuerySet[Blog]:
    """``blogs`` (every blog by default) with their figures, in one query grouped by blog.

    Every aggregate follows the single join to ``blog_entry``, so none is multiplied by another
    join (counting authors here too would double the counts; see notebook 03).
    """
    queryset = Blog.objects.all() if blogs is None else blogs
    return queryset.annotate(
        entries=Count("entry"),
        comments=Coalesce(Sum("entry__number_of_comments"), 0),
        pingbacks=Coalesce(Sum("entry__number_of_pingbacks"), 0),
        mean_rating=Avg("entry__rating"),
        latest_entry=Max("entry__pub_date"),
    ).order_by("pk")


def store_statistics(
    blogs: QuerySet[Blog] | None = None, *, task_id: str = "", hold: float = 0.0
) -> list[BlogStatistics]:
    """Recompute the figures of ``blogs`` and write them (insert or overwrite) in one transaction.

    ``hold`` keeps that transaction open so many seconds before it commits: long work that the lab
    interrupts to show that a crash commits nothing. Returns the rows written.
    """
    now = timezone.now()
    rows = [
        BlogStatistics(
            blog_id=blog.pk,
            computed_at=now,
            task_id=task_id,
            **{name: getattr(blog, name) for name in FIGURES},
        )
        for blog in annotated_blogs(blogs)
    ]
    with transaction.atomic():
        BlogStatistics.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["blog"],
            update_fields=[*FIGURES, "computed_at", "task_id"],
        )
        if hold:
            time.sleep(hold)
    return rows


def summary(rows: list[BlogStatistics]) -> dict[str, Any]:
    """What a task returns: how many blogs, entries and comments the rows cover."""
    return {
        "blogs": len(rows),
        "entries": sum(row.entries for row in rows),
        "comments": sum(row.comments for row in rows),
    }
