"""Bad query parameters get a 400 page that names each one and how to fix it, never a default."""

import pytest
from django.test import Client

from tutorial_site.pages.catalog import PAGES, SitePage

from .site_data import populate


@pytest.fixture
def rows(db: None) -> None:
    populate(2)


@pytest.mark.parametrize("site_page", PAGES, ids=lambda p: p.url_name)
def test_an_unknown_strategy_is_a_400_that_names_both(
    client: Client, rows: None, site_page: SitePage
) -> None:
    response = client.get(site_page.url("fast"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "strategy=&#x27;fast&#x27;: not a strategy" in html
    assert "?strategy=lazy" in html
    assert "?strategy=optimized" in html


def test_no_strategy_is_the_optimized_page(client: Client, rows: None) -> None:
    html = client.get("/blog/entries/").content.decode()
    assert '<strong class="current">optimized</strong>' in html
    assert client.get("/blog/entries/?strategy=").status_code == 200


def test_every_bad_filter_is_listed(client: Client, rows: None) -> None:
    response = client.get("/blog/entries/?strategy=lazy&year=abc&author=999&page=0")
    assert response.status_code == 400
    html = response.content.decode()
    assert "year=&#x27;abc&#x27;: a year is a whole number, like 2008." in html
    assert "author=&#x27;999&#x27;: there is no author with the id 999." in html
    assert "page=&#x27;0&#x27;: Ensure this value is greater than or equal to 1." in html
    assert 'href="/blog/entries/"' in html  # the way back, without the parameters


def test_a_page_past_the_end_is_a_404_naming_the_last(client: Client, rows: None) -> None:
    response = client.get("/library/?page=9")
    assert response.status_code == 404
    assert client.get("/library/?page=1").status_code == 200


def test_the_entry_list_filters_by_year_and_author(client: Client, rows: None) -> None:
    from tutorial_site.blog.models import Author, Entry

    second = Author.objects.order_by("name")[1]
    expected = Entry.objects.filter(authors=second, pub_date__year=2008).count()
    html = client.get(f"/blog/entries/?year=2008&author={second.pk}").content.decode()
    assert f"Entries of 2008 by {second.name}" in html
    assert html.count('<td class="date">2008-') == expected > 0
    assert client.get("/blog/entries/?year=1999").content.decode().count('<td class="date">') == 0


def test_an_unknown_object_is_a_404(client: Client, rows: None) -> None:
    assert client.get("/blog/999999/").status_code == 404
    assert client.get("/blog/authors/999999/").status_code == 404
