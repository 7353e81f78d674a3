"""What the ORM findings panel adds to a request, over django-debug-toolbar's SQL panel alone.

Seeds a throwaway SQLite database (small seed), then requests pages through the toolbar (DEBUG
on, a test client from 127.0.0.1) with the SQL panel and the ORM findings panel configured:

    sql        the ORM findings panel switched off with its toolbar checkbox (cookie), as a
               developer would: the SQL panel alone does the work
    sql + orm  both panels on

The two are interleaved round by round, so both see the same machine load; each round's ratio
(sql + orm) / sql is taken, and the median of those ratios is printed per page, with the median
CPU time of each (CPU time of this process: the requests run in it, SQLite too, so other
processes on a shared machine disturb it little). Goal: at most 1.10.

The profiler's ORM hooks are installed once the panel has run, and stay as idle pass-throughs in
the "sql" runs, as in a development server where the panel is switched off.

Run: .venv/bin/python bench/panel_overhead.py [--rounds 30]
"""

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/blog/entries/?strategy=lazy",
    "/pizzeria/?strategy=lazy",
    "/library/?strategy=lazy",
    "/blog/entries/?strategy=optimized",
]
PANELS = [
    "debug_toolbar.panels.sql.SQLPanel",
    "profiler.contrib.debug_toolbar.panel.ORMFindingsPanel",
]


def setup_django() -> None:
    os.environ["TUTORIAL_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-panel-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tutorial_site.settings"
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment(debug=True)  # the test client's host is allowed; DEBUG stays on
    settings.DEBUG_TOOLBAR_PANELS = PANELS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    setup_django()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("seed", size="small", seed=0, verbosity=0)
    sql_only, both = Client(), Client()
    sql_only.cookies["djdtORMFindingsPanel"] = "off"  # the panel's checkbox in the toolbar
    clients = {"sql": sql_only, "sql + orm": both}

    def timed(client: Client, url: str) -> float:
        start = time.process_time()
        response = client.get(url)
        spent = time.process_time() - start
        assert response.status_code == 200, url
        return spent

    checked = both.get(PAGES[0]).content.decode()
    if "2 N+1" not in checked:
        raise SystemExit("The ORM findings panel did not run: is the debug toolbar installed?")
    if "2 N+1" in sql_only.get(PAGES[0]).content.decode():
        raise SystemExit("The ORM findings panel ran although its cookie switched it off.")
    print(f"{rounds} rounds per page, interleaved; CPU time per request (median)")
    print(f"{'page':<36}{'sql':>10}{'sql + orm':>12}{'ratio':>9}")
    for url in PAGES:
        for client in clients.values():  # warm: templates compiled, caches filled
            timed(client, url)
        times: dict[str, list[float]] = {name: [] for name in clients}
        gc.collect()
        for index in range(rounds):
            order = list(clients) if index % 2 == 0 else list(reversed(clients))
            for name in order:
                times[name].append(timed(clients[name], url))
        ratios = [b / a for a, b in zip(times["sql"], times["sql + orm"], strict=True)]
        print(
            f"{url:<36}{statistics.median(times['sql']) * 1000:>8.1f}ms"
            f"{statistics.median(times['sql + orm']) * 1000:>10.1f}ms{statistics.median(ratios):>9.3f}"
        )


if __name__ == "__main__":
    main()
