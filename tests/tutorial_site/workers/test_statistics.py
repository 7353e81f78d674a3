"""The statistics a task stores: one annotate query, one transaction, the same rows when run again."""

import threading

import pytest
from django.db import connection

from profiler import capture
from tutorial_site.workers.models import BlogStatistics
from tutorial_site.workers.statistics import annotated_blogs, store_statistics, summary

from .factories import EXPECTED, blogs_with_known_statistics, stored_figures

pytestmark = pytest.mark.django_db


def test_the_figures_of_every_blog_come_from_one_grouped_query() -> None:
    blogs_with_known_statistics()
    with capture() as queries:
        figures = {
            blog.name: (blog.entries, blog.comments, blog.pingbacks, blog.mean_rating, blog.latest_entry)
            for blog in annotated_blogs()
        }
    assert figures == EXPECTED
    assert len(queries) == 1
    assert "GROUP BY" in queries[0].sql


def test_storing_twice_leaves_the_same_rows() -> None:
    blogs_with_known_statistics()
    first = store_statistics(task_id="first")
    store_statistics(task_id="second")
    assert stored_figures() == EXPECTED
    assert set(BlogStatistics.objects.values_list("task_id", flat=True)) == {"second"}
    assert summary(first) == {"blogs": 3, "entries": 4, "comments": 35}


def test_a_deleted_blog_takes_its_statistics_with_it() -> None:
    blogs = blogs_with_known_statistics()
    store_statistics()
    blogs["Quiet"].delete()
    assert set(stored_figures()) == {"Busy", "Empty"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rows_are_invisible_until_the_whole_run_commits() -> None:
    """While a run holds its transaction open, another connection sees none of its rows."""
    blogs_with_known_statistics()
    seen_during: list[int] = []
    writer = threading.Thread(target=lambda: (store_statistics(hold=1.0), connection.close()))
    writer.start()
    try:
        for _ in range(50):
            if writer.is_alive():
                seen_during.append(BlogStatistics.objects.count())
            writer.join(0.02)
    finally:
        writer.join()
    assert seen_during
    assert set(seen_during) == {0}
    assert BlogStatistics.objects.count() == 3
