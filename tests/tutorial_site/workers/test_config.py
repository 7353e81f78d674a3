"""Celery's configuration: no broker means a clear error, never a silent fallback; timeouts are checked."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tutorial_site.celery import BrokerNotConfigured, SiteCelery
from tutorial_site.workers.config import DEFAULT_VISIBILITY_TIMEOUT, broker_transport_options
from tutorial_site.workers.services import Flower, Worker

from ..cli import run


def test_without_a_broker_sending_a_task_says_to_set_redis_url() -> None:
    app = SiteCelery("no-broker", set_as_current=False)
    app.conf.broker_url = ""
    with pytest.raises(BrokerNotConfigured, match=r"REDIS_URL is not set.*export REDIS_URL=redis://"):
        app.send_task("tutorial_site.workers.tasks.recompute_blog_statistics")
    with pytest.raises(BrokerNotConfigured):
        app.connection_for_read()


def test_with_a_broker_url_a_connection_is_made_for_it() -> None:
    app = SiteCelery("with-broker", set_as_current=False)
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    with app.connection_for_write() as connection:  # lazy: nothing is dialled yet
        assert (connection.transport_cls, connection.hostname, connection.port) == ("redis", "127.0.0.1", 1)


def test_a_worker_without_redis_url_stops_with_the_message(tmp_path: Path) -> None:
    result = run(["-m", "celery", "-A", "tutorial_site", "worker", "--loglevel", "WARNING"], tmp_path)
    assert result.returncode != 0
    assert "celery worker: Celery needs a Redis server" in result.stderr
    assert "REDIS_URL is not set" in result.stderr
    assert "amqp://" not in result.stdout + result.stderr  # no attempt at Celery's default broker


@pytest.mark.parametrize("service", [Worker, Flower])
def test_a_lab_service_without_a_broker_url_says_so_before_it_starts(service: type) -> None:
    with pytest.raises(BrokerNotConfigured, match="REDIS_URL is not set"):
        service("")


def test_the_visibility_timeout_comes_from_the_environment() -> None:
    assert broker_transport_options({})["visibility_timeout"] == DEFAULT_VISIBILITY_TIMEOUT
    options = broker_transport_options({"CELERY_VISIBILITY_TIMEOUT": "5"})
    assert options["visibility_timeout"] == 5
    # kombu looks for expired messages often enough for a short timeout to mean what it says
    assert options["unacked_restore_interval"] * options["unacked_restore_throttle"] <= 5


@pytest.mark.parametrize("raw", ["soon", "0", "-3", "1.5"])
def test_a_visibility_timeout_that_is_not_whole_seconds_is_improperly_configured(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=rf"CELERY_VISIBILITY_TIMEOUT='{raw}'.*whole number"):
        broker_transport_options({"CELERY_VISIBILITY_TIMEOUT": raw})


SETTINGS = """
import django
django.setup()
from django.conf import settings
print(settings.CACHES["default"]["LOCATION"], settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND)
"""


def test_celery_broker_url_gives_the_broker_a_redis_database_apart_from_the_cache(tmp_path: Path) -> None:
    cache, broker = "redis://127.0.0.1:6390/0", "redis://127.0.0.1:6390/1"
    settings = {"DJANGO_SETTINGS_MODULE": "tutorial_site.settings"}
    apart = run(["-c", SETTINGS], tmp_path, REDIS_URL=cache, CELERY_BROKER_URL=broker, **settings)
    assert apart.stdout.split() == [cache, broker, broker], apart.stderr
    shared = run(["-c", SETTINGS], tmp_path, REDIS_URL=cache, **settings)
    assert shared.stdout.split() == [cache, cache, cache], shared.stderr


def test_a_lab_worker_gets_the_broker_and_keeps_the_cache_it_is_given() -> None:
    cache, broker = "redis://127.0.0.1:6390/0", "redis://127.0.0.1:6390/1"
    apart = Worker(broker, env={"REDIS_URL": cache})
    assert (apart.env["REDIS_URL"], apart.env["CELERY_BROKER_URL"]) == (cache, broker)
    shared = Flower(broker)
    assert (shared.env["REDIS_URL"], shared.env["CELERY_BROKER_URL"]) == (broker, broker)
