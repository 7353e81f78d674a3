"""How many SQL statements each page runs, lazy and optimized: :func:`statement_counts`.

    from django.test import Client
    statement_counts(Client())      # a pandas DataFrame, one row per page

The client must be allowed to reach the site: in a notebook or a script, call Django's
``setup_test_environment()`` first, as Django's tutorial does in the shell.
"""

from typing import Any

import profiler

from .catalog import PAGES, SitePage
from .strategy import Strategy

COLUMNS = ["page", "url", "lazy", "optimized", "lazy N+1"]


def count_page(client: Any, site_page: SitePage, strategy: Strategy) -> profiler.Capture:
    """The statements one request for the page runs (a ``profiler.Capture``)."""
    url = site_page.url(strategy)
    with profiler.capture(stacks=False) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return queries


def statement_counts(client: Any, pages: tuple[SitePage, ...] = PAGES) -> Any:
    """One row per page: its URL, the statements of each version, and the lazy version's N+1s."""
    import pandas as pd

    rows = []
    for site_page in pages:
        lazy = count_page(client, site_page, Strategy.LAZY)
        optimized = count_page(client, site_page, Strategy.OPTIMIZED)
        findings = ", ".join(finding.relation for finding in lazy.n_plus_one())
        rows.append([site_page.title, site_page.url(), len(lazy), len(optimized), findings])
    return pd.DataFrame(rows, columns=COLUMNS)
