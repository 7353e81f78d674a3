"""Caching on the configured cache (Redis in the PostgreSQL leg, local memory on SQLite): cached pages
with their render time, Vary: Cookie, cache.get_or_set and its invalidation."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings

import profiler
from tutorial_site.blog.models import Entry
from tutorial_site.scaling import caching
from tutorial_site.scaling.stats import STATS_KEY, blog_stats, cached_blog_stats

pytestmark = pytest.mark.usefixtures("fresh_cache")


def rendered_at(response: Any) -> str:
    assert response.status_code == 200, response.content[:300]
    return caching.rendered_at(response)


def get(client: Client, path: str) -> tuple[Any, int]:
    with profiler.capture(stacks=False) as captured:
        response = client.get(path)
    return response, len(captured)


@pytest.mark.django_db
def test_a_cached_page_is_rendered_once_then_served_from_the_cache(blogs: list[Any]) -> None:
    client = Client()
    first, first_queries = get(client, "/scaling/cached/")
    second, second_queries = get(client, "/scaling/cached/")
    assert rendered_at(first) == rendered_at(second)  # the seed sheet's check: the same timestamp
    assert (first_queries, second_queries) == (1, 0)
    assert "max-age=60" in second["Cache-Control"]
    assert "Blog 2" in second.content.decode()


@pytest.fixture
def ada(db: None) -> Client:
    User.objects.create_user("ada", password="a long enough password")
    client = Client()
    assert client.login(username="ada", password="a long enough password")
    return client


@pytest.mark.django_db
def test_vary_cookie_gives_each_visitor_their_own_copy(blogs: list[Any], ada: Client) -> None:
    ada.get("/scaling/cached/")  # Ada's first visit sets her CSRF cookie: her Cookie header changes once
    ada_page, _ = get(ada, "/scaling/cached/")
    anonymous_page, anonymous_queries = get(Client(), "/scaling/cached/")
    assert ada_page["Vary"] == "Cookie"
    assert "ada" in ada_page.content.decode()
    assert "ada" not in anonymous_page.content.decode()  # Ada's copy is not served to others
    assert anonymous_queries == 1  # rendered for the anonymous visitor
    again, queries = get(ada, "/scaling/cached/")
    assert (rendered_at(again), queries) == (rendered_at(ada_page), 0)  # Ada's own copy, from the cache


@pytest.mark.django_db
def test_without_vary_cookie_the_first_copy_is_served_to_everyone(blogs: list[Any], ada: Client) -> None:
    with override_settings(DEBUG=True):
        ada_page, _ = get(ada, "/scaling/cached/without-vary/")
        anonymous_page, anonymous_queries = get(Client(), "/scaling/cached/without-vary/")
    assert anonymous_queries == 0
    assert rendered_at(anonymous_page) == rendered_at(ada_page)
    assert "ada" in anonymous_page.content.decode()  # the leak the notebook shows
    assert "csrfmiddlewaretoken" in anonymous_page.content.decode()  # and Ada's CSRF token with it


@pytest.mark.django_db
def test_the_leaking_page_exists_only_in_development(blogs: list[Any]) -> None:
    assert Client().get("/scaling/cached/without-vary/").status_code == 404


@pytest.mark.django_db
def test_get_or_set_computes_once_then_serves_the_cached_stats(blogs: list[Any]) -> None:
    with profiler.capture(stacks=False) as miss:
        first = cached_blog_stats()
    with profiler.capture(stacks=False) as hit:
        second = cached_blog_stats()
    assert (len(miss), len(hit)) == (1, 0)
    assert second == first
    assert [row["name"] for row in first["blogs"]] == ["Blog 0", "Blog 1", "Blog 2"]
    assert first["blogs"][0]["entries"] == 1


def comments_of(stats: Any, blog_name: str) -> int:
    return next(row["comments"] for row in stats["blogs"] if row["name"] == blog_name)


@pytest.mark.django_db(transaction=True)  # invalidation runs when the write commits
def test_saving_or_deleting_an_entry_drops_the_cached_stats(blogs: list[Any]) -> None:
    assert comments_of(cached_blog_stats(), "Blog 0") == 0
    entry = Entry.objects.get(blog=blogs[0])
    entry.number_of_comments = 7
    entry.save()
    assert comments_of(cached_blog_stats(), "Blog 0") == 7
    entry.delete()
    assert cached_blog_stats()["blogs"][0]["entries"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_stale_value_is_never_served_after_a_write_commits(blogs: list[Any], fresh_cache: Any) -> None:
    """A request that reads the stats while another one's write is not committed yet caches the old
    numbers; the invalidation runs at the commit, so the stale copy is dropped with it."""
    before = cached_blog_stats()
    with transaction.atomic():
        entry = Entry.objects.get(blog=blogs[0])
        entry.number_of_comments = 42
        entry.save()
        # Meanwhile another request, which cannot see the uncommitted row, caches what it reads:
        fresh_cache.set(STATS_KEY, before)
    assert comments_of(cached_blog_stats(), "Blog 0") == 42


@pytest.mark.django_db(transaction=True)
def test_update_sends_no_signal_so_the_comment_view_invalidates_by_hand(blogs: list[Any]) -> None:
    entry = Entry.objects.get(blog=blogs[1])
    assert comments_of(cached_blog_stats(), "Blog 1") == 0
    response = Client().post(f"/scaling/entries/{entry.pk}/comments/")
    assert response.json()["number_of_comments"] == 1
    assert comments_of(cached_blog_stats(), "Blog 1") == 1


@pytest.mark.django_db
def test_blog_stats_annotates_every_blog_in_one_query(blogs: list[Any]) -> None:
    with profiler.capture(stacks=False) as captured:
        stats = blog_stats()
    assert len(captured) == 1
    first = stats["blogs"][0]
    assert (first["name"], first["entries"], first["mean_rating"], first["comments"]) == ("Blog 0", 1, 3, 0)
