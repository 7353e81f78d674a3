"""The Celery application of the tutorial site: Redis (``REDIS_URL``) is its broker and result backend.

    make worker        # celery -A tutorial_site worker (REDIS_URL must be set)
    make flower        # celery -A tutorial_site flower, on 127.0.0.1 with a password

The tasks are in ``tutorial_site/workers/tasks.py``; the ``CELERY_*`` Django settings (the Celery
section at the end of ``settings/base.py``) configure the app. Without a broker URL every use of a
connection (a worker, Flower, ``task.delay()``) raises :class:`BrokerNotConfigured`, which says what to
set, instead of Celery's silent fallback to RabbitMQ on localhost.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, signals
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial_site.settings")

MISSING_BROKER = (
    "Celery needs a Redis server as its broker and result backend, and REDIS_URL is not set. "
    "Start Redis and set it, e.g. export REDIS_URL=redis://127.0.0.1:6379/0, then start the worker "
    "again (make worker). (A notebook can start a private one: tutorial_site.workers.services.RedisServer.)"
)


class BrokerNotConfigured(ImproperlyConfigured):
    """Celery was asked for a connection but no broker URL (``REDIS_URL``) is configured."""


class SiteCelery(Celery):
    """Celery that refuses to connect without a configured broker rather than guess one."""

    def require_broker(self) -> str:
        """The broker URL; :class:`BrokerNotConfigured` when there is none."""
        url = self.conf.broker_url
        if not url:
            raise BrokerNotConfigured(MISSING_BROKER)
        return str(url)

    def connection_for_read(self, url: Any = None, **kwargs: Any) -> Any:
        if not url:
            self.require_broker()
        return super().connection_for_read(url, **kwargs)

    def connection_for_write(self, url: Any = None, **kwargs: Any) -> Any:
        # connection() and broker_connection() come here too.
        if not url:
            self.require_broker()
        return super().connection_for_write(url, **kwargs)


app = SiteCelery("tutorial_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.celeryd_init.connect
def _stop_a_worker_without_broker(**kwargs: Any) -> None:
    """End ``celery worker`` with the message (a signal handler's exception would only be logged)."""
    try:
        app.require_broker()
    except BrokerNotConfigured as exc:
        raise SystemExit(f"celery worker: {exc}") from None
