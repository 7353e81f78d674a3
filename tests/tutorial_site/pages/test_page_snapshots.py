"""The SQL of every optimized page, recorded in test_page_snapshots.queries.yml (and, where
PostgreSQL writes other SQL, test_page_snapshots.postgresql.queries.yml). A change to a page's
queries fails here with its diff; accept it with pytest --profiler-update-snapshots."""

from collections.abc import Callable

import pytest
from django.test import Client

from profiler.snapshot import Snapshot
from tutorial_site.pages.catalog import PAGES, SitePage
from tutorial_site.pages.strategy import Strategy

from .site_data import populate


@pytest.mark.django_db
@pytest.mark.parametrize("site_page", PAGES, ids=lambda p: p.url_name)
def test_optimized_page(client: Client, site_page: SitePage, query_snapshot: Callable[..., Snapshot]) -> None:
    populate(2)
    url = site_page.url(Strategy.OPTIMIZED)
    with query_snapshot():
        response = client.get(url)
    assert response.status_code == 200
