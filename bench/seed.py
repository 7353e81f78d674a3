"""Time `manage.py seed --size medium`'s ORM load against raw sqlite3.executemany of the same rows.

Both insert the same generated rows into a freshly migrated SQLite file, inside one transaction.
Prints the ratio ORM / raw (goal: at most 2x). Run: .venv/bin/python bench/seed.py [--size medium]
"""

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--rounds", type=int, default=3)
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
    from django.db import connection

    from tutorial_site.seeding import generate, load
    from tutorial_site.seeding.load import TABLES, flush, model_for

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = generate(args.size, 0)
    print(
        f"generated {sum(map(len, data.tables.values())):,} rows in "
        f"{time.perf_counter() - started:.2f}s (not timed below)"
    )

    def orm() -> float:
        start = time.perf_counter()
        load(data, replace=True, progress=False)
        return time.perf_counter() - start

    raw_path = Path(var_dir) / "raw.sqlite3"
    raw_path.write_bytes(Path(connection.settings_dict["NAME"]).read_bytes())

    def raw() -> float:
        db = sqlite3.connect(raw_path)
        start = time.perf_counter()
        with db:
            for table in reversed(TABLES):
                db.execute(f'DELETE FROM "{model_for(table)._meta.db_table}"')
            for table, (_, fields) in TABLES.items():
                model = model_for(table)
                columns = [
                    model._meta.get_field(
                        f.removesuffix("_id") if f.endswith("_id") and f != "id" else f
                    ).column
                    for f in fields
                ]
                sql = (
                    f'INSERT INTO "{model._meta.db_table}" ({", ".join(map(repr, columns))}) '
                    f"VALUES ({', '.join('?' * len(columns))})"
                ).replace("'", '"')
                db.executemany(sql, [tuple(_adapt(v) for v in row) for row in data.tables[table]])
        elapsed = time.perf_counter() - start
        db.close()
        return elapsed

    orm_times, raw_times = [], []
    for _ in range(args.rounds):  # interleaved, best of N
        orm_times.append(orm())
        raw_times.append(raw())
    flush()
    best_orm, best_raw = min(orm_times), min(raw_times)
    print(
        f"{args.size}: ORM load {best_orm:.2f}s, raw executemany {best_raw:.2f}s, "
        f"ratio {best_orm / best_raw:.2f}x (goal <= 2x)"
    )


def _adapt(value: object) -> object:
    import datetime

    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


if __name__ == "__main__":
    main()
