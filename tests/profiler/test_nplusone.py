"""N+1 findings: each lazy load is attributed to Model.field, grouped by call site, with its fix."""

import datetime
import pickle
import threading
from typing import Any

import django
import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection, connections, models
from django.db.models import Prefetch

import profiler
from profiler import _state
from profiler.nplusone import DEFERRED, FORWARD, M2M, REVERSE_MANY, Finding, find_n_plus_one
from tutorial_site.blog.models import Author, Blog, Entry
from tutorial_site.library.models import Book, City, Person

# N+1s built on purpose, to be found: the suite-wide switch leaves these tests alone.
pytestmark = pytest.mark.profiler_allow

BLOGS = 4
ENTRIES_PER_BLOG = 3
BOOKS = 5


def make_rows() -> None:
    """4 blogs x 3 entries (2 authors each), 5 books by 5 people in 2 cities: a few ms."""
    blogs = Blog.objects.bulk_create(Blog(name=f"Blog {i}", tagline="t") for i in range(BLOGS))
    authors = Author.objects.bulk_create(
        Author(name=f"Author {i}", email=f"a{i}@example.com") for i in range(3)
    )
    day = datetime.date(2024, 1, 1)
    entries = Entry.objects.bulk_create(
        Entry(
            blog=blog,
            headline=f"{blog.name} #{n}",
            body_text="body",
            pub_date=day,
            mod_date=day,
            number_of_comments=n,
            number_of_pingbacks=0,
            rating=n + 1,
        )
        for blog in blogs
        for n in range(ENTRIES_PER_BLOG)
    )
    Entry.authors.through.objects.bulk_create(
        Entry.authors.through(entry_id=entry.pk, author_id=authors[(i + k) % 3].pk)
        for i, entry in enumerate(entries)
        for k in range(2)
    )
    cities = City.objects.bulk_create(City(name=f"City {i}") for i in range(2))
    people = Person.objects.bulk_create(
        Person(name=f"Person {i}", hometown=cities[i % 2]) for i in range(BOOKS)
    )
    Book.objects.bulk_create(Book(title=f"Book {i}", author=people[i]) for i in range(BOOKS))


@pytest.fixture
def rows(db: None) -> None:
    make_rows()


def only_finding(capture: profiler.Capture) -> Finding:
    findings = capture.n_plus_one()
    assert len(findings) == 1, findings
    return findings[0]


def test_forward_foreign_key(rows: None) -> None:
    with profiler.capture() as queries:
        names = [e.blog.name for e in Entry.objects.all()]
    finding = only_finding(queries)
    assert len(names) == BLOGS * ENTRIES_PER_BLOG
    assert (finding.model, finding.field, finding.kind) == ("Entry", "blog", FORWARD)
    assert finding.count == BLOGS * ENTRIES_PER_BLOG == len(queries) - 1
    assert finding.fix == "Entry.objects.select_related('blog')"
    assert finding.site is not None
    assert "e.blog.name" in finding.site.code
    assert finding.site.file == __file__
    assert '"blog_blog"' in finding.sql
    assert all(q.load is not None for q in finding.queries)
    assert str(finding) == (
        f"N+1: Entry.blog loaded {finding.count} times at {finding.site} "
        f"— fix: Entry.objects.select_related('blog')"
    )


def test_reverse_foreign_key_manager(rows: None) -> None:
    with profiler.capture() as queries:
        sizes = [len(b.entry_set.all()) for b in Blog.objects.all()]
    finding = only_finding(queries)
    assert sizes == [ENTRIES_PER_BLOG] * BLOGS
    assert (finding.relation, finding.kind) == ("Blog.entry_set", REVERSE_MANY)
    assert finding.count == BLOGS
    assert finding.fix == "Blog.objects.prefetch_related('entry_set')"


def test_many_to_many_manager(rows: None) -> None:
    with profiler.capture() as queries:
        for entry in Entry.objects.all():
            assert len(entry.authors.all()) == 2
    finding = only_finding(queries)
    assert (finding.relation, finding.kind) == ("Entry.authors", M2M)
    assert finding.count == BLOGS * ENTRIES_PER_BLOG
    assert finding.fix == "Entry.objects.prefetch_related('authors')"
    assert "entry.authors.all()" in finding.site.code


def test_chain_is_reported_through_the_first_relation(rows: None) -> None:
    with profiler.capture() as queries:
        towns = [b.author.hometown.name for b in Book.objects.all()]
    assert len(towns) == BOOKS
    findings = {f.relation: f for f in queries.n_plus_one()}
    assert set(findings) == {"Book.author", "Person.hometown"}
    author, hometown = findings["Book.author"], findings["Person.hometown"]
    assert (author.via, author.fix) == ("", "Book.objects.select_related('author')")
    assert hometown.via == "Book.author"
    assert hometown.fix == "Book.objects.select_related('author__hometown')"
    assert author.count == hometown.count == BOOKS
    assert "(via Book.author)" in str(hometown)
    town_loads = [q.load for q in queries if q.load is not None and q.load.field == "hometown"]
    assert len(town_loads) == BOOKS
    assert all(load is town_loads[0] for load in town_loads)  # one object per route


def test_chain_through_a_prefetched_relation_prefetches_the_whole_path(rows: None) -> None:
    with profiler.capture() as queries:
        for blog in Blog.objects.prefetch_related("entry_set"):
            for entry in blog.entry_set.all():
                list(entry.authors.all())
    finding = only_finding(queries)
    assert (finding.relation, finding.via) == ("Entry.authors", "Blog.entry_set")
    assert finding.fix == "Blog.objects.prefetch_related('entry_set__authors')"


def test_field_deferred_by_only(rows: None) -> None:
    with profiler.capture() as queries:
        ratings = [e.rating for e in Entry.objects.only("headline")]
    finding = only_finding(queries)
    assert len(ratings) == finding.count == BLOGS * ENTRIES_PER_BLOG
    assert (finding.relation, finding.kind) == ("Entry.rating", DEFERRED)
    assert finding.fix == "Entry.objects.only('headline', 'rating')"


def test_field_deferred_by_defer(rows: None) -> None:
    with profiler.capture() as queries:
        bodies = [e.body_text for e in Entry.objects.defer("body_text", "summary")]
    finding = only_finding(queries)
    assert len(bodies) == finding.count
    assert finding.fix == "Entry.objects.defer('summary')"


def test_filtered_related_manager_gets_a_prefetch_fix(rows: None) -> None:
    with profiler.capture() as queries:
        for blog in Blog.objects.all():
            assert len(blog.entry_set.filter(rating__gte=2)) == ENTRIES_PER_BLOG - 1
    finding = only_finding(queries)
    assert finding.relation == "Blog.entry_set"
    assert finding.fix == (
        "Blog.objects.prefetch_related(Prefetch('entry_set', "
        "queryset=Entry.objects.filter(rating__gte=2), to_attr='filtered_entry_set'))"
    )
    # The fix, applied, runs two statements and gives the same rows.
    with profiler.capture() as fixed:
        blogs = Blog.objects.prefetch_related(
            Prefetch(
                "entry_set",
                queryset=Entry.objects.filter(rating__gte=2),
                to_attr="filtered_entry_set",
            )
        )
        assert [len(b.filtered_entry_set) for b in blogs] == [ENTRIES_PER_BLOG - 1] * BLOGS
    assert len(fixed) == 2
    assert not fixed.n_plus_one()


def test_filter_on_a_prefetched_manager_queries_again(rows: None) -> None:
    with profiler.capture() as queries:
        for blog in Blog.objects.prefetch_related("entry_set"):
            list(blog.entry_set.filter(headline__endswith="#0"))
    assert len(queries) == 2 + BLOGS  # the prefetch did not help
    finding = only_finding(queries)
    assert finding.relation == "Blog.entry_set"
    assert finding.count == BLOGS
    assert "prefetched" in finding.note
    assert 'queryset=Entry.objects.filter(headline__endswith="#0")' in finding.fix


def test_unfiltered_reads_of_a_prefetched_manager_are_not_queries(rows: None) -> None:
    with profiler.capture() as queries:
        for blog in Blog.objects.prefetch_related("entry_set"):
            list(blog.entry_set.all())
    assert len(queries) == 2
    assert queries.n_plus_one() == []


def test_count_in_a_loop_gets_an_annotate_fix(rows: None) -> None:
    with profiler.capture() as queries:
        counts = [b.entry_set.count() for b in Blog.objects.all()]
    finding = only_finding(queries)
    assert counts == [ENTRIES_PER_BLOG] * BLOGS
    assert finding.fix == "Blog.objects.annotate(Count('entry'))"


ORIGINAL_AND_FIXED = {
    "forward FK": (
        lambda: [e.blog.name for e in Entry.objects.all()],
        lambda: [e.blog.name for e in Entry.objects.select_related("blog")],
    ),
    "reverse FK": (
        lambda: [len(b.entry_set.all()) for b in Blog.objects.all()],
        lambda: [len(b.entry_set.all()) for b in Blog.objects.prefetch_related("entry_set")],
    ),
    "m2m": (
        lambda: [len(e.authors.all()) for e in Entry.objects.all()],
        lambda: [len(e.authors.all()) for e in Entry.objects.prefetch_related("authors")],
    ),
    "chain": (
        lambda: [b.author.hometown.name for b in Book.objects.all()],
        lambda: [b.author.hometown.name for b in Book.objects.select_related("author__hometown")],
    ),
    "deferred": (
        lambda: [e.rating for e in Entry.objects.only("headline")],
        lambda: [e.rating for e in Entry.objects.only("headline", "rating")],
    ),
}


@pytest.mark.parametrize("case", list(ORIGINAL_AND_FIXED))
def test_the_fix_makes_the_finding_disappear(rows: None, case: str) -> None:
    original, fixed = ORIGINAL_AND_FIXED[case]
    with profiler.capture() as before:
        expected = original()
    with profiler.capture() as after:
        assert fixed() == expected
    assert before.n_plus_one(), "the original code must be reported"
    assert after.n_plus_one() == []
    assert len(after) <= 3


def test_fetch_modes(rows: None) -> None:
    """Django 6.1 FETCH_PEERS loads every peer in one statement: not an N+1. FETCH_RAISE raises."""
    if not hasattr(models, "FETCH_PEERS"):
        assert django.VERSION < (6, 1)
        with profiler.capture() as queries:
            [e.blog.name for e in Entry.objects.all()]
        assert only_finding(queries).count == BLOGS * ENTRIES_PER_BLOG
        return
    from django.core.exceptions import FieldFetchBlocked

    with profiler.capture() as queries:
        names = [e.blog.name for e in Entry.objects.fetch_mode(models.FETCH_PEERS)]
    assert len(names) == BLOGS * ENTRIES_PER_BLOG
    assert len(queries) == 2
    assert str(queries[1].load) == "Entry.blog"  # attributed, but it ran once
    assert queries.n_plus_one() == []
    assert queries.n_plus_one(threshold=1)[0].count == 1
    with profiler.capture() as queries:
        entries = Entry.objects.fetch_mode(models.FETCH_RAISE)
        with pytest.raises(FieldFetchBlocked):
            [e.blog.name for e in entries]
    assert _state.current_load() is None
    assert _state.loads == {}


def test_threshold(rows: None) -> None:
    blogs = list(Blog.objects.all()[:3])
    with profiler.capture() as queries:
        for blog in blogs[:2]:
            list(blog.entry_set.all())  # twice from this line
        list(blogs[2].entry_set.all())  # once from this one
    assert [f.count for f in queries.n_plus_one()] == [2]
    assert queries.n_plus_one(threshold=3) == []
    assert sorted(f.count for f in queries.n_plus_one(threshold=1)) == [1, 2]
    with pytest.raises(ValueError, match="threshold must be a positive int"):
        find_n_plus_one(queries, threshold=0)


def test_hooks_are_pass_through_without_a_capture(rows: None) -> None:
    with profiler.capture():
        marked = Book.objects.all()[0]
        assert marked.author.hometown.name
    assert "_profiler_mark" in marked.author.__dict__
    book = Book.objects.all()[0]
    assert book.author.hometown.name
    assert "_profiler_mark" not in book.author.__dict__
    assert _state.current_load() is None
    assert _state.loads == {}


def test_marked_instances_still_pickle(rows: None) -> None:
    with profiler.capture():
        book = Book.objects.select_related("author")[0]
        town = book.author.hometown
    assert book.__dict__["_profiler_mark"].eager
    assert book.author.__dict__["_profiler_mark"].via
    copy = pickle.loads(pickle.dumps(book))
    assert copy.author.hometown == town
    assert copy.__dict__.get("_profiler_mark") is None
    assert copy.author.__dict__.get("_profiler_mark") is None


def test_other_manager_calls_are_attributed_and_writes_are_not_findings(rows: None) -> None:
    blogs = list(Blog.objects.all())
    with profiler.capture() as queries:
        for blog in blogs:
            assert blog.entry_set.exists()
            assert len(list(blog.entry_set.iterator())) == ENTRIES_PER_BLOG
            assert blog.entry_set.aggregate(models.Max("rating"))["rating__max"] == 3
            blog.entry_set.update(number_of_pingbacks=1)
    assert all(str(q.load) == "Blog.entry_set" for q in queries if q.kind != "SAVEPOINT")
    assert [f.count for f in queries.n_plus_one()] == [BLOGS] * 3
    assert not any(q.kind == "UPDATE" for f in queries.n_plus_one() for q in f.queries)
    assert Entry.objects.filter(number_of_pingbacks=1).count() == BLOGS * ENTRIES_PER_BLOG


def test_a_lazy_load_labels_only_its_own_threads_statements(transactional_db: None) -> None:
    """While one thread is inside a lazy load, another thread's statements have no cause."""
    make_rows()
    entry = Entry.objects.all()[0]
    inside_load = threading.Event()
    other_done = threading.Event()
    seen: dict[str, Any] = {}

    def pause_inside_the_load(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        inside_load.set()
        other_done.wait(timeout=10)
        return execute(sql, params, many, context)

    def other_thread() -> None:
        try:
            inside_load.wait(timeout=10)
            with profiler.capture() as own:
                Blog.objects.count()
            seen["loads"] = [q.load for q in own]
        finally:
            other_done.set()
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    with profiler.capture() as queries, connection.execute_wrapper(pause_inside_the_load):
        assert entry.blog.name
    thread.join()
    assert seen == {"loads": [None]}
    assert [str(q.load) for q in queries] == ["Entry.blog"]
    assert _state.loads == {}


def test_lazy_loads_in_sync_to_async_work_are_attributed(rows: None) -> None:
    async def view() -> list[str]:
        return await sync_to_async(lambda: [e.blog.name for e in Entry.objects.all()])()

    with profiler.capture() as queries:
        names = async_to_sync(view)()
    assert len(names) == BLOGS * ENTRIES_PER_BLOG
    finding = only_finding(queries)
    assert (finding.model, finding.field, finding.count) == ("Entry", "blog", BLOGS * ENTRIES_PER_BLOG)
    assert _state.loads == {}


def test_a_manager_queryset_with_its_own_prefetch_is_one_load(rows: None) -> None:
    """``blog.entry_set.prefetch_related('authors')`` evaluated once runs two statements; it is one
    load of Blog.entry_set, not an N+1 (in a loop, one load per blog)."""
    blog = Blog.objects.order_by("id").first()
    with profiler.capture() as once:
        entries = list(blog.entry_set.prefetch_related("authors"))
    assert len(once) == 2
    assert len(entries) == ENTRIES_PER_BLOG
    assert once.n_plus_one() == []
    with profiler.capture() as looped:
        for blog in Blog.objects.order_by("id"):
            list(blog.entry_set.prefetch_related("authors"))
    [finding] = looped.n_plus_one()
    assert (finding.relation, finding.count) == ("Blog.entry_set", BLOGS)
