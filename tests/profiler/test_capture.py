"""profiler.capture(): exactly the statements Django executes in the block, from where it should."""

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Avg, Count, F, Prefetch, Q
from django.http import HttpRequest, JsonResponse
from django.test import AsyncClient
from django.test.utils import CaptureQueriesContext
from django.urls import path

import profiler
from profiler import ProfilerError
from tutorial_site.blog.models import Author, Blog, Entry
from tutorial_site.library.models import Book, City, Person
from tutorial_site.pizzeria.models import Pizza, Restaurant, Topping
from tutorial_site.seeding import generate, load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def seeded(db: None) -> None:
    load(generate("small", 0), progress=False)


def _in_transaction_block() -> None:
    with transaction.atomic():
        Blog.objects.create(name="Savepoint Blog", tagline="inside atomic()")


def _rolled_back_block() -> None:
    with transaction.atomic():
        Blog.objects.create(name="Rolled back", tagline="")
        raise ValueError("undo")


def _cascade_delete() -> None:
    Entry.objects.filter(blog__name="Cheddar Talk").delete()


SEED_SHEET: dict[str, Callable[[], Any]] = {
    "filter by year": lambda: list(Entry.objects.filter(pub_date__year=2007)),
    "span a relation": lambda: list(Blog.objects.filter(entry__headline__contains="Lennon").distinct()),
    "lazy FK in a loop": lambda: [e.blog.name for e in Entry.objects.all()[:40]],
    "select_related": lambda: [e.blog.name for e in Entry.objects.select_related("blog")[:40]],
    "prefetch reverse FK": lambda: [
        len(b.entry_set.all()) for b in Blog.objects.prefetch_related("entry_set")
    ],
    "Prefetch with a queryset": lambda: [
        list(b.entry_set.all())
        for b in Blog.objects.prefetch_related(
            Prefetch("entry_set", queryset=Entry.objects.filter(rating__gte=4))
        )
    ],
    "aggregate": lambda: Entry.objects.aggregate(Avg("rating")),
    "annotate and count": lambda: Blog.objects.annotate(n=Count("entry")).filter(n__gt=10).count(),
    "exists over M2M": lambda: Entry.objects.filter(authors__name="Joe").exists(),
    "Q objects": lambda: list(Entry.objects.filter(Q(headline__startswith="Hello") | Q(rating=5))),
    "update with F": lambda: Entry.objects.filter(headline__startswith="Hello").update(
        number_of_pingbacks=F("number_of_pingbacks") + 1
    ),
    "chain of FKs": lambda: [b.author.hometown.name for b in Book.objects.all()[:25]],
    "nested prefetch": lambda: [
        [t.name for p in r.pizzas.all() for t in p.toppings.all()]
        for r in Restaurant.objects.prefetch_related("pizzas__toppings")
    ],
    "values_list over M2M": lambda: list(Author.objects.values_list("entry__headline", flat=True)),
    "create in atomic (savepoints)": _in_transaction_block,
    "cascade delete": _cascade_delete,
    "bulk_create": lambda: Topping.objects.bulk_create([Topping(name=f"extra {i}") for i in range(5)]),
    "get_or_create": lambda: City.objects.get_or_create(name="Oslo"),
    "iterator": lambda: sum(1 for _ in Pizza.objects.iterator(chunk_size=7)),
    "count people by city": lambda: list(City.objects.annotate(n=Count("people"))),
}


@pytest.mark.profiler_allow("Entry.blog", "Book.author", "Person.hometown")  # the seed sheet's lazy loads
def test_counts_equal_capture_queries_context_on_the_seed_sheet(seeded: None) -> None:
    """Cross-check: for each seed-sheet queryset, as many records as CaptureQueriesContext."""
    counts = {}
    for name, run in SEED_SHEET.items():
        with CaptureQueriesContext(connection) as django_view, profiler.capture() as ours:
            run()
        counts[name] = (len(ours), len(django_view))
    assert {name: c for name, c in counts.items() if c[0] != c[1]} == {}
    assert all(ours for ours, _ in counts.values())  # every case ran SQL
    assert counts["lazy FK in a loop"][0] == 41


def test_savepoints_are_captured(db: None) -> None:
    with profiler.capture() as captured:
        _in_transaction_block()
        with pytest.raises(ValueError, match="undo"):
            _rolled_back_block()
    kinds = [q.kind for q in captured]
    assert kinds.count("SAVEPOINT") == 2
    assert "INSERT" in kinds
    assert any(q.sql.upper().startswith("RELEASE SAVEPOINT") for q in captured)
    assert any(q.sql.upper().startswith("ROLLBACK TO SAVEPOINT") for q in captured)


def test_statements_of_an_unrelated_thread_are_not_captured(transactional_db: None) -> None:
    Blog.objects.create(name="Thread Blog", tagline="")
    seen_in_thread: dict[str, Any] = {}

    def other_thread() -> None:
        try:
            with profiler.capture() as own:
                seen_in_thread["count"] = Blog.objects.count()
            seen_in_thread["own"] = len(own)
        finally:
            connections.close_all()

    with profiler.capture() as captured:
        Blog.objects.filter(name="Thread Blog").exists()
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        Blog.objects.filter(name="Thread Blog").exists()
    assert seen_in_thread == {"count": 1, "own": 1}  # the thread ran SQL, captured by its own
    assert len(captured) == 2
    assert all("COUNT" not in q.sql.upper() for q in captured)


def test_sync_to_async_work_started_inside_is_captured(db: None) -> None:
    Blog.objects.create(name="Async Blog", tagline="")

    async def handler() -> int:
        names = await sync_to_async(lambda: list(Blog.objects.values_list("name", flat=True)))()
        return len(names) + await Blog.objects.filter(name="Async Blog").acount()

    with profiler.capture() as captured:
        assert async_to_sync(handler)() == 2
    assert [q.kind for q in captured] == ["SELECT", "SELECT"]
    assert "COUNT" in captured[1].sql.upper()


def _fresh_thread_query() -> tuple[bool, int]:
    """In a new worker thread: was a connection open before, and how many blogs are there."""
    try:
        had_connection = bool(connections.all(initialized_only=True))
        return had_connection, Blog.objects.count()
    finally:
        connections.close_all()


def test_connections_opened_inside_the_block_in_sync_to_async_threads(
    transactional_db: None,
) -> None:
    Blog.objects.create(name="Worker Blog", tagline="")

    async def handler() -> tuple[bool, int]:
        with ThreadPoolExecutor(max_workers=1) as executor:
            run = sync_to_async(_fresh_thread_query, thread_sensitive=False, executor=executor)
            return await run()

    with profiler.capture() as captured:
        had_connection, count = async_to_sync(handler)()
    assert (had_connection, count) == (False, 1)
    assert len(captured) == 1
    assert captured[0].alias == "default"
    assert "COUNT" in captured[0].sql.upper()


async def async_blog_view(request: HttpRequest) -> JsonResponse:
    names = [b.name async for b in Blog.objects.order_by("name")]
    total = await sync_to_async(Entry.objects.count)()
    return JsonResponse({"names": names, "entries": total})


urlpatterns = [path("async-blogs/", async_blog_view)]


@pytest.mark.urls(__name__)
def test_an_async_view_is_captured(db: None) -> None:
    Blog.objects.create(name="ASGI Blog", tagline="")
    client = AsyncClient()
    with profiler.capture() as captured:
        response = async_to_sync(client.get)("/async-blogs/")
    assert response.json() == {"names": ["ASGI Blog"], "entries": 0}
    selects = [q for q in captured if q.kind == "SELECT"]
    assert len(selects) == 2
    assert {q.tables[0] for q in selects} == {Blog._meta.db_table, Entry._meta.db_table}


def test_captures_nest(db: None) -> None:
    with profiler.capture() as outer:
        Blog.objects.count()
        with profiler.capture() as inner:
            Blog.objects.exists()
        Author.objects.count()
    assert len(outer) == 3
    assert len(inner) == 1
    assert inner[0] is outer[1]
    assert not outer.active
    assert not inner.active


def test_the_same_capture_can_be_reentered(db: None) -> None:
    captured = profiler.capture()
    with captured:
        Blog.objects.count()
    Blog.objects.count()  # outside: not recorded
    with captured:
        Author.objects.count()
    assert len(captured) == 2


def test_a_failing_statement_is_recorded_and_its_error_propagates_unchanged(db: None) -> None:
    captured = profiler.capture()

    def run() -> None:
        with captured:
            Blog.objects.count()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT * FROM no_such_table_here")

    with pytest.raises(DatabaseError) as raised:
        run()
    failing = [q for q in captured if q.error is not None]
    assert len(failing) == 1
    assert failing[0].error is raised.value
    assert "no_such_table_here" in failing[0].sql
    assert captured.errors == failing
    Blog.objects.count()  # the test transaction is still usable
    assert not captured.active


def test_an_exception_in_the_block_propagates_and_closes_the_capture(db: None) -> None:
    captured = profiler.capture()

    def run() -> None:
        with captured:
            Blog.objects.count()
            raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        run()
    Blog.objects.count()
    assert len(captured) == 1
    assert not captured.active


@pytest.mark.django_db(databases=["default", "other"])
def test_every_alias_is_captured_or_only_the_named_ones() -> None:
    with profiler.capture() as every, profiler.capture(using="other") as other:
        with profiler.capture(using=["default", "other"]) as both:
            Blog.objects.count()
            Blog.objects.using("other").count()
            Author.objects.using("other").exists()
        Blog.objects.count()
    assert {alias: len(qs) for alias, qs in every.by_alias().items()} == {"default": 2, "other": 2}
    assert [q.alias for q in other] == ["other", "other"]
    assert len(both) == 3


def test_unknown_alias_lists_the_configured_ones(db: None) -> None:
    with pytest.raises(ProfilerError, match=r"'replica'.*configured.*'default', 'other'"):
        profiler.capture(using="replica")
    with pytest.raises(ProfilerError, match=r"'nope'"):
        profiler.capture(using=["default", "nope"])


def test_twenty_thousand_statements_are_captured_whole(db: None) -> None:
    with profiler.capture(stacks=False) as captured, connection.cursor() as cursor:
        for i in range(20_000):
            cursor.execute("SELECT %s", [i])
    assert len(captured) == 20_000
    assert captured[-1].params == [19_999]
    assert len(captured.similar()) == 1


def test_the_fiftieth_capture_counts_as_right_as_the_first(db: None) -> None:
    """With the debug cursor on (DEBUG notebooks) Django's 9,000-entry query log wraps."""
    Blog.objects.bulk_create([Blog(name=f"blog {i}", tagline="") for i in range(5)])
    connection.force_debug_cursor = True
    try:
        counts = []
        for _ in range(50):
            with profiler.capture() as captured:
                blogs = list(Blog.objects.all())
                for _ in range(40):
                    for blog in blogs:
                        Blog.objects.get(pk=blog.pk)
            counts.append(len(captured))
        assert len(connection.queries_log) == connection.queries_log.maxlen  # the log wrapped
    finally:
        connection.force_debug_cursor = False
    assert counts == [1 + 40 * 5] * 50


def test_use_before_django_is_set_up_says_how(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import profiler
        try:
            profiler.capture()
        except profiler.ProfilerError as exc:
            print("ERROR:", exc)
        import django
        from django.conf import settings
        settings.configure(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3",
                                                  "NAME": ":memory:"}})
        django.setup()
        from django.db import connection, connections
        assert not connections.all(initialized_only=True)
        with profiler.capture() as captured:
            with connection.cursor() as cursor:  # the first connection opens inside the block
                cursor.execute("SELECT 1")
        print("CAPTURED:", len(captured), captured[0].sql)
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    error_line, captured_line = result.stdout.splitlines()
    assert "Django is not set up" in error_line
    assert "django.setup()" in error_line
    assert "DJANGO_SETTINGS_MODULE" in error_line
    assert captured_line == "CAPTURED: 1 SELECT 1"


def test_statements_of_every_app_are_captured_in_order(db: None) -> None:
    """A capture also sees the library and pizzeria apps' statements, in order."""
    city = City.objects.create(name="Lima")
    person = Person.objects.create(name="Ana", hometown=city)
    with profiler.capture() as captured:
        Book.objects.create(title="One", author=person)
        Pizza.objects.create(name="Margherita")
        list(Restaurant.objects.all())
    assert [q.kind for q in captured] == ["INSERT", "INSERT", "SELECT"]
    assert [q.tables[0] for q in captured] == [
        Book._meta.db_table,
        Pizza._meta.db_table,
        Restaurant._meta.db_table,
    ]
