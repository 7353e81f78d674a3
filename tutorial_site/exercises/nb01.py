"""Exercises of notebook 01 (queryset basics)."""

from django.db.models import Count

from tutorial_site.blog.models import Author, Blog, Entry

from .core import Exercise, Mistake, register


def _entries_of_2006():
    return Entry.objects.filter(pub_date__year=2006).values_list("headline", "number_of_comments")


register(
    Exercise(
        id="01.1",
        title="The five most-commented entries of 2006",
        reference=lambda: _entries_of_2006().order_by("-number_of_comments", "headline")[:5],
        max_queries=1,
        noun="entries",
        ordered=True,
        mistakes=(
            Mistake(
                lambda: _entries_of_2006().order_by("-number_of_comments", "headline"),
                "That is every entry of 2006: slice the ordered queryset with [:5] to keep the first five",
            ),
            Mistake(
                lambda: _entries_of_2006().order_by("number_of_comments", "headline")[:5],
                "These are the five least commented: order by '-number_of_comments' (the minus sign "
                "sorts in descending order)",
            ),
        ),
    )
)


register(
    Exercise(
        id="01.2",
        title="Every blog with its number of entries",
        reference=lambda: Blog.objects.annotate(n=Count("entry")).values_list("name", "n"),
        max_queries=1,
        noun="blogs",
        key=lambda row: row[0],
        mistakes=(
            Mistake(
                lambda: (
                    Blog.objects.filter(entry__isnull=False)
                    .annotate(n=Count("entry"))
                    .values_list("name", "n")
                ),
                "The missing blogs are the ones without entries: a condition or a count that starts "
                "from the entries (an inner join) only sees blogs that have some; "
                "Blog.objects.annotate(n=Count('entry')) keeps them, with 0",
            ),
            Mistake(
                lambda: Blog.objects.annotate(n=Count("entry__authors")).values_list("name", "n"),
                "These numbers count (entry, author) pairs, which is what Count('entry__authors') gives: "
                "it follows every author of every entry; count 'entry'",
            ),
        ),
        budget_hint="count in the database with annotate(n=Count('entry')), not per blog",
    )
)


def _authors_of_2008():
    return Author.objects.filter(entry__pub_date__year=2008).values_list("name", flat=True)


register(
    Exercise(
        id="01.3",
        title="Names of the authors who wrote in 2008, alphabetically, each once",
        reference=lambda: _authors_of_2008().distinct().order_by("name"),
        max_queries=1,
        noun="names",
        ordered=True,
        mistakes=(
            Mistake(
                lambda: _authors_of_2008().order_by("name"),
                "Each name comes back once per 2008 entry of that author, which is what the join through "
                "the entries gives: it repeats the author for every match; add .distinct()",
            ),
            Mistake(
                lambda: _authors_of_2008().distinct().order_by("-name"),
                "These are in reverse alphabetical order: order_by('name'), without the minus sign",
            ),
        ),
    )
)
