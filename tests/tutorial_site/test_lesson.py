"""``tutorial_site.lesson``: the notebooks' helpers for reading SQL and writing in a sandbox."""

import datetime
from typing import Any

import pytest
from django.db import NotSupportedError, connection
from django.db.models import Q

from tutorial_site.blog.models import Blog, Entry
from tutorial_site.lesson import readable_sql, sandbox, side_by_side, sql, sql_literal


def test_sql_literals_read_like_sql() -> None:
    assert sql_literal(None) == "NULL"
    assert sql_literal(True) == "TRUE"
    assert sql_literal("it's") == "'it''s'"
    assert sql_literal(datetime.date(2008, 1, 2)) == "'2008-01-02'"
    assert sql_literal((1, 2)) == "(1, 2)"
    assert sql_literal([1, 2]) == "ARRAY[1, 2]"  # how PostgreSQL receives a list (UNNEST, = ANY)


def test_sql_compiles_without_running(db: None, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        text = sql(Blog.objects.filter(name="Beatles Blog"))
    assert text.splitlines()[-1] == """WHERE "blog_blog"."name" = 'Beatles Blog'"""


def test_sql_refuses_what_is_not_a_queryset() -> None:
    with pytest.raises(TypeError, match="takes a QuerySet, got list"):
        sql([])  # type: ignore[arg-type]


def test_sql_raises_what_compiling_raises(db: None) -> None:
    distinct_on = Entry.objects.order_by("blog").distinct("blog")
    if connection.vendor == "postgresql":
        assert sql(distinct_on).startswith('SELECT DISTINCT ON ("blog_entry"."blog_id")')
    else:
        with pytest.raises(NotSupportedError):
            sql(distinct_on)


def test_nested_exists_are_laid_out_even_after_an_escape_clause(db: None) -> None:
    # SQLite's LIKE carries ESCAPE '\', whose backslash sqlparse would read as escaping the quote.
    text = sql(Blog.objects.exclude(entry__headline__contains="Lennon", entry__pub_date__year=2008))
    lines = [line.strip() for line in text.splitlines()]
    assert "AND EXISTS" in lines
    assert lines.count('FROM "blog_entry" "U1"') == 2
    if connection.vendor == "sqlite":
        assert """WHERE ("U1"."headline" LIKE '%Lennon%' ESCAPE '\\'""" in lines


def test_readable_sql_inlines_params_and_keeps_percent_signs() -> None:
    assert readable_sql('SELECT "a" FROM "t" WHERE "b" LIKE %s', ["%x%"]) == (
        'SELECT "a"\nFROM "t"\nWHERE "b" LIKE \'%x%\''
    )
    assert readable_sql("SELECT 100 %% 7") == "SELECT 100 % 7"


def test_sandbox_rolls_back_even_on_success(db: None) -> None:
    with sandbox():
        Blog.objects.create(name="temporary", tagline="")
        assert Blog.objects.filter(name="temporary").exists()
    assert not Blog.objects.filter(name="temporary").exists()


def test_side_by_side_is_columns_in_html_and_sequential_as_text() -> None:
    shown = side_by_side({"exclude(a)": "SELECT <1>", "filter(~Q(a))": "SELECT 2"})
    assert repr(shown) == "-- exclude(a)\nSELECT <1>\n-- filter(~Q(a))\nSELECT 2"
    html = shown._repr_html_()
    assert html.count("<td") == 2
    assert "SELECT &lt;1&gt;" in html
    with pytest.raises(TypeError, match="dict of titles to texts"):
        side_by_side({"a": Q()})  # type: ignore[dict-item]
