"""The scaling lab's pages: its index, the statistics page, the comment view."""

from typing import Any

import pytest
from django.test import Client

import profiler
from tutorial_site.blog.models import Entry
from tutorial_site.scaling.server import LOAD_PATH

pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.mark.django_db
def test_the_stats_page_and_the_index(blogs: list[Any]) -> None:
    client = Client()
    assert "Blog 1" in client.get("/scaling/stats/").content.decode()
    index = client.get("/scaling/").content.decode()
    assert 'href="/blog/?strategy=lazy"' in index  # the page under load is the site's blog index
    assert f'href="{LOAD_PATH}"' in index


@pytest.mark.django_db
def test_the_page_under_load_is_the_blog_index_in_one_query(blogs: list[Any]) -> None:
    with profiler.capture(stacks=False) as queries:
        page = Client().get(LOAD_PATH)
    assert page.status_code == 200
    assert page.resolver_match.view_name == "blog:index"
    assert "Blog 2" in page.content.decode()
    assert len(queries) == 1


@pytest.mark.django_db
def test_the_comment_view_writes_then_reads_back(blogs: list[Any]) -> None:
    entry = Entry.objects.get(blog=blogs[0])
    client = Client()
    assert client.get(f"/scaling/entries/{entry.pk}/comments/").status_code == 405
    answer = client.post(f"/scaling/entries/{entry.pk}/comments/").json()
    assert answer == {"id": entry.pk, "number_of_comments": 1, "read_from": "default"}
    assert client.post("/scaling/entries/999999/comments/").status_code == 404
