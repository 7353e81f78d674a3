"""Fixtures of the background-work tests: Redis from REDIS_URL and one real Celery worker per session.

The worker is a separate process, so it cannot see a test's open transaction: tests that use it are
``transaction=True`` tests on PostgreSQL (the postgres leg of ``make test``), and the worker reads the
same test database. Each session consumes its own queue, so a message left over from an interrupted
run never reaches this one.
"""

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from tutorial_site.workers.services import Worker, redis_answers

SESSION = uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def redis_url() -> str:
    """REDIS_URL of the postgres leg (skipped, a failure in CI, without a Redis that answers)."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set: the Celery tests need Redis (make test's postgres leg sets it)")
    if not redis_answers(url):
        pytest.skip(f"no Redis answers at REDIS_URL={url}")
    return url


def database_url_of_tests() -> str:
    """A DATABASE_URL for pytest-django's test database, for processes the tests start."""
    settings = connection.settings_dict
    assert connection.vendor == "postgresql", "a worker process cannot share SQLite's in-memory test db"
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@pytest.fixture(scope="session")
def worker_env(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment of worker processes: the test database, a var/ of their own."""
    return {
        "DATABASE_URL": database_url_of_tests(),
        "DJANGO_SETTINGS_MODULE": "tutorial_site.settings",
        "TUTORIAL_VAR_DIR": str(tmp_path_factory.mktemp("worker-var")),
    }


@pytest.fixture(scope="session")
def worker(redis_url: str, worker_env: dict[str, str]) -> Iterator[Worker]:
    """One Celery worker for the session, on the session's own queue (``worker.queues[0]``)."""
    with Worker(
        redis_url, name=f"tests-{SESSION}@lab", queues=[f"tests-{SESSION}"], env=worker_env
    ) as running:
        yield running
    client = redis.Redis.from_url(redis_url)
    stale = list(client.scan_iter(match=f"*{SESSION}*"))  # this session's queues, if anything is left
    if stale:
        client.delete(*stale)
