"""Exercises of notebook 04 (exclude semantics)."""

from django.db.models import Q

from tutorial_site.blog.models import Blog, Entry

from .core import Exercise, register


def _any_vs_none(got: list, expected: list) -> str | None:
    # One statement for the whole answer, not one per blog.
    answered = Blog.objects.filter(pk__in=[b.pk for b in got])
    busy = answered.filter(entry__number_of_comments__gt=197).distinct().count()
    if busy:
        return (
            f"{busy} of the returned blogs do have an entry with more than 197 comments: "
            "filter(entry__...) keeps a blog when ANY entry matches; exclude() asks that NONE does"
        )
    empty = Blog.objects.filter(pk__in=[b.pk for b in expected], entry__isnull=True)
    if len(got) < len(expected) and empty.exists():
        return "blogs with no entries are missing: they have no entry with more than 197 comments"
    return None


register(
    Exercise(
        id="04.1",
        title="Blogs none of whose entries has more than 197 comments",
        reference=lambda: Blog.objects.exclude(entry__number_of_comments__gt=197),
        max_queries=1,
        noun="blogs",
        diagnoses=(_any_vs_none,),
    )
)

LENNON_2008 = Q(headline__contains="Lennon", pub_date__year=2008)


def _split_conditions(got: list, expected: list) -> str | None:
    missing = {b.pk for b in expected} - {b.pk for b in got}
    if missing:
        names = ", ".join(sorted(b.name for b in expected if b.pk in missing))
        return (
            f"{names} is missing: exclude(entry__a, entry__b) drops a blog when one entry "
            "matches a and another entry matches b; exclude the matching entries instead "
            "(entry__in=...)"
        )
    return None


register(
    Exercise(
        id="04.2",
        title="Blogs without any single 2008 entry mentioning Lennon",
        reference=lambda: Blog.objects.exclude(entry__in=Entry.objects.filter(LENNON_2008)),
        max_queries=1,
        noun="blogs",
        diagnoses=(_split_conditions,),
    )
)


def _nulls_kept(got: list, expected: list) -> str | None:
    nulls = sum(1 for e in got if e.summary is None)
    if nulls:
        return (
            f"{nulls} entries without a summary (NULL) are included: exclude() keeps NULL rows; "
            "add filter(summary__isnull=False)"
        )
    return None


register(
    Exercise(
        id="04.3",
        title="Entries that have a summary which does not mention 'the'",
        reference=lambda: Entry.objects.filter(summary__isnull=False).exclude(summary__icontains="the"),
        max_queries=1,
        noun="entries",
        diagnoses=(_nulls_kept,),
    )
)
