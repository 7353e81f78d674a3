"""Exercises of notebook 02 (select_related vs prefetch_related)."""

from tutorial_site.blog.models import Entry

from .core import Exercise, register


def entry_cards_reference() -> list[tuple[str, str, list[str]]]:
    """The first 20 entries by id: headline, blog name and the sorted author names."""
    entries = Entry.objects.select_related("blog").prefetch_related("authors").order_by("id")[:20]
    return [(e.headline, e.blog.name, sorted(a.name for a in e.authors.all())) for e in entries]


def _unsorted_authors(got: list, expected: list) -> str | None:
    """Every card is right but for the order of its author names."""
    if len(got) == len(expected) and all(
        len(g) == 3 and sorted(g[2]) == list(e[2]) and tuple(g[:2]) == tuple(e[:2])
        for g, e in zip(got, expected, strict=True)
    ):
        return "The author names are right but not in alphabetical order: sort them with sorted(...)"
    return None


def _fewer_cards(got: list, expected: list) -> str | None:
    """The cards are the first ones, but fewer than 20."""
    if 0 < len(got) < len(expected) and [tuple(g) for g in got] == [tuple(e) for e in expected[: len(got)]]:
        return f"These are the first {len(got)} cards: keep the first 20 entries, .order_by('id')[:20]"
    return None


register(
    Exercise(
        id="02.1",
        title="Entry cards: headline, blog name and authors of the first 20 entries",
        reference=entry_cards_reference,
        max_queries=2,
        noun="cards",
        ordered=True,
        key=lambda card: card[0],
        diagnoses=(_unsorted_authors, _fewer_cards),
        budget_hint=(
            "join the blog with select_related('blog') and fetch every author in one more "
            "query with prefetch_related('authors')"
        ),
    )
)
