"""Exercises of notebook 02 (select_related vs prefetch_related)."""

from tutorial_site.blog.models import Entry

from .core import Exercise, register


def entry_cards_reference() -> list[tuple[str, str, list[str]]]:
    """The first 20 entries by id: headline, blog name and the sorted author names."""
    entries = Entry.objects.select_related("blog").prefetch_related("authors").order_by("id")[:20]
    return [(e.headline, e.blog.name, sorted(a.name for a in e.authors.all())) for e in entries]


def _unsorted_authors(got: list, expected: list) -> str | None:
    if len(got) == len(expected) and all(
        len(g) == 3 and sorted(g[2]) == list(e[2]) and g[:2] == e[:2]
        for g, e in zip(got, expected, strict=True)
    ):
        return "the author names are right but not sorted: use sorted(...)"
    return None


def _not_first_twenty(got: list, expected: list) -> str | None:
    if len(got) != len(expected):
        return "keep the first 20 entries by id: .order_by('id')[:20]"
    return None


register(
    Exercise(
        id="02.1",
        title="Entry cards: headline, blog name and authors of the first 20 entries",
        reference=entry_cards_reference,
        max_queries=2,
        noun="entries",
        ordered=True,
        diagnoses=(_not_first_twenty, _unsorted_authors),
        budget_hint=(
            "join the blog with select_related('blog') and fetch every author in one more "
            "query with prefetch_related('authors')"
        ),
    )
)
