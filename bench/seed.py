"""Time `manage.py seed --size medium`'s load against a raw sqlite3.executemany of the same rows.

Three loads of the same generated rows into a freshly migrated SQLite file, each in one transaction
that first deletes what the previous round wrote:

- raw:         sqlite3's executemany, dates turned to text by hand (the floor);
- load():      tutorial_site.seeding.load, what the seed command runs (goal: at most 2x raw);
- bulk_create: model instances through QuerySet.bulk_create, for reference (the compiler prepares
               every value of every row: 4-6x raw, which is why load() does not use it).

Best of --rounds, interleaved, so the ratios compare runs made under the same machine load.
--profile prints where load()'s time goes. Run: .venv/bin/python bench/seed.py [--size medium]
"""

import argparse
import cProfile
import datetime
import os
import pstats
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile one load() and print the top")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="bench-seed-")
    os.environ["TUTORIAL_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    # Production-like: DEBUG off, so Django does not keep a log of every statement.
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial_site.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from tutorial_site.seeding import flush, generate, load
    from tutorial_site.seeding.load import TABLES, model_for

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = generate(args.size, 0)
    print(
        f"generated {sum(map(len, data.tables.values())):,} rows in "
        f"{time.perf_counter() - started:.2f}s (not timed below)"
    )

    def timed(work: Callable[[], None]) -> Callable[[], float]:
        def run() -> float:
            start = time.perf_counter()
            work()
            return time.perf_counter() - start

        return run

    def bulk_create() -> None:
        with transaction.atomic():
            flush()
            for table, (_, fields) in TABLES.items():
                model = model_for(table)
                positional = [f.attname for f in model._meta.concrete_fields] == list(fields)
                rows = data.tables[table]
                objects = (
                    [model(*row) for row in rows]
                    if positional
                    else [model(**dict(zip(fields, row, strict=True))) for row in rows]
                )
                model.objects.bulk_create(objects, batch_size=2_000)

    raw_path = Path(var_dir) / "raw.sqlite3"
    raw_path.write_bytes(Path(connection.settings_dict["NAME"]).read_bytes())
    statements = {table: _raw_insert(model_for(table), fields) for table, (_, fields) in TABLES.items()}

    def raw() -> None:
        db = sqlite3.connect(raw_path)
        with db:
            for table in reversed(TABLES):
                db.execute(f'DELETE FROM "{model_for(table)._meta.db_table}"')
            for table, sql in statements.items():
                db.executemany(sql, [tuple(map(_adapt, row)) for row in data.tables[table]])
        db.close()

    runs = {
        "raw": timed(raw),
        "load()": timed(lambda: load(data, replace=True, progress=False)),
        "bulk_create": timed(bulk_create),
    }
    best = {name: float("inf") for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            best[name] = min(best[name], run())
    flush()
    floor = best["raw"]
    print(f"{args.size}: raw executemany {floor:.2f}s")
    for name, goal in (("load()", " (goal <= 2x)"), ("bulk_create", "")):
        print(f"{args.size}: {name:<16} {best[name]:.2f}s = {best[name] / floor:.2f}x raw{goal}")

    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(load, data, replace=True, progress=False)
        flush()
        pstats.Stats(profile).sort_stats("tottime").print_stats(12)


def _raw_insert(model: object, fields: tuple[str, ...]) -> str:
    meta = model._meta  # type: ignore[attr-defined]
    columns = ", ".join(f'"{meta.get_field(name).column}"' for name in fields)
    return f'INSERT INTO "{meta.db_table}" ({columns}) VALUES ({", ".join("?" * len(fields))})'


def _adapt(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime.date) else value


if __name__ == "__main__":
    main()
