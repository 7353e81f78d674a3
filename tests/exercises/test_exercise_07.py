"""Exercise 07.1 (a filter the pub_date index can serve), graded on the small seed (seed 0): right
answers pass; a right result whose WHERE clause hides the column fails with how it does so; the two
off-by-one ranges fail with their cause; a wrong order fails; no answer is NOT YET."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import connection

from tutorial_site.blog.models import Entry
from tutorial_site.exercises import check, exercises
from tutorial_site.seeding import flush, generate, load

RULE_TAIL = (
    ", so a plain index on pub_date cannot serve that condition (the database evaluates it row by row). "
    "Compare the column itself with dates: pub_date__range=(first day, last day), or pub_date__gte= and "
    "pub_date__lt=."
)


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        load(generate("small", 0), progress=False)
    yield
    with django_db_blocker.unblock():
        flush()


def rows(queryset: Any) -> Any:
    return queryset.order_by("pub_date", "headline").values_list("headline", "pub_date")


def test_07_1_is_registered() -> None:
    assert "07.1" in exercises()


@pytest.mark.parametrize(
    "answer",
    [
        lambda: rows(Entry.objects.filter(pub_date__range=(date(2008, 2, 1), date(2008, 2, 29)))),
        lambda: rows(Entry.objects.filter(pub_date__gte=date(2008, 2, 1), pub_date__lt=date(2008, 3, 1))),
        lambda: rows(
            Entry.objects.filter(pub_date__year=2008)
            .filter(pub_date__lt=date(2008, 3, 1))
            .exclude(pub_date__lt=date(2008, 2, 1))
        ),
    ],
    ids=["range", "gte-lt", "year-then-compare"],
)
def test_07_1_comparisons_of_the_column_pass(seeded: None, db: None, answer: Any) -> None:
    result = check("07.1", answer)
    assert str(result) == "Exercise 07.1: PASS — 30 entries, 1 query (target ≤ 1)."


def test_07_1_extracting_the_month_fails_with_the_function(seeded: None, db: None) -> None:
    result = check("07.1", lambda: rows(Entry.objects.filter(pub_date__year=2008, pub_date__month=2)))
    function = "EXTRACT" if connection.vendor == "postgresql" else "django_date_extract"
    assert result.reason == (
        f"right result in 1 query, but the query's WHERE clause wraps pub_date in {function}(...)" + RULE_TAIL
    )


def test_07_1_a_text_match_fails_with_how_the_column_is_read(seeded: None, db: None) -> None:
    result = check("07.1", lambda: rows(Entry.objects.filter(pub_date__startswith="2008-02")))
    how = (
        "casts pub_date to text"
        if connection.vendor == "postgresql"
        else ("matches pub_date against a text pattern (LIKE)")
    )
    assert result.reason == f"right result in 1 query, but the query's WHERE clause {how}" + RULE_TAIL


def test_07_1_a_range_ending_on_march_1_names_the_inclusive_end(seeded: None, db: None) -> None:
    result = check(
        "07.1", lambda: rows(Entry.objects.filter(pub_date__range=(date(2008, 2, 1), date(2008, 3, 1))))
    )
    assert result.status == "fail"
    assert result.reason.startswith("returned 32 entries instead of 30; 2 entries should not be there: ")
    assert result.reason.endswith(
        "The extra entries are from March 1: pub_date__range includes both ends, so end it on February 29, "
        "or use pub_date__lt=date(2008, 3, 1)."
    )


def test_07_1_a_range_ending_on_february_28_names_the_leap_year(seeded: None, db: None) -> None:
    result = check(
        "07.1", lambda: rows(Entry.objects.filter(pub_date__range=(date(2008, 2, 1), date(2008, 2, 28))))
    )
    assert result.status == "fail"
    assert result.reason.startswith("returned 29 entries instead of 30; 1 entry is missing: ")
    assert result.reason.endswith("The missing entries are from February 29: 2008 is a leap year.")


def test_07_1_another_month_gets_no_cause(seeded: None, db: None) -> None:
    result = check(
        "07.1", lambda: rows(Entry.objects.filter(pub_date__range=(date(2008, 3, 1), date(2008, 3, 31))))
    )
    assert result.status == "fail"
    assert "returned" in result.reason
    assert "leap year" not in result.reason
    assert "both ends" not in result.reason


def test_07_1_the_wrong_order_fails(seeded: None, db: None) -> None:
    answer = (
        Entry.objects.filter(pub_date__range=(date(2008, 2, 1), date(2008, 2, 29)))
        .values_list("headline", "pub_date")
        .order_by("headline")
    )
    result = check("07.1", answer)
    assert result.reason.startswith("the right entries in the wrong order: row 1 is ")


def test_07_1_no_answer_is_not_yet(db: None) -> None:
    assert check("07.1", ...).status == "not yet"
