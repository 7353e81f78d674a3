"""Exercises of notebook 03 (annotate vs values)."""

from django.db.models import Avg, Count, Sum
from django.db.models.functions import ExtractMonth

from tutorial_site.blog.models import Blog, Entry

from .core import Exercise, Mistake, register


def _per_month(entries):
    return (
        entries.values(month=ExtractMonth("pub_date"))
        .annotate(entries=Count("id"), comments=Sum("number_of_comments"))
        .order_by("month")
    )


register(
    Exercise(
        id="03.1",
        title="Entries and comments per month of 2008",
        reference=lambda: _per_month(Entry.objects.filter(pub_date__year=2008)),
        max_queries=1,
        noun="months",
        ordered=True,
        key=lambda row: row.get("month"),
        mistakes=(
            Mistake(
                lambda: _per_month(Entry.objects.all()),
                "These numbers add up the entries of every year: keep 2008's with "
                "filter(pub_date__year=2008) before grouping",
            ),
            Mistake(
                lambda: (
                    Entry.objects.filter(pub_date__year=2008)
                    .annotate(entries=Count("id"), comments=Sum("number_of_comments"))
                    .values("entries", "comments", month=ExtractMonth("pub_date"))
                ),
                "That is one row per entry, each counting 1: annotate() before values() computes per "
                "entry; call values(month=...) BEFORE annotate() so that the month is the GROUP BY",
            ),
        ),
    )
)


def _per_blog(entries, authors):
    return Blog.objects.annotate(entries=entries, authors=authors).values_list("name", "entries", "authors")


register(
    Exercise(
        id="03.2",
        title="Per blog: entries and distinct authors",
        reference=lambda: _per_blog(Count("entry", distinct=True), Count("entry__authors", distinct=True)),
        max_queries=1,
        noun="blogs",
        key=lambda row: row[0],
        mistakes=(
            Mistake(
                lambda: _per_blog(Count("entry"), Count("entry__authors", distinct=True)),
                "The entry counts are too high: the join to the authors repeats each entry once per "
                "author; use Count('entry', distinct=True)",
            ),
            Mistake(
                lambda: _per_blog(Count("entry", distinct=True), Count("entry__authors")),
                "The author counts are (entry, author) pairs: an author who wrote several entries is "
                "counted for each; use Count('entry__authors', distinct=True)",
            ),
            Mistake(
                lambda: _per_blog(Count("entry"), Count("entry__authors")),
                "Both counts are the number of (entry, author) pairs: the entries are repeated once per "
                "author by the join, and each author once per entry; use distinct=True in both Counts",
            ),
        ),
        budget_hint="one annotate() with two Counts computes both in a single query",
    )
)


def _per_row(got: object, expected: object) -> str | None:
    if isinstance(got, list) and isinstance(expected, dict):
        return "aggregate() returns one dict for the whole queryset; annotate() gives one value per row"
    return None


register(
    Exercise(
        id="03.3",
        title="Total comments and average rating over all entries",
        reference=lambda: Entry.objects.aggregate(comments=Sum("number_of_comments"), rating=Avg("rating")),
        max_queries=1,
        noun="results",
        mistakes=(
            Mistake(
                lambda: Entry.objects.aggregate(Sum("number_of_comments"), Avg("rating")),
                "Unnamed aggregates get keys made from the field and the function: name them, "
                "aggregate(comments=..., rating=...)",
            ),
        ),
        diagnoses=(_per_row,),
        budget_hint="aggregate() computes both numbers in one query",
    )
)
