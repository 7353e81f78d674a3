"""Statements per page, lazy and optimized, at the seed sizes: the table of the pages' N+1s.

Seeds a throwaway SQLite database (small, then medium), requests every page of the site in both
versions with Django's test client and counts the statements with the profiler. The lazy
versions of the paginated pages (entries, books) stay bounded by the page size; the others grow
with the data. The optimized versions run the same few statements at every size.

Run: .venv/bin/python bench/page_statements.py [--sizes small medium]
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    os.environ["TUTORIAL_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-pages-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tutorial_site.settings"
    sys.path.insert(0, str(ROOT))
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment(debug=False)  # the test client may reach the site; no debug toolbar


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["small", "medium"])
    sizes = parser.parse_args().sizes
    setup_django()
    import pandas as pd
    from django.core.management import call_command
    from django.test import Client

    from tutorial_site.pages.census import statement_counts

    call_command("migrate", verbosity=0)
    tables = []
    for size in sizes:
        call_command("seed", size=size, seed=0, flush=True, verbosity=0)
        counts = statement_counts(Client()).set_index("page")
        tables.append(counts[["lazy", "optimized"]].add_prefix(f"{size} "))
    table = pd.concat(tables, axis=1)
    largest = sizes[-1]
    table[f"lazy / optimized ({largest})"] = (table[f"{largest} lazy"] / table[f"{largest} optimized"]).round(
        1
    )
    print("SQL statements per request (SQLite; the small seed gives the same counts on PostgreSQL):")
    print(table.to_string())


if __name__ == "__main__":
    main()
