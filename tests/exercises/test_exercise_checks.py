"""Each exercise of notebooks 01-04, graded on the small seed (seed 0).

A right answer passes. Each wrong answer below gets exactly the message shown: what differs (a count
and at most three rows), then a cause only where the rows are exactly what that cause gives. A right
result with too many queries fails on the budget; no answer reports NOT YET.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.db.models import Avg, Count, Max, Q, Sum
from django.db.models.functions import ExtractMonth

from tutorial_site.blog.models import Author, Blog, Entry
from tutorial_site.exercises import check, exercises
from tutorial_site.exercises.nb02 import entry_cards_reference
from tutorial_site.exercises.nb03 import _per_blog, _per_month
from tutorial_site.exercises.nb04 import EARLY
from tutorial_site.seeding import flush, generate, load


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        load(generate("small", 0), progress=False)
    yield
    with django_db_blocker.unblock():
        flush()


def _entries_2006():
    return Entry.objects.filter(pub_date__year=2006).values_list("headline", "number_of_comments")


def _authors_2008():
    return Author.objects.filter(entry__pub_date__year=2008).values_list("name", flat=True)


def _cards(entries, blog=lambda e: e.blog.name, authors=lambda e: sorted(a.name for a in e.authors.all())):
    return lambda: [(e.headline, blog(e), authors(e)) for e in entries]


RIGHT: dict[str, Callable[[], Any]] = {
    "01.1": lambda: _entries_2006().order_by("-number_of_comments", "headline")[:5],
    "01.2": lambda: Blog.objects.annotate(n=Count("entry")).values_list("name", "n"),
    "01.3": lambda: _authors_2008().distinct().order_by("name"),
    "02.1": lambda: entry_cards_reference,
    "03.1": lambda: _per_month(Entry.objects.filter(pub_date__year=2008)),
    "03.2": lambda: _per_blog(Count("entry", distinct=True), Count("entry__authors", distinct=True)),
    "03.3": lambda: lambda: Entry.objects.aggregate(comments=Sum("number_of_comments"), rating=Avg("rating")),
    "04.1": lambda: Blog.objects.exclude(entry__number_of_comments__gt=197),
    "04.2": lambda: Blog.objects.exclude(
        entry__in=Entry.objects.filter(pub_date__lt=EARLY, number_of_comments__gt=195)
    ),
    "04.3": lambda: Entry.objects.filter(summary__isnull=False).exclude(summary__icontains="the"),
}

# Right results, too many queries: one query per row (or per aggregate).
TOO_MANY_QUERIES: dict[str, Callable[[], Any]] = {
    "01.1": lambda: (
        lambda: [
            Entry.objects.filter(pk=e.pk).values_list("headline", "number_of_comments").get()
            for e in Entry.objects.filter(pub_date__year=2006).order_by("-number_of_comments", "headline")[:5]
        ]
    ),
    "01.2": lambda: lambda: [(b.name, b.entry_set.count()) for b in Blog.objects.all()],
    "01.3": lambda: (
        lambda: sorted(
            {a.name for a in Author.objects.all() if a.entry_set.filter(pub_date__year=2008).exists()}
        )
    ),
    "02.1": lambda: _cards(Entry.objects.order_by("id")[:20]),
    "03.1": lambda: (
        lambda: [
            {
                "month": m,
                "entries": Entry.objects.filter(pub_date__year=2008, pub_date__month=m).count(),
                "comments": Entry.objects.filter(pub_date__year=2008, pub_date__month=m).aggregate(
                    s=Sum("number_of_comments")
                )["s"],
            }
            for m in range(1, 13)
        ]
    ),
    "03.2": lambda: (
        lambda: [
            (b.name, b.entry_set.count(), Author.objects.filter(entry__blog=b).distinct().count())
            for b in Blog.objects.all()
        ]
    ),
    "03.3": lambda: (
        lambda: {
            "comments": Entry.objects.aggregate(c=Sum("number_of_comments"))["c"],
            "rating": Entry.objects.aggregate(r=Avg("rating"))["r"],
        }
    ),
    "04.1": lambda: (
        lambda: [b for b in Blog.objects.all() if not b.entry_set.filter(number_of_comments__gt=197).exists()]
    ),
    "04.2": lambda: (
        lambda: [
            b
            for b in Blog.objects.all()
            if not b.entry_set.filter(pub_date__lt=EARLY, number_of_comments__gt=195).exists()
        ]
    ),
    "04.3": lambda: (
        lambda: [
            e
            for e in Entry.objects.filter(summary__isnull=False)
            if not Entry.objects.filter(pk=e.pk, summary__icontains="the").exists()
        ]
    ),
}


@dataclass(frozen=True)
class W:
    """A wrong answer to an exercise and the exact message it gets."""

    exercise_id: str
    what: str
    answer: Callable[[], Any]
    message: str


# exclude(entry__a, entry__b) and filter(~Q(entry__a, entry__b)) are one query: one message.
ONE_EXCLUDE_FOR_TWO_CONDITIONS = (
    "Exercise 04.2: FAIL — returned 8 blogs instead of 21; 13 blogs are missing, e.g. 'Beatles "
    "Blog', 'Chang-Fisher Blog' and 'Cheddar Talk'. The missing blogs have an entry from before "
    "2004-04-01 and an entry with more than 195 comments, but no single entry with both, which is "
    "what exclude(entry__a, entry__b) gives (and filter(~Q(...))): each condition is tested on any "
    "entry. Exclude only the entries that match both: exclude(entry__in=Entry.objects.filter(...))."
)

WRONG_ANSWERS: list[W] = [
    W(
        "01.1",
        "every entry of 2006, not sliced",
        lambda: _entries_2006().order_by("-number_of_comments", "headline"),
        (
            "Exercise 01.1: FAIL — returned 348 entries instead of 5; 343 entries should not be "
            "there, e.g. ('Act if by few style', 146), ('Activity article act have edge …', 64) and "
            "('Activity investment education', 94). That is every entry of 2006: slice the ordered "
            "queryset with [:5] to keep the first five."
        ),
    ),
    W(
        "01.1",
        "least commented first",
        lambda: _entries_2006().order_by("number_of_comments", "headline")[:5],
        (
            "Exercise 01.1: FAIL — returned 5 entries as expected, but 5 entries are missing, e.g. "
            "('Individual yes free', 198), ('Or know its', 197) and ('Page deep idea consider work "
            "in…', 196); 5 entries should not be there, e.g. ('Degree feel available begin join', 1), "
            "('Director understand attention i…', 3) and ('Election that director walk won…', 1). "
            "These are the five least commented: order by '-number_of_comments' (the minus sign sorts "
            "in descending order)."
        ),
    ),
    W(
        "01.1",
        "ties not broken by headline",
        lambda: _entries_2006().order_by("-number_of_comments", "-headline")[:5],
        (
            "Exercise 01.1: FAIL — the right entries in the wrong order: row 4 is ('Tell laugh "
            "certainly', 196), expected ('Page deep idea consider work in…', 196)."
        ),
    ),
    W(
        "01.1",
        "the wrong year",
        lambda: (
            Entry.objects.filter(pub_date__year=2005)
            .order_by("-number_of_comments", "headline")
            .values_list("headline", "number_of_comments")[:5]
        ),
        (
            "Exercise 01.1: FAIL — returned 5 entries as expected, but 5 entries are missing, e.g. "
            "('Individual yes free', 198), ('Or know its', 197) and ('Page deep idea consider work "
            "in…', 196); 5 entries should not be there, e.g. ('Color information south write p…', "
            "194), ('Develop owner face front', 197) and ('Else family bar free great diff…', 197)."
        ),
    ),
    W(
        "01.2",
        "blogs without entries dropped",
        lambda: Entry.objects.values_list("blog__name").annotate(n=Count("id")),
        (
            "Exercise 01.2: FAIL — returned 23 blogs instead of 24; 1 blog is missing: ('Smith LLC "
            "Blog', 0). The missing blogs are the ones without entries: a condition or a count that "
            "starts from the entries (an inner join) only sees blogs that have some; "
            "Blog.objects.annotate(n=Count('entry')) keeps them, with 0."
        ),
    ),
    W(
        "01.2",
        "(entry, author) pairs counted",
        lambda: Blog.objects.annotate(n=Count("entry__authors")).values_list("name", "n"),
        (
            "Exercise 01.2: FAIL — returned 24 blogs as expected, but 23 blogs have wrong values, "
            "e.g. ('Abbey Road Notes', 306) instead of ('Abbey Road Notes', 115). These numbers count "
            "(entry, author) pairs, which is what Count('entry__authors') gives: it follows every "
            "author of every entry; count 'entry'."
        ),
    ),
    W(
        "01.2",
        "counting only 2008's entries",
        lambda: Blog.objects.annotate(n=Count("entry", filter=Q(entry__pub_date__year=2008))).values_list(
            "name", "n"
        ),
        (
            "Exercise 01.2: FAIL — returned 24 blogs as expected, but 23 blogs have wrong values, "
            "e.g. ('Abbey Road Notes', 28) instead of ('Abbey Road Notes', 115)."
        ),
    ),
    W(
        "01.3",
        "no distinct()",
        lambda: _authors_2008().order_by("name"),
        (
            "Exercise 01.3: FAIL — returned 942 rows instead of 53 names; 53 names come back more "
            "than once, e.g. 'Alexandria Harmon' 18 times. Each name comes back once per 2008 entry "
            "of that author, which is what the join through the entries gives: it repeats the author "
            "for every match; add .distinct()."
        ),
    ),
    W(
        "01.3",
        "reverse alphabetical",
        lambda: _authors_2008().distinct().order_by("-name"),
        (
            "Exercise 01.3: FAIL — the right names in the wrong order: row 1 is 'Wendy Miller', "
            "expected 'Alexandria Harmon'. These are in reverse alphabetical order: order_by('name'), "
            "without the minus sign."
        ),
    ),
    W(
        "01.3",
        "every author",
        lambda: Author.objects.values_list("name", flat=True).order_by("name"),
        (
            "Exercise 01.3: FAIL — returned 60 names instead of 53; 7 names should not be there, e.g. "
            "'Crystal Frank', 'Don Quixote' and 'James Watson'."
        ),
    ),
    W(
        "02.1",
        "author names not sorted",
        lambda: (
            lambda: [
                (e.headline, e.blog.name, [a.name for a in sorted(e.authors.all(), key=str, reverse=True)])
                for e in Entry.objects.select_related("blog").prefetch_related("authors").order_by("id")[:20]
            ]
        ),
        (
            "Exercise 02.1: FAIL — returned 20 cards as expected, but 15 cards have wrong values, "
            "e.g. (\"Lennon's last interview, annota…\", 'Beatles Blog', ['Paul', 'John']) instead of "
            "(\"Lennon's last interview, annota…\", 'Beatles Blog', ['John', 'Paul']). The author names "
            "are right but not in alphabetical order: sort them with sorted(...)."
        ),
    ),
    W(
        "02.1",
        "ten cards",
        lambda: (
            lambda: [
                (e.headline, e.blog.name, sorted(a.name for a in e.authors.all()))
                for e in Entry.objects.select_related("blog").prefetch_related("authors").order_by("id")[:10]
            ]
        ),
        (
            "Exercise 02.1: FAIL — returned 10 cards instead of 20; 10 cards are missing, e.g. ('A "
            "cell analysis call upon we lo…', 'Cheddar Talk', ['Devon Morgan', 'James Stone']), "
            "('Difficult president at artist', 'Bolton, Burns and Turner Blog', ['Bianca Smith', "
            "'Jare… and ('Grow push region produce develo…', 'Cheddar Talk', ['Andrew Smith', "
            "'Christopher Simmon…. These are the first 10 cards: keep the first 20 entries, "
            ".order_by('id')[:20]."
        ),
    ),
    W(
        "02.1",
        "blog ids instead of names",
        lambda: (
            lambda: [
                (e.headline, e.blog_id, sorted(a.name for a in e.authors.all()))
                for e in Entry.objects.prefetch_related("authors").order_by("id")[:20]
            ]
        ),
        (
            "Exercise 02.1: FAIL — returned 20 cards as expected, but 20 cards have wrong values, "
            "e.g. (\"Lennon's last interview, annota…\", 1, ['John', 'Paul']) instead of (\"Lennon's "
            "last interview, annota…\", 'Beatles Blog', ['John', 'Paul'])."
        ),
    ),
    W(
        "03.1",
        "every year",
        lambda: _per_month(Entry.objects.all()),
        (
            "Exercise 03.1: FAIL — returned 12 months as expected, but 12 months have wrong values, "
            "e.g. {'month': 1, 'entries': 186, 'comments': 18159} instead of {'month': 1, 'entries': "
            "27, 'comments': 2954}. These numbers add up the entries of every year: keep 2008's with "
            "filter(pub_date__year=2008) before grouping."
        ),
    ),
    W(
        "03.1",
        "annotate() before values()",
        lambda: (
            Entry.objects.filter(pub_date__year=2008)
            .annotate(entries=Count("id"), comments=Sum("number_of_comments"))
            .values("entries", "comments", month=ExtractMonth("pub_date"))
            .order_by("month")
        ),
        (
            "Exercise 03.1: FAIL — returned 354 rows instead of 12 months; 12 months are split over "
            "several rows, e.g. 27 rows where {'month': 1, 'entries': 27, 'comments': 2954} was "
            "expected. That is one row per entry, each counting 1: annotate() before values() "
            "computes per entry; call values(month=...) BEFORE annotate() so that the month is the "
            "GROUP BY."
        ),
    ),
    W(
        "03.1",
        "grouped by date",
        lambda: (
            Entry.objects.filter(pub_date__year=2008)
            .values("pub_date")
            .annotate(entries=Count("id"), comments=Sum("number_of_comments"))
        ),
        (
            "Exercise 03.1: FAIL — rows are dicts with keys ['comments', 'entries', 'pub_date'], "
            "expected dicts with keys ['comments', 'entries', 'month']."
        ),
    ),
    W(
        "03.1",
        "average instead of total",
        lambda: (
            Entry.objects.filter(pub_date__year=2008)
            .values(month=ExtractMonth("pub_date"))
            .annotate(entries=Count("id"), comments=Avg("number_of_comments"))
            .order_by("month")
        ),
        (
            "Exercise 03.1: FAIL — returned 12 months as expected, but 12 months have wrong values, "
            "e.g. {'month': 1, 'entries': 27, 'comments': 109.4074074074074} instead of {'month': 1, "
            "'entries': 27, 'comments': 2954}."
        ),
    ),
    W(
        "03.2",
        "entries counted per author",
        lambda: _per_blog(Count("entry"), Count("entry__authors", distinct=True)),
        (
            "Exercise 03.2: FAIL — returned 24 blogs as expected, but 23 blogs have wrong values, "
            "e.g. ('Abbey Road Notes', 306, 53) instead of ('Abbey Road Notes', 115, 53). The entry "
            "counts are too high: the join to the authors repeats each entry once per author; use "
            "Count('entry', distinct=True)."
        ),
    ),
    W(
        "03.2",
        "authors counted per entry",
        lambda: _per_blog(Count("entry", distinct=True), Count("entry__authors")),
        (
            "Exercise 03.2: FAIL — returned 24 blogs as expected, but 23 blogs have wrong values, "
            "e.g. ('Abbey Road Notes', 115, 306) instead of ('Abbey Road Notes', 115, 53). The author "
            "counts are (entry, author) pairs: an author who wrote several entries is counted for "
            "each; use Count('entry__authors', distinct=True)."
        ),
    ),
    W(
        "03.2",
        "neither distinct",
        lambda: _per_blog(Count("entry"), Count("entry__authors")),
        (
            "Exercise 03.2: FAIL — returned 24 blogs as expected, but 23 blogs have wrong values, "
            "e.g. ('Abbey Road Notes', 306, 306) instead of ('Abbey Road Notes', 115, 53). Both "
            "counts are the number of (entry, author) pairs: the entries are repeated once per author "
            "by the join, and each author once per entry; use distinct=True in both Counts."
        ),
    ),
    W(
        "03.2",
        "blogs without entries dropped",
        lambda: _per_blog(Count("entry", distinct=True), Count("entry__authors", distinct=True)).filter(
            entry__isnull=False
        ),
        (
            "Exercise 03.2: FAIL — returned 23 blogs instead of 24; 1 blog is missing: ('Smith LLC "
            "Blog', 0, 0)."
        ),
    ),
    W(
        "03.3",
        "annotate() instead of aggregate()",
        lambda: Entry.objects.annotate(comments=Sum("number_of_comments")),
        (
            "Exercise 03.3: FAIL — returned a list of 2,400 rows, expected {'comments': 240129, "
            "'rating': 2.9808333333333334}. aggregate() returns one dict for the whole queryset; "
            "annotate() gives one value per row."
        ),
    ),
    W(
        "03.3",
        "unnamed aggregates",
        lambda: lambda: Entry.objects.aggregate(Sum("number_of_comments"), Avg("rating")),
        (
            "Exercise 03.3: FAIL — returned a dict with keys ['number_of_comments__sum', "
            "'rating__avg'], expected keys ['comments', 'rating']. Unnamed aggregates get keys made "
            "from the field and the function: name them, aggregate(comments=..., rating=...)."
        ),
    ),
    W(
        "03.3",
        "average of the wrong field",
        lambda: (
            lambda: Entry.objects.aggregate(
                comments=Sum("number_of_comments"), rating=Avg("number_of_comments")
            )
        ),
        ("Exercise 03.3: FAIL — 'rating' is 100.05375, expected 2.9808333333333334."),
    ),
    W(
        "04.1",
        "any entry instead of none",
        lambda: Blog.objects.filter(entry__number_of_comments__lte=197).distinct(),
        (
            "Exercise 04.1: FAIL — returned 23 blogs instead of 11; 1 blog is missing: 'Smith LLC "
            "Blog'; 13 blogs should not be there, e.g. 'Abbey Road Notes', 'Beatles Blog' and "
            "'Bolton, Burns and Turner Blog'. filter(entry__...) keeps a blog when ANY of its entries "
            "matches, so a blog with one quiet entry is kept even if another has more than 197 "
            "comments, and a blog without entries is dropped; exclude(entry__number_of_comments__gt=197) "
            "asks that NONE has."
        ),
    ),
    W(
        "04.1",
        "off by one: 197 dropped too",
        lambda: Blog.objects.exclude(entry__number_of_comments__gte=197),
        (
            "Exercise 04.1: FAIL — returned 7 blogs instead of 11; 4 blogs are missing, e.g. "
            "'Grimes-Green Blog', 'Hill, Vasquez and Davidson Blog' and 'Larsen, Page and Glover "
            "Blog'. The missing blogs' busiest entries have exactly 197 comments: 'more than 197' is "
            "__gt=197; __gte=197 also drops 197."
        ),
    ),
    W(
        "04.1",
        "Max() drops the empty blog",
        lambda: Blog.objects.annotate(busiest=Max("entry__number_of_comments")).filter(busiest__lte=197),
        (
            "Exercise 04.1: FAIL — returned 10 blogs instead of 11; 1 blog is missing: 'Smith LLC "
            "Blog'. The missing blog has no entries: its Max() is NULL, and NULL <= 197 is not true "
            "in SQL, so the filter drops it; exclude() keeps it."
        ),
    ),
    W(
        "04.1",
        "the wrong threshold",
        lambda: Blog.objects.exclude(entry__number_of_comments__gt=190),
        (
            "Exercise 04.1: FAIL — returned 1 blog instead of 11; 10 blogs are missing, e.g. 'Garcia, "
            "Hamilton and Carr Blog', 'Grimes-Green Blog' and 'Hill, Vasquez and Davidson Blog'."
        ),
    ),
    W(
        "04.2",
        "chained exclude() calls",
        lambda: Blog.objects.exclude(entry__pub_date__lt=EARLY).exclude(entry__number_of_comments__gt=195),
        (
            "Exercise 04.2: FAIL — returned 1 blog instead of 21; 20 blogs are missing, e.g. 'Beatles "
            "Blog', 'Chang-Fisher Blog' and 'Cheddar Talk'. Only the blogs with no entry from before "
            "2004-04-01 and no entry over 195 comments are left, which is what two exclude() calls "
            "give: each drops every blog with any entry that matches it. Exclude only the entries that "
            "match both: exclude(entry__in=Entry.objects.filter(...))."
        ),
    ),
    W(
        "04.2",
        "one exclude() with both conditions",
        lambda: Blog.objects.exclude(entry__pub_date__lt=EARLY, entry__number_of_comments__gt=195),
        ONE_EXCLUDE_FOR_TWO_CONDITIONS,
    ),
    W(
        "04.2",
        "filter(~Q(...)) with both conditions",
        lambda: Blog.objects.filter(~Q(entry__pub_date__lt=EARLY, entry__number_of_comments__gt=195)),
        ONE_EXCLUDE_FOR_TWO_CONDITIONS,
    ),
    W(
        "04.2",
        "the comments condition forgotten",
        lambda: Blog.objects.exclude(entry__pub_date__lt=EARLY),
        (
            "Exercise 04.2: FAIL — returned 3 blogs instead of 21; 18 blogs are missing, e.g. 'Beatles "
            "Blog', 'Chang-Fisher Blog' and 'Cheddar Talk'. These are the blogs with no entry from "
            "before 2004-04-01: the comments condition is missing. Exclude only the entries that match "
            "both: exclude(entry__in=Entry.objects.filter(...))."
        ),
    ),
    W(
        "04.2",
        "the date condition forgotten",
        lambda: Blog.objects.exclude(entry__number_of_comments__gt=195),
        (
            "Exercise 04.2: FAIL — returned 6 blogs instead of 21; 15 blogs are missing, e.g. 'Beatles "
            "Blog', 'Chang-Fisher Blog' and 'Cheddar Talk'. These are the blogs with no entry over 195 "
            "comments: the date condition is missing. Exclude only the entries that match both: "
            "exclude(entry__in=Entry.objects.filter(...))."
        ),
    ),
    W(
        "04.2",
        "filter() instead of exclude()",
        lambda: Blog.objects.filter(
            entry__in=Entry.objects.filter(pub_date__lt=EARLY, number_of_comments__gt=195)
        ),
        (
            "Exercise 04.2: FAIL — returned 3 blogs instead of 21; 21 blogs are missing, e.g. 'Beatles "
            "Blog', 'Chang-Fisher Blog' and 'Cheddar Talk'; 3 blogs should not be there: 'Abbey Road "
            "Notes', 'Bolton, Burns and Turner Blog' and 'Hill, Vasquez and Davidson Blog'."
        ),
    ),
    W(
        "04.3",
        "entries without a summary kept",
        lambda: Entry.objects.exclude(summary__icontains="the"),
        (
            "Exercise 04.3: FAIL — returned 2,105 entries instead of 1,373; 732 entries should not be "
            "there, e.g. \"Lennon's last interview, annota…\", 'A foot out air represent commer…' and "
            "'Ability above happen enjoy how …'. The extra entries have no summary (NULL): exclude() "
            "keeps NULL rows, since NULL does not contain 'the' either; add "
            "filter(summary__isnull=False)."
        ),
    ),
    W(
        "04.3",
        "only ' the ' with spaces",
        lambda: Entry.objects.filter(summary__isnull=False).exclude(summary__icontains=" the "),
        (
            "Exercise 04.3: FAIL — returned 1,656 entries instead of 1,373; 283 entries should not be "
            "there, e.g. 'Account court skin star series …', 'Account face not occur leader w…' and "
            "'Actually before music report'."
        ),
    ),
]


def test_every_exercise_of_notebooks_01_to_04_is_covered() -> None:
    mine = {i for i in exercises() if i.split(".")[0] in {"01", "02", "03", "04"}}
    assert mine == set(RIGHT) == set(TOO_MANY_QUERIES)
    for exercise_id in mine:
        messages = {w.message for w in WRONG_ANSWERS if w.exercise_id == exercise_id}
        assert len(messages) >= 2, f"exercise {exercise_id} needs two wrong answers with different messages"


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_right_answer_passes(exercise_id: str, seeded: None, db: None) -> None:
    result = check(exercise_id, RIGHT[exercise_id]())
    assert result.passed, str(result)
    assert str(result).startswith(f"Exercise {exercise_id}: PASS")


@pytest.mark.parametrize("wrong", WRONG_ANSWERS, ids=lambda w: f"{w.exercise_id}: {w.what}")
def test_wrong_answer_gets_its_message(wrong: W, seeded: None, db: None) -> None:
    assert str(check(wrong.exercise_id, wrong.answer())) == wrong.message


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_each_known_mistake_gets_its_own_cause(exercise_id: str, seeded: None, db: None) -> None:
    """A known mistake whose rows another one also returns would be told the other's cause."""
    for mistake in exercises()[exercise_id].mistakes:
        result = check(exercise_id, mistake.answer)
        if result.passed:  # right on this database (e.g. __contains on SQLite): nothing to explain
            continue
        assert result.reason.endswith(f"{mistake.cause}."), str(result)


def test_case_sensitive_contains_is_named_on_postgresql_only(seeded: None, db: None) -> None:
    """SQLite's LIKE ignores the case of ASCII letters, so __contains passes there."""
    result = check("04.3", Entry.objects.filter(summary__isnull=False).exclude(summary__contains="the"))
    if connection.vendor == "sqlite":
        assert result.passed, str(result)
    else:
        assert "The extra entries mention 'the' only with capitals" in result.reason, str(result)


@pytest.mark.parametrize("exercise_id", sorted(TOO_MANY_QUERIES))
@pytest.mark.profiler_allow(
    "Blog.entry_set", "Author.entry_set", "Entry.blog", "Entry.authors"
)  # the slow right answers, on purpose
def test_right_result_with_too_many_queries_fails(exercise_id: str, seeded: None, db: None) -> None:
    result = check(exercise_id, TOO_MANY_QUERIES[exercise_id]())
    assert result.status == "fail", str(result)
    assert result.reason.startswith("right result, but "), str(result)
    budget = exercises()[exercise_id].max_queries
    assert f"target ≤ {budget}" in result.reason
    assert result.queries is not None
    assert result.queries > budget


@pytest.mark.parametrize("unanswered", [None, ...])
def test_unanswered_reports_not_yet(unanswered: Any) -> None:
    for exercise_id in RIGHT:
        result = check(exercise_id, unanswered)
        assert result.status == "not yet"
        assert not result
        assert str(result).startswith(f"Exercise {exercise_id}: NOT YET")
