"""Exercises of notebook 07 (scaling: a filter an index on ``pub_date`` can serve)."""

import datetime
import re
from typing import Any

from tutorial_site.blog.models import Entry

from .core import Exercise, register

# February of a leap year: the month's last day is the 29th.
FIRST, LAST, NEXT = datetime.date(2008, 2, 1), datetime.date(2008, 2, 29), datetime.date(2008, 3, 1)
COLUMN = '"pub_date"'
# What may follow the column in a WHERE clause that an index on it serves: a plain comparison.
_COMPARISON = re.compile(r"\s*(?:BETWEEN\b|>=|<=|<>|!=|<|>|=|IN\b|IS\b)", re.IGNORECASE)
_FUNCTION = re.compile(r"(\w+)\s*\((?:[^()]|\([^()]*\))*$")  # the innermost call still open
_CAST = re.compile(r"\s*::\s*(\w+)")
_PATTERN = re.compile(r"\s*(I?LIKE|GLOB)\b", re.IGNORECASE)


def february_2008_reference() -> Any:
    """The entries of February 2008 as (headline, pub_date), by date then headline."""
    return (
        Entry.objects.filter(pub_date__range=(FIRST, LAST))
        .order_by("pub_date", "headline")
        .values_list("headline", "pub_date")
    )


def _where(sql: str) -> str:
    """The WHERE clause of ``sql`` ('' when there is none), without ORDER BY and LIMIT."""
    _, found, rest = sql.partition(" WHERE ")
    return re.split(r" ORDER BY | LIMIT ", rest)[0] if found else ""


def pub_date_wrapped(statements: list[Any]) -> str | None:
    """How a statement's WHERE clause uses ``pub_date`` other than by comparing the column itself."""
    for statement in statements:
        where = _where(statement.sql)
        for match in re.finditer(re.escape(COLUMN), where):
            before, after = where[: match.start()], where[match.end() :]
            if _COMPARISON.match(after):
                continue
            cast, pattern, call = _CAST.match(after), _PATTERN.match(after), _FUNCTION.search(before)
            if pattern:
                how = f"matches pub_date against a text pattern ({pattern.group(1).upper()})"
            elif cast:
                how = f"casts pub_date to {cast.group(1)}"
            elif call:
                how = f"wraps pub_date in {call.group(1)}(...)"
            else:
                how = "does not compare pub_date itself"
            return (
                f"the query's WHERE clause {how}, so a plain index on pub_date cannot serve that "
                "condition (the database evaluates it row by row). Compare the column itself with dates: "
                "pub_date__range=(first day, last day), or pub_date__gte= and pub_date__lt="
            )
    return None


def _range_ends(got: list, expected: list) -> str | None:
    got_set, expected_set = set(got), set(expected)
    missing, extra = expected_set - got_set, got_set - expected_set
    if extra and not missing and {row[1] for row in extra} == {NEXT}:
        return (
            "The extra entries are from March 1: pub_date__range includes both ends, so end it on "
            "February 29, or use pub_date__lt=date(2008, 3, 1)"
        )
    if missing and not extra and {row[1] for row in missing} == {LAST}:
        return "The missing entries are from February 29: 2008 is a leap year"
    return None


register(
    Exercise(
        id="07.1",
        title="The entries of February 2008, with a filter the pub_date index can serve",
        reference=february_2008_reference,
        max_queries=1,
        noun="entries",
        ordered=True,
        diagnoses=(_range_ends,),
        sql_rules=(pub_date_wrapped,),
    )
)
