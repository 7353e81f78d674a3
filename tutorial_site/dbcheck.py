"""Check that a database can be reached and is migrated, with messages that say what to run."""

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor

from tutorial_site.config import redact_url


class DatabaseUnavailable(Exception):
    """The database cannot be used yet; the message names the fix."""


def describe(alias: str) -> str:
    settings = connections[alias].settings_dict
    engine = settings["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return f"SQLite database {alias!r}"
    where = f"{settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 'default port'}"
    return f"{engine} database {alias!r} ({settings.get('NAME')} on {where})"


def require_database(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Raise :class:`DatabaseUnavailable` unless ``alias`` accepts connections."""
    import os

    try:
        connections[alias].ensure_connection()
    except OperationalError as exc:
        url = os.environ.get("DATABASE_URL")
        hint = (
            f"DATABASE_URL is {redact_url(url)!r}: start that server, fix the URL, or unset "
            "DATABASE_URL to use the built-in SQLite database."
            if url and alias == DEFAULT_DB_ALIAS
            else "Check the DATABASES setting."
        )
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseUnavailable(f"Cannot connect to the {describe(alias)}: {reason}. {hint}") from exc


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Names (``app.migration``) of the migrations not yet applied to ``alias``."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
