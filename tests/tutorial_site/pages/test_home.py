"""The home page lists every page with both versions, and runs no SQL."""

import pytest
from django.test import Client

import profiler
from tutorial_site.pages.catalog import PAGES, page
from tutorial_site.pages.strategy import Strategy


@pytest.mark.django_db
def test_home_links_every_list_page_in_both_versions_without_sql(client: Client) -> None:
    with profiler.capture() as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert len(queries) == 0
    html = response.content.decode()
    for site_page in PAGES:
        assert site_page.title in html
        if not site_page.needs_object:
            for strategy in Strategy:
                assert f'href="{site_page.url()}?strategy={strategy}"' in html


def test_pages_are_looked_up_by_url_name() -> None:
    assert page("blog:entries").title == "Entries"
    with pytest.raises(LookupError, match=r"No page 'blog:nope'; the pages are blog:index, "):
        page("blog:nope")


@pytest.mark.django_db
def test_an_object_page_without_rows_says_how_to_get_some() -> None:
    with pytest.raises(LookupError, match=r"No Blog in the database: seed it first"):
        page("blog:detail").url()
