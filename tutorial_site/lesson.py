"""Notebook helpers: show a queryset's SQL, query count and first rows; run writes in a sandbox.

    from tutorial_site.lesson import sandbox, show, side_by_side, sql, watch

    show(Entry.objects.filter(pub_date__year=2006))       # "1 query", the SQL, "→ 348 rows, ...", a DataFrame
    show(lambda: Blog.objects.get(name="Cheddar Talk"))    # any callable: its queries and result
    with sandbox(), watch():                               # writes are rolled back at the end
        Blog(name="Beatles Blog").save()
    print(sql(Blog.objects.exclude(name="Hello")))          # the SQL, without running it
    side_by_side({"one": sql(qs1), "other": sql(qs2)})      # texts in columns

The SQL is printed with its parameters inlined so that it reads like what the database runs; the
statements sent carry the parameters separately.
"""

import contextlib
import datetime
import decimal
import html
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

_OR_IGNORE = re.compile(r"INSERT\s+OR\s+IGNORE\s+INTO")  # sqlparse breaks SQLite's form up
# sqlparse reads the backslash of SQLite's ESCAPE '\' as escaping the quote, and the statement up to the
# next quote as one string: the literal is swapped for a plain word while formatting, then restored.
_ESCAPE, _ESCAPE_WORD = "ESCAPE '\\'", "ESCAPE lesson_backslash"
_EXISTS = re.compile(r"\bEXISTS\(")  # without a space sqlparse reads a function call, left unformatted
TRANSACTION_KINDS = frozenset({"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})


@contextmanager
def sandbox(using: str = "default") -> Iterator[None]:
    """A transaction rolled back at exit, even on success: cells that save, update or create
    leave the database as they found it, so a notebook re-runs with identical outputs.

    On SQLite the id counters roll back too; PostgreSQL sequences do not (new ids keep growing).
    """
    with transaction.atomic(using=using):
        try:
            yield
        finally:
            transaction.set_rollback(True, using=using)


def sql_literal(value: Any) -> str:
    """``value`` written as an SQL literal, for reading only (never sent to a database)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, decimal.Decimal)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return f"'{value.isoformat(sep=' ') if isinstance(value, datetime.datetime) else value}'"
    if isinstance(value, list):  # PostgreSQL receives a list as an array (UNNEST, = ANY)
        return "ARRAY[" + ", ".join(sql_literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(sql_literal(v) for v in value) + ")"
    text = str(value).replace("'", "''")
    return f"'{text}'"


def readable_sql(sql: str, params: Any = None) -> str:
    """``sql`` indented, upper-case keywords, with ``params`` inlined where the ``%s`` are."""
    from profiler.fingerprint import format_sql

    if params:
        # An unusual placeholder style leaves the statement as sent.
        with contextlib.suppress(TypeError, ValueError):
            sql = sql % tuple(sql_literal(p) for p in params)
    else:
        sql = sql.replace("%%", "%")
    sql = _EXISTS.sub("EXISTS (", sql.replace(_ESCAPE, _ESCAPE_WORD))
    return _OR_IGNORE.sub("INSERT OR IGNORE INTO", format_sql(sql)).replace(_ESCAPE_WORD, _ESCAPE)


def sql(queryset: models.QuerySet) -> str:
    """The readable SQL ``queryset`` sends when evaluated, compiled for its database but not run.

    Raises what compiling raises, e.g. ``NotSupportedError`` for ``distinct('blog')`` on SQLite.
    """
    if not isinstance(queryset, models.QuerySet):
        raise TypeError(f"sql() takes a QuerySet, got {type(queryset).__name__}.")
    text, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return readable_sql(text, params)


@dataclass(frozen=True)
class SideBySide:
    """Titled texts in columns, e.g. two SQL statements: a table in JupyterLab, one after the
    other (each under its title) as plain text."""

    texts: dict[str, str]

    def _repr_html_(self) -> str:
        heads = "".join(f'<th style="text-align: left">{html.escape(title)}</th>' for title in self.texts)
        cells = "".join(
            f'<td style="text-align: left; vertical-align: top"><pre>{html.escape(text)}</pre></td>'
            for text in self.texts.values()
        )
        return f"<table><tr>{heads}</tr><tr>{cells}</tr></table>"

    def __repr__(self) -> str:
        return "\n".join(f"-- {title}\n{text}" for title, text in self.texts.items())


def side_by_side(texts: dict[str, str]) -> SideBySide:
    """Show ``texts`` (title → text) next to each other when displayed in a notebook."""
    if not texts or not all(isinstance(t, str) for t in texts.values()):
        raise TypeError("side_by_side() takes a dict of titles to texts, e.g. {'exclude()': sql(qs)}.")
    return SideBySide(dict(texts))


def _statements(captured: Any) -> list[Any]:
    return [q for q in captured if q.kind not in TRANSACTION_KINDS]


def _count_text(n: int) -> str:
    return f"{n} query" if n == 1 else f"{n} queries"


def print_queries(captured: Any) -> None:
    """Print the number of statements in ``captured`` and each one's readable SQL."""
    statements = _statements(captured)
    print(_count_text(len(statements)))
    for i, query in enumerate(statements, 1):
        if len(statements) > 1:
            print(f"-- [{i}]")
        print(readable_sql(query.sql, query.params))


@contextmanager
def watch() -> Iterator[Any]:
    """Capture the block's statements and print them (count and SQL) when it ends."""
    import profiler

    with profiler.capture(stacks=False) as captured:
        yield captured
    print_queries(captured)


def _columns_of(queryset: models.QuerySet) -> list[str] | None:
    fields = getattr(queryset, "_fields", None)
    return list(fields) if fields else None


def _instance_row(obj: models.Model, extra: list[str]) -> dict[str, Any]:
    # Only what is loaded: reading a deferred field would run a query behind the learner's back.
    loaded = obj.__dict__
    row = {f.attname: loaded[f.attname] for f in obj._meta.concrete_fields if f.attname in loaded}
    row.update({name: loaded[name] for name in extra if name in loaded})
    return row


def to_frame(rows: list[Any], columns: list[str] | None = None, annotations: list[str] | None = None) -> Any:
    """A pandas DataFrame of query results: model instances, dicts, tuples or scalars."""
    import pandas as pd

    if not rows:
        return pd.DataFrame(columns=columns or [])
    first = rows[0]
    if isinstance(first, models.Model):
        return pd.DataFrame([_instance_row(r, annotations or []) for r in rows], dtype=object)
    # dtype=object: a column with NULLs keeps None and its integers (no NaN, no 1.0).
    if isinstance(first, dict):
        return pd.DataFrame(rows, dtype=object)
    if isinstance(first, tuple):
        names = getattr(first, "_fields", None) or columns
        if names and len(names) != len(first):
            names = None
        return pd.DataFrame([tuple(r) for r in rows], columns=names, dtype=object)
    return pd.DataFrame({(columns or ["value"])[0]: rows}, dtype=object)


def show(obj: "models.QuerySet | Callable[[], Any]", rows: int = 5) -> None:
    """Evaluate ``obj`` under :func:`profiler.capture` and display what happened.

    ``obj`` is a QuerySet (evaluated as ``list(obj)``) or a callable with no arguments (called;
    a QuerySet it returns is evaluated too). Displays the query count, the readable SQL of every
    statement, how many rows came back, and the first ``rows`` rows as a DataFrame (``rows=0``:
    no table, e.g. when the rows are random).
    """
    import pandas as pd
    from IPython.display import display

    import profiler

    if not (isinstance(obj, models.QuerySet) or callable(obj)):
        raise TypeError(
            f"show() takes a QuerySet or a function with no arguments, got {type(obj).__name__}: "
            "wrap an expression in lambda: ..., e.g. show(lambda: Entry.objects.get(pk=1))."
        )
    queryset = obj if isinstance(obj, models.QuerySet) else None
    with profiler.capture(stacks=False) as captured:
        if queryset is not None:
            value: Any = list(queryset.all())
        else:
            value = obj()
            if isinstance(value, models.QuerySet):
                queryset = value
                value = list(value)
    print_queries(captured)
    if isinstance(value, models.Model):
        value = [value]
        described = "1 object"
    elif isinstance(value, list):
        described = f"{len(value):,} row{'s' if len(value) != 1 else ''}"
    else:
        print(f"result: {value!r}")
        return
    shown = min(rows, len(value))
    print(f"→ {described}" + (f", first {shown} shown" if 0 < shown < len(value) else ""))
    if shown:
        columns = _columns_of(queryset) if queryset is not None else None
        annotations = list(queryset.query.annotation_select) if queryset is not None else []
        frame = to_frame(value[:shown], columns, annotations)
        with pd.option_context("display.max_colwidth", 40, "display.width", 120):
            display(frame)
