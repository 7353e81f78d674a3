"""``manage.py checkdb``: fail fast, with a clear message, when the database cannot be reached."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tutorial_site.dbcheck import DatabaseUnavailable, describe, require_database


class Command(BaseCommand):
    help = "Check that the database accepts connections."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, database: str, **options: Any) -> None:
        try:
            require_database(database)
        except DatabaseUnavailable as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] > 1:
            self.stdout.write(f"Connected to the {describe(database)}.")
