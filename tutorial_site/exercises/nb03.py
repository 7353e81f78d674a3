"""Exercises of notebook 03 (annotate vs values)."""

from django.db.models import Avg, Count, Sum
from django.db.models.functions import ExtractYear

from tutorial_site.blog.models import Blog, Entry

from .core import Exercise, register


def _not_grouped(got: list, expected: list) -> str | None:
    if len(got) > 10 * len(expected):
        return (
            "one row per entry instead of one per year: call values(year=...) BEFORE annotate() "
            "so that the annotation is computed per group"
        )
    return None


register(
    Exercise(
        id="03.1",
        title="Entries per publication year",
        reference=lambda: (
            Entry.objects.values(year=ExtractYear("pub_date")).annotate(entries=Count("id")).order_by("year")
        ),
        max_queries=1,
        noun="years",
        ordered=True,
        diagnoses=(_not_grouped,),
    )
)


def _double_count(got: list, expected: list) -> str | None:
    expected_rows = {row[0]: row for row in expected}
    if any(row[1] > expected_rows[row[0]][1] for row in got if row[0] in expected_rows):
        return (
            "the entry counts are inflated: the join to authors repeats each entry once per "
            "author; use Count('entry', distinct=True)"
        )
    if any(row[2] > expected_rows[row[0]][2] for row in got if row[0] in expected_rows):
        return "the author counts are inflated: an author writes many entries; use distinct=True"
    return None


register(
    Exercise(
        id="03.2",
        title="Per blog: entries and distinct authors",
        reference=lambda: Blog.objects.annotate(
            entries=Count("entry", distinct=True),
            authors=Count("entry__authors", distinct=True),
        ).values_list("name", "entries", "authors"),
        max_queries=1,
        noun="blogs",
        diagnoses=(_double_count,),
        budget_hint="one annotate() with two Counts computes both in a single query",
    )
)


def _per_row(got: object, expected: object) -> str | None:
    if isinstance(got, list):
        return "aggregate() returns one dict for the whole queryset; annotate() gives one per row"
    return None


register(
    Exercise(
        id="03.3",
        title="Total comments and average rating over all entries",
        reference=lambda: Entry.objects.aggregate(comments=Sum("number_of_comments"), rating=Avg("rating")),
        max_queries=1,
        noun="results",
        diagnoses=(_per_row,),
        budget_hint="aggregate() computes both numbers in one query",
    )
)
