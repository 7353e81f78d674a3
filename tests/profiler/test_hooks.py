"""The ORM hooks: pass-throughs that keep Django's signatures and results."""

import inspect
from typing import Any

from django.db.models.sql import Query as SQLQuery
from django.db.models.sql.compiler import SQLCompiler

import profiler
from profiler import hooks
from tutorial_site.blog.models import Blog, Entry

from .factories import blogs_with_one_entry_each


class _Compiler:
    def __init__(self) -> None:
        self.query = SQLQuery(Blog)


def test_execute_sql_of_another_signature_passes_every_argument_through(db: None) -> None:
    calls: list[tuple[Any, ...]] = []

    def execute_sql(self: Any, result_type: str, *, extra: int = 0) -> str:
        calls.append((self, result_type, extra))
        return "rows"

    wrapped = hooks._execute_hook(execute_sql)
    compiler = _Compiler()
    assert wrapped(compiler, "multi", extra=1) == "rows"
    with profiler.capture():
        assert wrapped(compiler, "single", extra=2) == "rows"
    assert calls == [(compiler, "multi", 1), (compiler, "single", 2)]


def test_django_execute_sql_keeps_its_defaults_and_keywords(db: None) -> None:
    original = SQLCompiler.execute_sql  # the signature is read through any wrapper
    seen: list[tuple[Any, ...]] = []

    def spy(self: Any, *args: Any) -> None:
        seen.append(args)

    spy.__signature__ = inspect.signature(original)  # type: ignore[attr-defined]
    wrapped = hooks._execute_hook(spy)
    compiler = _Compiler()
    with profiler.capture():
        wrapped(compiler)
        wrapped(compiler, "single", chunked_fetch=True, chunk_size=7)
    assert seen == [("multi", False, 100), ("single", True, 7)]


def test_a_lazy_foreign_key_read_under_a_capture_returns_what_django_returns(db: None) -> None:
    (blog,) = blogs_with_one_entry_each(1)
    entry = Entry.objects.get()
    with profiler.capture() as captured:
        first = entry.blog
        again = entry.blog  # cached now: no statement
    assert first == blog
    assert again is first
    assert [str(query.load) for query in captured] == ["Entry.blog"]
