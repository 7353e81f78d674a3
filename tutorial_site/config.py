"""Turn environment variables into Django settings, with errors that say what to fix."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_flag(name: str, *, default: bool) -> bool:
    """Read a boolean environment variable (1/0, true/false, yes/no, on/off)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1/0, true/false or yes/no.")


def secret_key(*, debug: bool) -> str:
    """``DJANGO_SECRET_KEY``; a development-only fallback when ``debug``, else a clear error."""
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if debug:
        return "development-only-key-not-for-production"
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Production settings need a secret key from the "
        "environment, e.g. export DJANGO_SECRET_KEY=$(python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')"
    )


def allowed_hosts(*, debug: bool) -> list[str]:
    """``DJANGO_ALLOWED_HOSTS`` (comma-separated); the local addresses when ``debug`` and unset."""
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    return hosts or (["localhost", "127.0.0.1", "[::1]"] if debug else [])


def database_config(url: str | None, sqlite_path: Path) -> dict[str, Any]:
    """The ``default`` database: ``url`` (dj-database-url syntax) or a SQLite file at ``sqlite_path``."""
    if not url:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": sqlite_path}
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL={redact_url(url)!r} is not a database URL ({exc}). Use e.g. "
            "postgres://postgres@127.0.0.1:5432/postgres, or unset it to use SQLite."
        ) from exc
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return config


def cache_config(url: str | None) -> dict[str, Any]:
    """The ``default`` cache: Redis at ``url`` when given, else local memory."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL={url!r} is not a Redis URL: use e.g. redis://127.0.0.1:6379/0."
        )
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ``***``, safe to print."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user, has_password, _ = credentials.partition(":")
    return f"{scheme}://{user}{':***' if has_password else ''}@{host}"


def channel_layer_config(url: str | None) -> dict[str, Any]:
    """The ``default`` channel layer: channels_redis at ``url`` when given, else in-memory.

    The in-memory layer connects the consumers of one process only: fine for ``runserver`` and
    the tests, not for two server processes.
    """
    if not url:
        return {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1_000}}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL={redact_url(url)!r} is not a Redis URL: use e.g. redis://127.0.0.1:6379/0."
        )
    return {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [url]}}
