"""Connection settings from the environment: pooling, persistent connections, a read replica.

- ``DATABASE_POOL``: Django's PostgreSQL connection pool (psycopg_pool), ``N`` (a fixed pool of N
  connections per process) or ``MIN:MAX``; unset or ``0``: no pool.
- ``DATABASE_CONN_MAX_AGE``: seconds a connection is kept between requests (``CONN_MAX_AGE``);
  ``0`` (the default) closes it at the end of every request.
- ``DATABASE_DISABLE_SERVER_SIDE_CURSORS``: ``1`` behind PgBouncer in transaction mode, where a
  server-side cursor (``QuerySet.iterator()``) can be looked for on another server connection.
- ``REPLICA_URL``: a read replica of ``DATABASE_URL``, the ``replica`` alias.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from tutorial_site.config import database_config, redact_url

POSTGRESQL = "django.db.backends.postgresql"
# What the settings add with a replica: reads on it, writes and a request's reads after them on default.
ROUTER = "tutorial_site.scaling.routers.PrimaryReplicaRouter"
READ_YOUR_WRITES_MIDDLEWARE = "tutorial_site.scaling.middleware.read_your_writes_middleware"


def pool_options(raw: str) -> dict[str, int] | None:
    """``DATABASE_POOL``'s value as psycopg_pool's ``min_size``/``max_size`` (``None``: no pool)."""
    text = raw.strip()
    if text in ("", "0"):
        return None
    low, sep, high = text.partition(":")
    try:
        min_size, max_size = int(low), int(high if sep else low)
    except ValueError:
        min_size = max_size = -1
    if min_size < 0 or max_size < 1 or min_size > max_size:
        raise ImproperlyConfigured(
            f"DATABASE_POOL={raw!r} is not a pool size: use N (a fixed pool of N connections per "
            "process, e.g. 4) or MIN:MAX (e.g. 2:8), or 0 for no pool."
        )
    return {"min_size": min_size, "max_size": max_size}


def conn_max_age(raw: str) -> int:
    """``DATABASE_CONN_MAX_AGE``'s value: whole seconds, 0 or more."""
    try:
        seconds = int(raw.strip())
    except ValueError:
        seconds = -1
    if seconds < 0:
        raise ImproperlyConfigured(
            f"DATABASE_CONN_MAX_AGE={raw!r} is not a number of seconds: use 0 (a new connection per "
            "request) or e.g. 60 (keep each thread's connection for a minute)."
        )
    return seconds


def _flag(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={environ[name]!r} is not a boolean: use 1/0, true/false or yes/no.")


def with_connection_options(database: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """``database`` (a ``DATABASES`` entry) with the pool, ``CONN_MAX_AGE`` and cursor settings
    that ``environ`` asks for; unchanged when it asks for none."""
    configured = {**database, "OPTIONS": dict(database.get("OPTIONS", {}))}
    pool = pool_options(environ.get("DATABASE_POOL", ""))
    max_age = conn_max_age(environ.get("DATABASE_CONN_MAX_AGE", "0"))
    if pool is not None:
        if configured["ENGINE"] != POSTGRESQL:
            raise ImproperlyConfigured(
                "DATABASE_POOL needs PostgreSQL (Django's pool is psycopg_pool); the database is "
                f"{configured['ENGINE']}. Set DATABASE_URL to a postgres:// URL or unset DATABASE_POOL."
            )
        if max_age:
            raise ImproperlyConfigured(
                f"DATABASE_POOL and DATABASE_CONN_MAX_AGE={max_age} exclude each other: a pooled "
                "connection goes back to the pool after every request. Unset one of them."
            )
        configured["OPTIONS"]["pool"] = pool
    configured["CONN_MAX_AGE"] = max_age
    if _flag(environ, "DATABASE_DISABLE_SERVER_SIDE_CURSORS"):
        configured["DISABLE_SERVER_SIDE_CURSORS"] = True
    return configured


def replica_database(url: str, primary: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """The ``replica`` entry for ``REPLICA_URL``: a PostgreSQL standby of the ``default`` database.

    Under test it mirrors ``default`` (Django's ``TEST["MIRROR"]``): the test database has no replica.
    """
    replica = database_config(url, Path())  # a URL is given: no SQLite path is used
    if replica["ENGINE"] != POSTGRESQL or primary["ENGINE"] != POSTGRESQL:
        raise ImproperlyConfigured(
            f"REPLICA_URL={redact_url(url)!r} needs PostgreSQL for both DATABASE_URL and REPLICA_URL "
            "(a streaming replica is a PostgreSQL standby). Unset REPLICA_URL to read from the primary."
        )
    replica = with_connection_options(replica, environ)
    replica["TEST"] = {"MIRROR": "default"}
    return replica
