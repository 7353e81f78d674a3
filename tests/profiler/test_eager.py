"""Unused eager loads: select_related/prefetch_related paths evaluated in a capture, never read."""

import warnings

import pytest
from django.db.models import Prefetch

import profiler
from profiler.eager import PREFETCH_RELATED, SELECT_RELATED, UnusedEagerLoad, find_unused
from tutorial_site.blog.models import Blog, Entry
from tutorial_site.library.models import Book

from .test_nplusone import make_rows

# Eager-load bookkeeping read with and without a capture: the suite-wide switch leaves it alone.
pytestmark = pytest.mark.profiler_allow


@pytest.fixture
def rows(db: None) -> None:
    make_rows()


def only_unused(capture: profiler.Capture) -> UnusedEagerLoad:
    unused = capture.unused_eager_loads()
    assert len(unused) == 1, unused
    return unused[0]


def test_unused_select_related(rows: None) -> None:
    with profiler.capture() as queries:
        headlines = [e.headline for e in Entry.objects.select_related("blog")]
    assert headlines
    unused = only_unused(queries)
    assert (unused.model, unused.path, unused.method) == ("Entry", "blog", SELECT_RELATED)
    assert unused.used == ""
    assert unused.site is not None
    assert "select_related" in unused.site.code
    assert "remove 'blog'" in unused.advice
    assert str(unused).startswith("Unused select_related('blog') on Entry at ")


def test_unused_prefetch_related(rows: None) -> None:
    with profiler.capture() as queries:
        names = [b.name for b in Blog.objects.prefetch_related("entry_set")]
    assert names
    unused = only_unused(queries)
    assert (unused.model, unused.path, unused.method) == ("Blog", "entry_set", PREFETCH_RELATED)


def test_used_paths_are_not_reported(rows: None) -> None:
    with profiler.capture() as queries:
        for entry in Entry.objects.select_related("blog").prefetch_related("authors"):
            assert entry.blog.name
            assert len(entry.authors.all()) == 2
        for book in Book.objects.select_related("author__hometown"):
            assert book.author.hometown.name
        for blog in Blog.objects.prefetch_related("entry_set__authors"):
            for entry in blog.entry_set.all():
                assert entry.authors.all()
    assert [(load.model, load.paths) for load in queries._eager_loads] == [
        ("Entry", ("blog",)),
        ("Entry", ("authors",)),
        ("Book", ("author__hometown",)),
        ("Blog", ("entry_set__authors",)),
    ]
    assert queries.unused_eager_loads() == []
    assert queries.n_plus_one() == []


def test_nested_path_read_only_halfway(rows: None) -> None:
    with profiler.capture() as queries:
        names = [b.author.name for b in Book.objects.select_related("author__hometown")]
    assert names
    unused = only_unused(queries)
    assert (unused.path, unused.used) == ("author__hometown", "author")
    assert "select_related('author')" in unused.advice


def test_nested_prefetch_read_only_halfway(rows: None) -> None:
    with profiler.capture() as queries:
        for blog in Blog.objects.prefetch_related("entry_set__authors"):
            assert [e.headline for e in blog.entry_set.all()]
    unused = only_unused(queries)
    assert (unused.path, unused.used, unused.method) == (
        "entry_set__authors",
        "entry_set",
        PREFETCH_RELATED,
    )


def test_one_read_anywhere_at_the_site_counts(rows: None) -> None:
    def page(read: bool) -> None:
        for entry in Entry.objects.select_related("blog"):
            if read:
                assert entry.blog.name

    with profiler.capture() as queries:
        page(read=False)
        page(read=True)
    assert queries.unused_eager_loads() == []
    with profiler.capture() as queries:
        page(read=False)
        page(read=False)
    assert only_unused(queries).evaluations == 2


def test_select_related_without_arguments_follows_non_null_foreign_keys(rows: None) -> None:
    with profiler.capture() as queries, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Calling select_related\\(\\) with no arguments")
        titles = [b.title for b in Book.objects.select_related()]
    assert titles
    assert only_unused(queries).path == "author__hometown"


def test_prefetch_with_to_attr_is_not_reported(rows: None) -> None:
    with profiler.capture() as queries:
        blogs = list(
            Blog.objects.prefetch_related(
                Prefetch("entry_set", queryset=Entry.objects.all(), to_attr="entries")
            )
        )
    assert blogs
    assert queries.unused_eager_loads() == []
    (load,) = queries._eager_loads
    assert load.untracked == ("entries",)


def test_empty_results_and_reads_outside_the_capture(rows: None) -> None:
    with profiler.capture() as queries:
        assert list(Entry.objects.select_related("blog").filter(rating=-1)) == []
    assert queries.unused_eager_loads() == []
    with profiler.capture() as queries:
        entries = list(Entry.objects.select_related("blog"))
    assert [e.blog.name for e in entries]  # read after the block: not seen
    assert only_unused(queries).path == "blog"


def test_find_unused_without_eager_loads() -> None:
    assert find_unused(object()) == []
