"""A task's journal: every start, retry, success and failure of its body, kept in Redis.

The worker appends one event each time the task body starts or ends, so a run that crashed shows a
``started`` without an end, and a redelivered message shows a second ``started``. It lives in the
broker's Redis, not in the database, so a database lock or a rolled-back transaction never hides it.
"""

from __future__ import annotations

import json
import time
from functools import cache
from typing import Any, TypedDict

import redis

KEY = "tutorial_site:journal:{task_id}"
KEEP_SECONDS = 24 * 3600


class Event(TypedDict, total=False):
    event: str  # started, retried, succeeded or failed
    at: float  # time.time() in the worker
    task: str
    worker: str
    pid: int
    retries: int  # Celery's request.retries: 0 for the first delivery of a message
    redelivered: bool  # the broker delivered this message before, to a worker that never acked it
    error: str


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=5)


def record(redis_url: str, task_id: str, event: str, **fields: Any) -> None:
    """Append ``event`` (with ``fields`` and the time) to the journal of ``task_id``."""
    key = KEY.format(task_id=task_id)
    entry = {"event": event, "at": time.time(), **fields}
    client = _client(redis_url)
    client.rpush(key, json.dumps(entry))
    client.expire(key, KEEP_SECONDS)


def read(redis_url: str, task_id: str) -> list[Event]:
    """The events of ``task_id`` in the order they happened (empty if it never started)."""
    raw = _client(redis_url).lrange(KEY.format(task_id=task_id), 0, -1)
    return [json.loads(item) for item in raw]  # type: ignore[union-attr]


def wait_for(
    redis_url: str, task_id: str, event: str, *, count: int = 1, timeout: float = 30.0
) -> list[Event]:
    """Wait until the journal of ``task_id`` holds ``count`` ``event`` events; return the journal.

    Raises :class:`TimeoutError` with the journal so far when that does not happen in ``timeout`` s,
    and :class:`RuntimeError` as soon as the task has failed for good instead.
    """
    deadline = time.monotonic() + timeout
    while True:
        events = read(redis_url, task_id)
        if sum(1 for item in events if item["event"] == event) >= count:
            return events
        if event != "failed" and events and events[-1]["event"] == "failed":
            raise RuntimeError(
                f"task {task_id} failed ({events[-1].get('error')}) before it logged {event!r}; "
                f"its journal: {[item['event'] for item in events]}"
            )
        if time.monotonic() > deadline:
            seen = [item["event"] for item in events]
            raise TimeoutError(
                f"task {task_id} has not logged {count} {event!r} event(s) in {timeout:.0f} s "
                f"(its journal: {seen or 'empty'}). Is a worker consuming its queue?"
            )
        time.sleep(0.05)
