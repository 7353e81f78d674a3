"""Exercises of notebook 01 (queryset basics)."""

from django.db.models import Count

from tutorial_site.blog.models import Author, Blog, Entry

from .core import Exercise, register


def _not_sliced(got: list, expected: list) -> str | None:
    if len(got) > len(expected):
        return f"keep only the first {len(expected)}: slice the ordered queryset with [:5]"
    return None


def _ascending(got: list, expected: list) -> str | None:
    counts = [row[1] for row in got]
    if counts and counts == sorted(counts) and counts[0] < expected[0][1]:
        return "these are the least commented: order by '-number_of_comments' (descending)"
    return None


register(
    Exercise(
        id="01.1",
        title="The five most-commented entries of 2006",
        reference=lambda: (
            Entry.objects.filter(pub_date__year=2006)
            .order_by("-number_of_comments", "headline")
            .values_list("headline", "number_of_comments")[:5]
        ),
        max_queries=1,
        noun="entries",
        ordered=True,
        diagnoses=(_not_sliced, _ascending),
    )
)


def _empty_blogs_missing(got: list, expected: list) -> str | None:
    got_names = {row[0] for row in got}
    missing = [row for row in expected if row[0] not in got_names]
    if missing and all(row[1] == 0 for row in missing):
        return (
            "blogs with no entries are missing (a filter on entry__ drops them; "
            "annotate(n=Count('entry')) on Blog keeps them with 0)"
        )
    return None


def _counts_inflated(got: list, expected: list) -> str | None:
    expected_counts = dict(expected)
    if any(count > expected_counts.get(name, count) for name, count in got):
        return "some counts are too high: count 'entry', and do not join other relations"
    return None


register(
    Exercise(
        id="01.2",
        title="Every blog with its number of entries",
        reference=lambda: Blog.objects.annotate(n=Count("entry")).values_list("name", "n"),
        max_queries=1,
        noun="blogs",
        diagnoses=(_empty_blogs_missing, _counts_inflated),
        budget_hint="count in the database with annotate(n=Count('entry')), not per blog",
    )
)


def _duplicates(got: list, expected: list) -> str | None:
    if len(got) > len(set(got)) and set(got) == set(expected):
        return (
            "names are repeated, once per matching entry: the join through entries multiplies "
            "rows; add .distinct()"
        )
    return None


register(
    Exercise(
        id="01.3",
        title="Names of the authors who wrote in 2008, alphabetically, each once",
        reference=lambda: (
            Author.objects.filter(entry__pub_date__year=2008)
            .values_list("name", flat=True)
            .distinct()
            .order_by("name")
        ),
        max_queries=1,
        noun="names",
        ordered=True,
        diagnoses=(_duplicates,),
    )
)
