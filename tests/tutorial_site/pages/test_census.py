"""statement_counts(): one row per page, the statements of each version and the lazy N+1s."""

import pytest
from django.test import Client

from tutorial_site.pages.catalog import PAGES, SitePage, page
from tutorial_site.pages.census import COLUMNS, count_page, statement_counts
from tutorial_site.pages.strategy import Strategy

from .site_data import populate

pytestmark = pytest.mark.profiler_allow  # the lazy pages run their N+1s on purpose


@pytest.mark.django_db
def test_every_page_is_counted_in_both_versions(client: Client) -> None:
    populate(3)
    table = statement_counts(client)
    assert list(table.columns) == COLUMNS
    assert list(table["page"]) == [site_page.title for site_page in PAGES]
    assert (table["lazy"] > table["optimized"]).all()
    entries = table.set_index("page").loc["Entries"]
    assert entries["lazy N+1"] == "Entry.blog, Entry.authors"
    assert entries["optimized"] == len(count_page(client, page("blog:entries"), Strategy.OPTIMIZED))


@pytest.mark.django_db
def test_a_page_that_does_not_answer_200_is_an_error(client: Client) -> None:
    with pytest.raises(LookupError, match="No Blog in the database"):
        count_page(client, page("blog:detail"), Strategy.LAZY)
    gone = SitePage("Gone", "blog:detail", "", "", example=lambda: {"pk": 999999})
    with pytest.raises(RuntimeError, match=r"/blog/999999/\?strategy=lazy answered 404"):
        count_page(client, gone, Strategy.LAZY)
