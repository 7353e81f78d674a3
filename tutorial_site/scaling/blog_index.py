"""The rows of the blog index (name, number of entries, latest headline), lazily or in one query.

The page under load in notebook 07 and ``bench/scaling.py``; ``?strategy=lazy`` runs 1 + 2N queries
(a count and a "latest entry" query per blog), ``?strategy=optimized`` one query with a subquery.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery

from tutorial_site.blog.models import Blog, Entry

STRATEGIES = ("lazy", "optimized")


@dataclass(frozen=True)
class BlogRow:
    name: str
    entries: int
    latest: str | None  # the headline of the blog's most recent entry


def blog_rows(strategy: str = "optimized") -> list[BlogRow]:
    """One :class:`BlogRow` per blog, by name; ``ValueError`` for an unknown ``strategy``."""
    if strategy == "lazy":
        rows = []
        for blog in Blog.objects.order_by("name", "id"):
            latest = blog.entry_set.order_by("-pub_date", "-id").first()
            rows.append(BlogRow(blog.name, blog.entry_set.count(), latest.headline if latest else None))
        return rows
    if strategy == "optimized":
        newest = Entry.objects.filter(blog=OuterRef("pk")).order_by("-pub_date", "-id").values("headline")[:1]
        blogs = Blog.objects.annotate(entries=Count("entry"), latest=Subquery(newest)).order_by("name", "id")
        return [BlogRow(b.name, b.entries, b.latest) for b in blogs]
    raise ValueError(f"Unknown strategy {strategy!r}: use one of {', '.join(STRATEGIES)}.")
