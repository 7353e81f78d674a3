"""What a round trip costs: the N+1 loop and its fixes on SQLite (in process) and on PostgreSQL.

SQLite answers inside the Python process; PostgreSQL answers over a socket, so every one of the
lazy loop's statements pays a network round trip. This runs `profiler.compare` on both, over the
same seeded data, and prints the median time per statement and the lazy / select_related ratio.
PostgreSQL comes from DATABASE_URL (a throwaway test database is created and dropped on that
server); without it only SQLite is measured. `make test`'s PostgreSQL leg runs this in CI.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/round_trips.py
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = [10, 100, 1000]


def setup_django() -> bool:
    """Configure the tutorial site with SQLite as ``sqlite`` and, when given, PostgreSQL as default."""
    os.environ["TUTORIAL_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-round-trips-")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tutorial_site.settings"
    sys.path.insert(0, str(ROOT))
    from django.conf import settings

    import tutorial_site.settings as site

    databases = dict(site.DATABASES)
    on_postgres = "postgresql" in databases["default"]["ENGINE"]
    databases["sqlite"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    if not on_postgres:
        databases = {"default": databases["sqlite"]}
    settings.DATABASES = databases
    import django

    django.setup()
    return on_postgres


def main() -> None:
    on_postgres = setup_django()
    from django.db import connections

    import profiler
    from tutorial_site.blog.models import Entry
    from tutorial_site.seeding import generate, load

    aliases = ["sqlite", "default"] if on_postgres else ["default"]
    data = generate("small", 0)
    created = []
    try:
        for alias in aliases:
            connection = connections[alias]
            if connection.vendor == "postgresql":
                connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
                created.append(alias)
            else:
                from django.core.management import call_command

                call_command("migrate", database=alias, verbosity=0)
            load(data, alias, progress=False)
        print(
            f"{'database':<12}{'strategy':<16}"
            + "".join(f"{'n=' + str(n):>12}" for n in SIZES)
            + f"{'per query':>12}"
        )
        for alias in aliases:
            vendor = connections[alias].vendor

            def lazy(n: int, alias: str = alias) -> list[str]:
                return [e.blog.name for e in Entry.objects.using(alias).order_by("id")[:n]]

            def joined(n: int, alias: str = alias) -> list[str]:
                qs = Entry.objects.using(alias).select_related("blog").order_by("id")[:n]
                return [e.blog.name for e in qs]

            result = profiler.compare(
                {"lazy": lazy, "select_related": joined},
                sizes=SIZES,
                repeat=5,
                using=alias,
                progress=False,
            )
            frame = result.frame.set_index(["strategy", "size"])
            for strategy in ("lazy", "select_related"):
                times = [frame.loc[(strategy, n), "median_ms"] for n in SIZES]
                statements = frame.loc[(strategy, SIZES[-1]), "queries"]
                per = f"{times[-1] / statements * 1000:>10.1f}us" if statements > 1 else ""
                print(f"{vendor:<12}{strategy:<16}" + "".join(f"{t:>10.2f}ms" for t in times) + per)
            ratio = (
                frame.loc[("lazy", SIZES[-1]), "median_ms"]
                / frame.loc[("select_related", SIZES[-1]), "median_ms"]
            )
            print(f"{vendor:<12}lazy / select_related at n={SIZES[-1]}: {ratio:.1f}x")
        if not on_postgres:
            print("DATABASE_URL does not point at PostgreSQL: only SQLite was measured.")
    finally:
        for alias in created:
            connections[alias].creation.destroy_test_db(connections[alias].settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
