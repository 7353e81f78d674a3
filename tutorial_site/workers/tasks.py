"""The site's background tasks: recompute blog statistics, journaled, retried on transient errors.

Delivery is **at least once**: the settings acknowledge a message only after its task returns
(``task_acks_late``), so a worker killed mid-task leaves the message unacknowledged in Redis and a
worker runs it again (at once when only the pool process died, after the visibility timeout when the
whole worker did). Each task is therefore idempotent: it recomputes the figures from the entries and
overwrites them in one transaction, so a second run gives the same rows and a killed run commits none.
"""

from __future__ import annotations

import os
from typing import Any

from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError

from tutorial_site.blog.models import Blog
from tutorial_site.celery import app

from . import journal
from .statistics import store_statistics, summary

#: Errors worth another try a little later: the database went away, or a row is not visible yet.
TRANSIENT = (OperationalError, InterfaceError)
RETRY = {
    "retry_backoff": 1,  # wait 1, 2, 4, 8 ... seconds between tries
    "retry_backoff_max": 30,
    "retry_jitter": False,
    "max_retries": 5,
}


class JournaledTask(DjangoTask):
    """A task that writes each start and end of its body to its journal (``journal.py``)."""

    def _record(self, task_id: str, event: str, **fields: Any) -> None:
        request = self.request
        journal.record(
            self.app.conf.broker_url,
            task_id,
            event,
            task=self.name,
            worker=request.hostname or "",
            pid=os.getpid(),
            retries=request.retries,
            **fields,
        )

    def before_start(self, task_id: str, args: Any, kwargs: Any) -> None:
        delivery = self.request.delivery_info or {}
        self._record(task_id, "started", redelivered=bool(delivery.get("redelivered")))

    def on_success(self, retval: Any, task_id: str, args: Any, kwargs: Any) -> None:
        self._record(task_id, "succeeded")

    def on_retry(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        self._record(task_id, "retried", error=type(exc).__name__)

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        self._record(task_id, "failed", error=type(exc).__name__)


@app.task(bind=True, base=JournaledTask, autoretry_for=TRANSIENT, **RETRY)
def recompute_blog_statistics(self: JournaledTask, hold: float = 0.0) -> dict[str, Any]:
    """Recompute every blog's statistics in one ``annotate`` query; store them in one transaction.

    ``hold`` (seconds) keeps the transaction open before it commits: long work the lab can kill.
    """
    return summary(store_statistics(task_id=self.request.id or "", hold=hold))


@app.task(bind=True, base=JournaledTask, autoretry_for=(Blog.DoesNotExist, *TRANSIENT), **RETRY)
def recompute_one_blog(self: JournaledTask, blog_id: int) -> dict[str, Any]:
    """Recompute the statistics of the blog ``blog_id``.

    A blog that does not exist *yet* (sent with ``delay()`` inside the transaction that creates it,
    before that transaction commits) raises ``Blog.DoesNotExist``, which is retried with a growing
    delay; ``delay_on_commit()`` avoids the race altogether.
    """
    blogs = Blog.objects.filter(pk=blog_id)
    if not blogs.exists():
        raise Blog.DoesNotExist(f"no blog with id {blog_id} (yet)")
    return summary(store_statistics(blogs, task_id=self.request.id or ""))
