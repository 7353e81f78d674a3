"""The scaling lab's pages: the blog index's two strategies, the statistics page, the comment view."""

from typing import Any

import pytest
from django.test import Client

import profiler
from tutorial_site.blog.models import Entry
from tutorial_site.scaling.blog_index import BlogRow, blog_rows

pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.mark.django_db
@pytest.mark.profiler_allow("Blog.entry_set")  # the lazy strategy, on purpose
def test_both_strategies_give_the_same_rows_lazy_in_1_plus_2n_queries(blogs: list[Any]) -> None:
    with profiler.capture(stacks=False) as lazy:
        lazy_rows = blog_rows("lazy")
    with profiler.capture(stacks=False) as optimized:
        optimized_rows = blog_rows("optimized")
    assert lazy_rows == optimized_rows == [BlogRow(f"Blog {i}", 1, f"Entry {i}") for i in range(3)]
    assert (len(lazy), len(optimized)) == (1 + 2 * 3, 1)


@pytest.mark.django_db
@pytest.mark.profiler_allow("Blog.entry_set")  # the lazy strategy, on purpose
def test_the_blog_index_page_and_a_wrong_strategy(blogs: list[Any]) -> None:
    client = Client()
    page = client.get("/scaling/blogs/?strategy=lazy")
    assert page.status_code == 200
    assert "Entry 2" in page.content.decode()
    wrong = client.get("/scaling/blogs/?strategy=fast")
    assert wrong.status_code == 400
    assert "use ?strategy=lazy or ?strategy=optimized" in wrong.content.decode()
    with pytest.raises(ValueError, match="Unknown strategy 'fast'"):
        blog_rows("fast")


@pytest.mark.django_db
def test_the_stats_page_and_the_index(blogs: list[Any]) -> None:
    client = Client()
    assert "Blog 1" in client.get("/scaling/stats/").content.decode()
    assert "/scaling/blogs/?strategy=lazy" in client.get("/scaling/").content.decode()


@pytest.mark.django_db
def test_the_comment_view_writes_then_reads_back(blogs: list[Any]) -> None:
    entry = Entry.objects.get(blog=blogs[0])
    client = Client()
    assert client.get(f"/scaling/entries/{entry.pk}/comments/").status_code == 405
    answer = client.post(f"/scaling/entries/{entry.pk}/comments/").json()
    assert answer == {"id": entry.pk, "number_of_comments": 1, "read_from": "default"}
    assert client.post("/scaling/entries/999999/comments/").status_code == 404
