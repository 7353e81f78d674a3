"""Exercises of notebook 04 (exclude semantics)."""

import datetime

from django.db.models import Max

from tutorial_site.blog.models import Blog, Entry

from .core import Exercise, Mistake, register

ANY_VS_NONE = (
    "filter(entry__...) keeps a blog when ANY of its entries matches, so a blog with one quiet entry "
    "is kept even if another has more than 197 comments, and a blog without entries is dropped; "
    "exclude(entry__number_of_comments__gt=197) asks that NONE has"
)

register(
    Exercise(
        id="04.1",
        title="Blogs none of whose entries has more than 197 comments",
        reference=lambda: Blog.objects.exclude(entry__number_of_comments__gt=197),
        max_queries=1,
        noun="blogs",
        mistakes=(
            Mistake(lambda: Blog.objects.filter(entry__number_of_comments__lte=197).distinct(), ANY_VS_NONE),
            Mistake(
                lambda: Blog.objects.filter(entry__number_of_comments__lte=197),
                ANY_VS_NONE + " (and the join repeats a blog once per matching entry)",
            ),
            Mistake(
                lambda: Blog.objects.exclude(entry__number_of_comments__gte=197),
                "The missing blogs' busiest entries have exactly 197 comments: 'more than 197' is "
                "__gt=197; __gte=197 also drops 197",
            ),
            Mistake(
                lambda: Blog.objects.annotate(busiest=Max("entry__number_of_comments")).filter(
                    busiest__lte=197
                ),
                "The missing blog has no entries: its Max() is NULL, and NULL <= 197 is not true in SQL, "
                "so the filter drops it; exclude() keeps it",
            ),
        ),
    )
)


EARLY = datetime.date(2004, 4, 1)
ONLY_ENTRIES_WITH_BOTH = (
    "Exclude only the entries that match both: exclude(entry__in=Entry.objects.filter(...))"
)


def early_busy_entries():
    """The entries that match both conditions of exercise 04.2."""
    return Entry.objects.filter(pub_date__lt=EARLY, number_of_comments__gt=195)


register(
    Exercise(
        id="04.2",
        title="Blogs without a single entry from before 2004-04-01 that has more than 195 comments",
        reference=lambda: Blog.objects.exclude(entry__in=early_busy_entries()),
        max_queries=1,
        noun="blogs",
        mistakes=(
            Mistake(
                lambda: Blog.objects.exclude(entry__pub_date__lt=EARLY, entry__number_of_comments__gt=195),
                "The missing blogs have an entry from before 2004-04-01 and an entry with more than 195 "
                "comments, but no single entry with both, which is what exclude(entry__a, entry__b) gives "
                "(and filter(~Q(...))): each condition is tested on any entry. " + ONLY_ENTRIES_WITH_BOTH,
            ),
            Mistake(
                lambda: Blog.objects.exclude(entry__pub_date__lt=EARLY).exclude(
                    entry__number_of_comments__gt=195
                ),
                "Only the blogs with no entry from before 2004-04-01 and no entry over 195 comments are "
                "left, which is what two exclude() calls give: each drops every blog with any entry that "
                "matches it. " + ONLY_ENTRIES_WITH_BOTH,
            ),
            Mistake(
                lambda: Blog.objects.exclude(entry__pub_date__lt=EARLY),
                "These are the blogs with no entry from before 2004-04-01: the comments condition is "
                "missing. " + ONLY_ENTRIES_WITH_BOTH,
            ),
            Mistake(
                lambda: Blog.objects.exclude(entry__number_of_comments__gt=195),
                "These are the blogs with no entry over 195 comments: the date condition is missing. "
                + ONLY_ENTRIES_WITH_BOTH,
            ),
        ),
    )
)


register(
    Exercise(
        id="04.3",
        title="Entries that have a summary which does not mention 'the'",
        reference=lambda: Entry.objects.filter(summary__isnull=False).exclude(summary__icontains="the"),
        max_queries=1,
        noun="entries",
        mistakes=(
            Mistake(
                lambda: Entry.objects.exclude(summary__icontains="the"),
                "The extra entries have no summary (NULL): exclude() keeps NULL rows, since NULL does not "
                "contain 'the' either; add filter(summary__isnull=False)",
            ),
            Mistake(
                lambda: Entry.objects.filter(summary__isnull=False).exclude(summary__contains="the"),
                "The extra entries mention 'the' only with capitals ('The'): __contains is case-sensitive "
                "on PostgreSQL (SQLite's LIKE ignores the case of ASCII letters); use __icontains",
            ),
        ),
    )
)
