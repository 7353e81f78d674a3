"""assert_max_queries / assert_no_n_plus_one: pass quietly, fail with call sites and fixes."""

import pytest
from django.test import TestCase

import profiler
from tests.profiler.factories import blogs_with_one_entry_each
from tutorial_site.blog.models import Blog, Entry

# The N+1 the assertions must catch, built on purpose.
pytestmark = pytest.mark.profiler_allow("Entry.blog")


def _make_entries(count: int = 3) -> None:
    blogs_with_one_entry_each(count)


def _n_plus_one() -> list[str]:
    return [e.blog.name for e in Entry.objects.all()]  # LINE: n+1


def _two_statements() -> None:
    Blog.objects.count()
    Entry.objects.count()


def _count_then_fail() -> float:
    return Blog.objects.count() / 0


def test_assert_max_queries_passes_at_the_limit(db: None) -> None:
    with profiler.assert_max_queries(2) as captured:
        _two_statements()
    assert len(captured) == 2


def test_assert_max_queries_lists_each_statement_with_its_call_site(db: None) -> None:
    with pytest.raises(AssertionError) as failure, profiler.assert_max_queries(1):
        _two_statements()
    message = str(failure.value)
    lines = message.splitlines()
    assert lines[0] == "Expected at most 1 query, 2 were executed:"
    headers = [line for line in lines if line.startswith("[")]
    assert len(headers) == 2
    assert all("tests/profiler/test_assertions.py:" in h and "in _two_statements" in h for h in headers)
    assert Blog._meta.db_table in message
    assert Entry._meta.db_table in message


def test_assert_max_queries_zero_and_using(db: None) -> None:
    with profiler.assert_max_queries(0):
        pass
    with pytest.raises(AssertionError, match="at most 0 queries"), profiler.assert_max_queries(0):
        Blog.objects.exists()


@pytest.mark.django_db(databases=["default", "other"])
def test_assert_max_queries_counts_only_the_named_alias() -> None:
    with profiler.assert_max_queries(1, using="other"):
        Blog.objects.using("other").count()
        Blog.objects.count()
        Blog.objects.count()


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_assert_max_queries_rejects_a_bad_limit(bad: object) -> None:
    with pytest.raises(ValueError, match=r"whole number of statements >= 0.*use 0"):
        profiler.assert_max_queries(bad).__enter__()  # type: ignore[arg-type]


def test_assert_no_n_plus_one_lists_findings_with_their_fixes(db: None) -> None:
    _make_entries()
    with pytest.raises(AssertionError) as failure, profiler.assert_no_n_plus_one():
        _n_plus_one()
    message = str(failure.value)
    assert message.splitlines()[0] == "1 N+1 finding:"
    assert "Entry.blog" in message
    assert "select_related('blog')" in message
    assert "in _n_plus_one" in message
    assert "The 4 statements executed:" in message


def test_assert_no_n_plus_one_passes_with_the_fix(db: None) -> None:
    _make_entries()
    with profiler.assert_no_n_plus_one() as captured:
        [e.blog.name for e in Entry.objects.select_related("blog")]
    assert len(captured) == 1


def test_assert_no_n_plus_one_threshold(db: None) -> None:
    _make_entries(2)
    with profiler.assert_no_n_plus_one(threshold=3):
        _n_plus_one()
    with pytest.raises(ValueError, match=">= 2"):
        profiler.assert_no_n_plus_one(threshold=1).__enter__()


def test_an_error_in_the_block_propagates_unchanged(db: None) -> None:
    """Not an AssertionError although the block ran more statements than allowed."""
    with pytest.raises(ZeroDivisionError), profiler.assert_max_queries(0):
        _count_then_fail()


class AssertionsInATestCase(TestCase):
    databases = {"default", "other"}

    def test_assert_max_queries(self) -> None:
        with profiler.assert_max_queries(1):
            Blog.objects.count()
        with self.assertRaisesMessage(AssertionError, "Expected at most 1 query, 2 were"):  # noqa: SIM117
            with profiler.assert_max_queries(1):
                _two_statements()

    def test_assert_no_n_plus_one(self) -> None:
        _make_entries()
        with self.assertRaisesMessage(AssertionError, "select_related('blog')"):  # noqa: SIM117
            with profiler.assert_no_n_plus_one():
                _n_plus_one()
        with profiler.assert_no_n_plus_one(using="other"):
            _n_plus_one()  # on 'default': not looked at
