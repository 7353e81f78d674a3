"""scaling.config: pool, CONN_MAX_AGE, server-side cursors and the replica, from the environment."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.tutorial_site.cli import run
from tutorial_site.scaling.config import pool_options, replica_database, with_connection_options

POSTGRES = {"ENGINE": "django.db.backends.postgresql", "NAME": "lab", "OPTIONS": {"connect_timeout": 5}}
SQLITE = {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}


def test_no_variables_leave_the_database_as_configured() -> None:
    assert with_connection_options(POSTGRES, {}) == {**POSTGRES, "CONN_MAX_AGE": 0}
    assert with_connection_options(SQLITE, {}) == {**SQLITE, "OPTIONS": {}, "CONN_MAX_AGE": 0}


def test_a_pool_size_becomes_psycopg_pool_options() -> None:
    assert pool_options("4") == {"min_size": 4, "max_size": 4}
    assert pool_options(" 2:8 ") == {"min_size": 2, "max_size": 8}
    assert pool_options("0") is None
    assert pool_options("") is None
    configured = with_connection_options(POSTGRES, {"DATABASE_POOL": "3"})
    assert configured["OPTIONS"] == {"connect_timeout": 5, "pool": {"min_size": 3, "max_size": 3}}
    assert "pool" not in POSTGRES["OPTIONS"]  # the input is not changed


@pytest.mark.parametrize("raw", ["x", "-1", "8:2", "0:0", "1:2:3"])
def test_a_wrong_pool_size_says_what_to_write(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"DATABASE_POOL=.* use N .* or MIN:MAX"):
        pool_options(raw)


def test_a_pool_needs_postgresql_and_excludes_persistent_connections() -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL needs PostgreSQL"):
        with_connection_options(SQLITE, {"DATABASE_POOL": "2"})
    with pytest.raises(ImproperlyConfigured, match="exclude each other"):
        with_connection_options(POSTGRES, {"DATABASE_POOL": "2", "DATABASE_CONN_MAX_AGE": "60"})


def test_conn_max_age_and_server_side_cursors() -> None:
    configured = with_connection_options(
        POSTGRES, {"DATABASE_CONN_MAX_AGE": "60", "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "yes"}
    )
    assert configured["CONN_MAX_AGE"] == 60
    assert configured["DISABLE_SERVER_SIDE_CURSORS"] is True
    with pytest.raises(ImproperlyConfigured, match="DATABASE_CONN_MAX_AGE='soon' is not a number of seconds"):
        with_connection_options(POSTGRES, {"DATABASE_CONN_MAX_AGE": "soon"})


def test_the_replica_mirrors_default_under_test_and_needs_postgresql() -> None:
    replica = replica_database("postgres://app@127.0.0.1:5433/lab", POSTGRES, {"DATABASE_POOL": "2"})
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("127.0.0.1", 5433, "lab")
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replica["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 2}
    redacted = r"REPLICA_URL='postgres://app:\*\*\*@h/lab' needs PostgreSQL"
    with pytest.raises(ImproperlyConfigured, match=redacted):
        replica_database("postgres://app:secret@h/lab", SQLITE, {})


PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['OPTIONS']['pool'], s.DATABASES['replica']['TEST']['MIRROR'], "
    "s.DATABASE_ROUTERS, s.MIDDLEWARE[-1])"
)


def test_the_sites_settings_read_the_variables(tmp_path: Path) -> None:
    done = run(
        ["-c", PROBE],
        tmp_path,
        DJANGO_SETTINGS_MODULE="tutorial_site.settings",
        DATABASE_URL="postgres://app@127.0.0.1:5432/site",
        REPLICA_URL="postgres://app@127.0.0.1:5433/site",
        DATABASE_POOL="2:4",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "{'min_size': 2, 'max_size': 4} default "
        "['tutorial_site.scaling.routers.PrimaryReplicaRouter'] "
        "tutorial_site.scaling.middleware.read_your_writes_middleware"
    )


def test_without_a_replica_the_site_has_no_router(tmp_path: Path) -> None:
    probe = "import django; django.setup(); from django.conf import settings as s; print(s.DATABASE_ROUTERS)"
    done = run(["-c", probe], tmp_path, DJANGO_SETTINGS_MODULE="tutorial_site.settings")
    assert (done.returncode, done.stdout.strip()) == (0, "[]")
