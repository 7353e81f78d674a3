"""A worker killed mid-task: with late acknowledgement the task runs again, and only a whole run counts.

Delivery is at least once, never exactly once: the killed run started, the next run starts the same
message again. The task is idempotent and commits in one transaction, so the killed run leaves no row
and the finishing run leaves exactly the rows one run would.
"""

import os
import signal
import time

import pytest
import redis

from tutorial_site.workers import journal
from tutorial_site.workers.models import BlogStatistics
from tutorial_site.workers.services import Worker
from tutorial_site.workers.tasks import recompute_blog_statistics

from .conftest import SESSION
from .factories import EXPECTED, blogs_with_known_statistics, stored_figures

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

HOLD = 2.0  # seconds a run keeps its transaction open: the window in which the tests kill it
VISIBILITY_TIMEOUT = 5  # seconds Redis keeps an unacknowledged message from the crash test's workers


def starts(events: list[journal.Event]) -> list[journal.Event]:
    return [item for item in events if item["event"] == "started"]


def delivered_at(redis_url: str, task_id: str) -> float:
    """When Redis delivered the task's message, from the transport's index of unacknowledged messages."""
    client = redis.Redis.from_url(redis_url)
    for tag, raw in client.hgetall("unacked").items():
        if task_id.encode() in raw:
            return float(client.zscore("unacked_index", tag))
    raise AssertionError(f"no unacknowledged message of task {task_id} in Redis")


def test_a_killed_pool_process_gives_its_task_back_at_once(worker: Worker, redis_url: str) -> None:
    """task_reject_on_worker_lost: the worker's main process sees its child die and requeues the task.

    The session worker keeps the default one-hour visibility timeout, so only that requeue can
    explain a second run within seconds.
    """
    blogs_with_known_statistics()
    result = recompute_blog_statistics.apply_async(kwargs={"hold": HOLD}, queue=worker.queues[0])
    (first,) = journal.wait_for(redis_url, result.id, "started")
    os.kill(first["pid"], signal.SIGKILL)
    killed_at = time.time()

    assert result.get(timeout=60)["blogs"] == 3
    events = journal.wait_for(redis_url, result.id, "succeeded")
    first, second = starts(events)
    assert second["redelivered"]
    assert second["pid"] != first["pid"]  # a new pool process
    assert second["at"] - killed_at < 30  # requeued, not waiting an hour for the visibility timeout
    assert [item["event"] for item in events] == ["started", "started", "succeeded"]
    assert stored_figures() == EXPECTED
    assert worker.ping()  # the worker itself lived on


def test_a_killed_worker_leaves_its_task_to_the_next_worker_after_the_visibility_timeout(
    redis_url: str, worker_env: dict[str, str]
) -> None:
    blogs_with_known_statistics()
    queue = f"crash-{SESSION}"

    def crash_worker() -> Worker:
        return Worker(
            redis_url,
            name=f"crash-{SESSION}@lab",
            queues=[queue],
            visibility_timeout=VISIBILITY_TIMEOUT,
            env=worker_env,
        )

    with crash_worker() as first_worker:
        result = recompute_blog_statistics.apply_async(kwargs={"hold": HOLD}, queue=queue)
        (first,) = journal.wait_for(redis_url, result.id, "started")
        first_worker.kill()  # SIGKILL to the whole worker, as a crash or an OOM kill would
    delivered = delivered_at(redis_url, result.id)  # the message waits, unacknowledged
    assert result.state == "STARTED"  # nobody is left to say otherwise
    assert BlogStatistics.objects.count() == 0  # the killed run committed nothing

    with crash_worker():
        assert result.get(timeout=60)["blogs"] == 3
        events = journal.wait_for(redis_url, result.id, "succeeded")
    first, second = starts(events)
    assert not first["redelivered"]
    assert second["redelivered"]
    # Redis hands the message out again only once it has been unacknowledged for the timeout.
    assert second["at"] - delivered >= VISIBILITY_TIMEOUT
    assert [item["event"] for item in events] == ["started", "started", "succeeded"]
    assert stored_figures() == EXPECTED
    assert set(BlogStatistics.objects.values_list("task_id", flat=True)) == {result.id}
