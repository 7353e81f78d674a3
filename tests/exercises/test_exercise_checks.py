"""Each exercise of notebooks 01, 03 and 04: a right answer passes, a wrong result fails with a
reason, a right result with too many queries fails on the budget, no answer reports NOT YET."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import ExtractYear

from tutorial_site.blog.models import Author, Blog, Entry
from tutorial_site.exercises import check, exercises
from tutorial_site.seeding import flush, generate, load


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        load(generate("small", 0), progress=False)
    yield
    with django_db_blocker.unblock():
        flush()


def _top_2006():
    return (
        Entry.objects.filter(pub_date__year=2006)
        .order_by("-number_of_comments", "headline")
        .values_list("headline", "number_of_comments")
    )


def _lennon_2008():
    return Entry.objects.filter(headline__contains="Lennon", pub_date__year=2008)


def _years():
    return Entry.objects.values(year=ExtractYear("pub_date"))


# exercise id -> (right answer, (wrong answer, reason fragment), answer with too many queries)
CASES: dict[str, tuple[Callable[[], Any], tuple[Callable[[], Any], str], Callable[[], Any]]] = {
    "01.1": (
        lambda: _top_2006()[:5],
        (lambda: _top_2006(), "slice the ordered queryset with [:5]"),
        lambda: (
            lambda: [
                Entry.objects.filter(pk=e.pk).values_list("headline", "number_of_comments").get()
                for e in Entry.objects.filter(pub_date__year=2006).order_by(
                    "-number_of_comments", "headline"
                )[:5]
            ]
        ),
    ),
    "01.2": (
        lambda: Blog.objects.annotate(n=Count("entry")).values_list("name", "n"),
        (
            lambda: (
                Blog.objects.filter(entry__isnull=False).annotate(n=Count("entry")).values_list("name", "n")
            ),
            "blogs with no entries are missing",
        ),
        lambda: lambda: [(b.name, b.entry_set.count()) for b in Blog.objects.all()],
    ),
    "01.3": (
        lambda: (
            Author.objects.filter(entry__pub_date__year=2008)
            .values_list("name", flat=True)
            .distinct()
            .order_by("name")
        ),
        (
            lambda: (
                Author.objects.filter(entry__pub_date__year=2008)
                .values_list("name", flat=True)
                .order_by("name")
            ),
            "add .distinct()",
        ),
        lambda: (
            lambda: sorted(
                {a.name for a in Author.objects.all() if a.entry_set.filter(pub_date__year=2008).exists()}
            )
        ),
    ),
    "03.1": (
        lambda: _years().annotate(entries=Count("id")).order_by("year"),
        (
            lambda: (
                Entry.objects.annotate(entries=Count("id"))
                .values("entries", year=ExtractYear("pub_date"))
                .order_by("year")
            ),
            "call values(year=...) BEFORE annotate()",
        ),
        lambda: (
            lambda: [
                {"year": y, "entries": Entry.objects.filter(pub_date__year=y).count()}
                for y in range(2004, 2011)
            ]
        ),
    ),
    "03.2": (
        lambda: Blog.objects.annotate(
            entries=Count("entry", distinct=True), authors=Count("entry__authors", distinct=True)
        ).values_list("name", "entries", "authors"),
        (
            lambda: Blog.objects.annotate(
                entries=Count("entry"), authors=Count("entry__authors", distinct=True)
            ).values_list("name", "entries", "authors"),
            "use Count('entry', distinct=True)",
        ),
        lambda: (
            lambda: [
                (
                    b.name,
                    b.entry_set.count(),
                    Author.objects.filter(entry__blog=b).distinct().count(),
                )
                for b in Blog.objects.all()
            ]
        ),
    ),
    "03.3": (
        lambda: lambda: Entry.objects.aggregate(comments=Sum("number_of_comments"), rating=Avg("rating")),
        (
            lambda: Entry.objects.annotate(comments=Sum("number_of_comments")),
            "aggregate() returns one dict",
        ),
        lambda: (
            lambda: {
                "comments": Entry.objects.aggregate(c=Sum("number_of_comments"))["c"],
                "rating": Entry.objects.aggregate(r=Avg("rating"))["r"],
            }
        ),
    ),
    "04.1": (
        lambda: Blog.objects.exclude(entry__number_of_comments__gt=197),
        (
            lambda: Blog.objects.filter(entry__number_of_comments__lte=197).distinct(),
            "keeps a blog when ANY entry matches",
        ),
        lambda: (
            lambda: [
                b for b in Blog.objects.all() if not b.entry_set.filter(number_of_comments__gt=197).exists()
            ]
        ),
    ),
    "04.2": (
        lambda: Blog.objects.exclude(entry__in=_lennon_2008()),
        (
            lambda: Blog.objects.exclude(entry__headline__contains="Lennon", entry__pub_date__year=2008),
            "Abbey Road Notes is missing",
        ),
        lambda: (
            lambda: [
                b
                for b in Blog.objects.all()
                if not b.entry_set.filter(Q(headline__contains="Lennon"), pub_date__year=2008).exists()
            ]
        ),
    ),
    "04.3": (
        lambda: Entry.objects.filter(summary__isnull=False).exclude(summary__icontains="the"),
        (
            lambda: Entry.objects.exclude(summary__icontains="the"),
            "entries without a summary (NULL) are included",
        ),
        lambda: (
            lambda: [
                e
                for e in Entry.objects.filter(summary__isnull=False)
                if not Entry.objects.filter(pk=e.pk, summary__icontains="the").exists()
            ]
        ),
    ),
}


def test_every_exercise_of_these_notebooks_has_cases() -> None:
    mine = {i for i in exercises() if i.split(".")[0] in {"01", "03", "04"}}
    assert mine == set(CASES)


@pytest.mark.parametrize("exercise_id", sorted(CASES))
def test_right_answer_passes(exercise_id: str, seeded: None, db: None) -> None:
    result = check(exercise_id, CASES[exercise_id][0]())
    assert result.passed, str(result)
    assert str(result).startswith(f"Exercise {exercise_id}: PASS")


@pytest.mark.parametrize("exercise_id", sorted(CASES))
def test_wrong_result_fails_with_reason(exercise_id: str, seeded: None, db: None) -> None:
    wrong, reason = CASES[exercise_id][1]
    result = check(exercise_id, wrong())
    assert result.status == "fail", str(result)
    assert reason in result.reason


@pytest.mark.parametrize("exercise_id", sorted(CASES))
@pytest.mark.profiler_allow("Blog.entry_set", "Author.entry_set")  # the slow right answers, on purpose
def test_right_result_with_too_many_queries_fails(exercise_id: str, seeded: None, db: None) -> None:
    result = check(exercise_id, CASES[exercise_id][2]())
    assert result.status == "fail", str(result)
    assert result.reason.startswith("right result, but "), str(result)
    budget = exercises()[exercise_id].max_queries
    assert f"target ≤ {budget}" in result.reason
    assert result.queries is not None
    assert result.queries > budget


@pytest.mark.parametrize("unanswered", [None, ...])
def test_unanswered_reports_not_yet(unanswered: Any) -> None:
    for exercise_id in CASES:
        result = check(exercise_id, unanswered)
        assert result.status == "not yet"
        assert not result
        assert str(result).startswith(f"Exercise {exercise_id}: NOT YET")
