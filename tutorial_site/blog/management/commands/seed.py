"""``manage.py seed``: fill the tutorial site with deterministic, realistic data."""

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tutorial_site.chat.seeding import seed_chat
from tutorial_site.dbcheck import DatabaseUnavailable, require_database
from tutorial_site.seeding import SIZES, SeedError, generate, load


def non_negative_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0 or str(number) != value.strip().lstrip("+"):
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {value!r}")
    return number


class Command(BaseCommand):
    help = "Seed the tutorial database with deterministic data (same size and seed, same rows)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="small",
            help="how much data: small (notebooks), medium, large",
        )
        parser.add_argument(
            "--seed",
            type=non_negative_int,
            default=0,
            help="random seed, a non-negative integer (default 0)",
        )
        parser.add_argument(
            "--flush", action="store_true", help="replace the tutorial data already in the database"
        )
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (successfully) when the database already holds data",
        )

    def handle(
        self,
        *args: Any,
        size: str,
        seed: int,
        flush: bool,
        database: str,
        if_empty: bool,
        **options: Any,
    ) -> None:
        try:
            require_database(database)
        except DatabaseUnavailable as exc:
            raise CommandError(str(exc)) from exc
        from tutorial_site.seeding import seeded_counts

        verbosity = options["verbosity"]
        if if_empty and any(seeded_counts(database).values()):
            if verbosity:
                self.stdout.write("The database already holds tutorial data; nothing to do.")
            return
        started = time.perf_counter()
        data = generate(size, seed)
        try:
            written = load(data, database, replace=flush, progress=verbosity > 0)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        written.update(seed_chat(database, size=size, seed=seed, replace=flush))
        if not verbosity:
            return
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{table} {n:,}" for table, n in written.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {size} data (seed {seed}) into {database!r} in {elapsed:.1f}s: {summary}."
            )
        )
