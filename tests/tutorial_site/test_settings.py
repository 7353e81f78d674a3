"""Settings from the environment: production passes ``check --deploy``; bad values fail clearly."""

import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from tutorial_site.config import cache_config, database_config, env_flag, redact_url

from .cli import manage, run

PRODUCTION = "tutorial_site.settings.production"
UNREACHABLE = "postgres://postgres@127.0.0.1:1/nope"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def production_env() -> dict[str, str]:
    return {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "example.com"}


# --- production -----------------------------------------------------------------------------


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        "--settings",
        PRODUCTION,
        var_dir=tmp_path,
        **production_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_settings_use_the_environment(tmp_path: Path) -> None:
    env = production_env()
    probe = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.SECRET_KEY == "
        f"{env['DJANGO_SECRET_KEY']!r})"
    )
    result = run(["-c", probe], tmp_path, DJANGO_SETTINGS_MODULE=PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['example.com'] True"


@pytest.mark.parametrize("how", ["--settings", "DJANGO_SETTINGS_MODULE"])
def test_production_without_a_secret_key_is_improperly_configured(tmp_path: Path, how: str) -> None:
    if how == "--settings":
        result = manage(
            "check", "--settings", PRODUCTION, var_dir=tmp_path, DJANGO_ALLOWED_HOSTS="example.com"
        )
    else:
        result = manage(
            "check",
            var_dir=tmp_path,
            DJANGO_SETTINGS_MODULE=PRODUCTION,
            DJANGO_ALLOWED_HOSTS="example.com",
        )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr  # the message says how to make one


# --- DATABASE_URL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["nonsense", "postgress://user:s3cret@db.example.com/app", "postgres://u:s3cret@h:port/db"],
)
def test_a_malformed_database_url_is_improperly_configured(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^DATABASE_URL=.* is not a database URL") as caught:
        database_config(url, Path("unused.sqlite3"))
    message = str(caught.value)
    assert "postgres://postgres@127.0.0.1:5432/postgres" in message  # an example that works
    assert "unset it to use SQLite" in message
    assert "s3cret" not in message  # passwords are never echoed


def test_a_malformed_database_url_stops_manage_py_with_the_message(tmp_path: Path) -> None:
    result = manage("checkdb", var_dir=tmp_path, DATABASE_URL="nonsense")
    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith(
        "django.core.exceptions.ImproperlyConfigured: DATABASE_URL='nonsense' is not a database URL"
    )


def test_database_url_selects_postgresql_with_a_connect_timeout() -> None:
    config = database_config("postgres://postgres@127.0.0.1:5432/lab", Path("unused.sqlite3"))
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "lab"
    assert config["OPTIONS"]["connect_timeout"] == 5


def test_no_database_url_means_sqlite_under_the_var_dir(tmp_path: Path) -> None:
    config = database_config(None, tmp_path / "var" / "db.sqlite3")
    assert config == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": tmp_path / "var" / "db.sqlite3",
    }
    assert (tmp_path / "var").is_dir()


@pytest.mark.parametrize("command", [["checkdb"], ["seed"], ["seed", "--flush", "--size", "medium"]])
def test_an_unreachable_database_gives_a_clear_error_without_traceback(
    tmp_path: Path, command: list[str]
) -> None:
    result = manage(*command, var_dir=tmp_path, DATABASE_URL=UNREACHABLE)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first_line = result.stderr.splitlines()[0]
    assert first_line.startswith(
        "CommandError: Cannot connect to the postgresql database 'default' (nope on 127.0.0.1:1)"
    )
    assert "start that server, fix the URL, or unset DATABASE_URL" in result.stderr
    assert not list(tmp_path.iterdir())  # nothing was written anywhere


def test_urls_are_redacted_before_printing() -> None:
    assert redact_url("postgres://app:hunter2@db:5432/x") == "postgres://app:***@db:5432/x"
    assert redact_url("postgres://app@db/x") == "postgres://app@db/x"
    assert redact_url("redis://:hunter2@cache:6379/0") == "redis://:***@cache:6379/0"
    assert redact_url("nonsense") == "nonsense"


# --- flags and REDIS_URL --------------------------------------------------------------------


def test_boolean_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAB_FLAG", "Yes")
    assert env_flag("LAB_FLAG", default=False) is True
    monkeypatch.setenv("LAB_FLAG", "0")
    assert env_flag("LAB_FLAG", default=True) is False
    monkeypatch.delenv("LAB_FLAG")
    assert env_flag("LAB_FLAG", default=True) is True
    monkeypatch.setenv("LAB_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"LAB_FLAG='maybe' is not a boolean: use 1/0"):
        env_flag("LAB_FLAG", default=True)


def test_cache_is_local_memory_without_redis_url_and_rejects_other_urls() -> None:
    assert cache_config(None)["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert cache_config("redis://h:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://h:6379/1",
    }
    with pytest.raises(ImproperlyConfigured, match=r"REDIS_URL='http://h' is not a Redis URL"):
        cache_config("http://h")


@pytest.fixture
def redis_url() -> Iterator[str]:
    """``REDIS_URL`` (default redis://127.0.0.1:6379/15) when that server answers, else a skip."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        client.close()
        pytest.skip(f"Redis is not reachable at {redact_url(REDIS_URL)} ({exc}); start it or set REDIS_URL")
    yield REDIS_URL
    client.close()


@pytest.mark.redis
def test_redis_cache_round_trip(redis_url: str) -> None:
    import redis

    key = f"lab-test-{uuid.uuid4().hex}"
    raw = redis.Redis.from_url(redis_url)
    with override_settings(CACHES={"default": cache_config(redis_url)}):
        cache = caches["default"]
        try:
            cache.set(key, {"blog": "Beatles Blog", "entries": [1, 5]}, timeout=30)
            assert cache.get(key) == {"blog": "Beatles Blog", "entries": [1, 5]}
            stored = cache.make_and_validate_key(key)
            assert raw.exists(stored) == 1  # really in Redis, not in process memory
            assert 0 < raw.ttl(stored) <= 30
            assert cache.delete(key) is True
            assert raw.exists(stored) == 0
            assert cache.get(key, "gone") == "gone"
        finally:
            cache.delete(key)
            cache.close()
            raw.close()


@pytest.mark.redis
def test_redis_url_configures_the_sites_cache(redis_url: str, tmp_path: Path) -> None:
    key = f"lab-test-{uuid.uuid4().hex}"
    probe = (
        "import django; django.setup(); from django.core.cache import cache; "
        f"cache.set({key!r}, 'hello', 30); print(type(cache._cache).__name__, cache.get({key!r})); "
        f"cache.delete({key!r})"
    )
    result = run(
        ["-c", probe],
        tmp_path,
        DJANGO_SETTINGS_MODULE="tutorial_site.settings",
        REDIS_URL=redis_url,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RedisCacheClient hello"
