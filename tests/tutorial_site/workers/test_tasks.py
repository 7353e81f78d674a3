"""Celery end to end: a real worker process runs the tasks; results, Flower and retries read back."""

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from django.db import transaction

from tutorial_site.workers import journal
from tutorial_site.workers.models import BlogStatistics
from tutorial_site.workers.services import Flower, Worker
from tutorial_site.workers.tasks import recompute_blog_statistics, recompute_one_blog

from .factories import EXPECTED, blogs_with_known_statistics, stored_figures

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def events(redis_url: str, task_id: str, last: str = "succeeded") -> list[tuple[str, int]]:
    """(event, retries) of the task's journal, once it holds ``last`` (written just after the result)."""
    return [(item["event"], item["retries"]) for item in journal.wait_for(redis_url, task_id, last)]


def test_a_worker_recomputes_the_statistics_and_the_result_comes_back(worker: Worker, redis_url: str) -> None:
    blogs_with_known_statistics()
    result = recompute_blog_statistics.apply_async(queue=worker.queues[0])
    assert result.get(timeout=30) == {"blogs": 3, "entries": 4, "comments": 35}
    assert result.state == "SUCCESS"
    assert stored_figures() == EXPECTED
    assert set(BlogStatistics.objects.values_list("task_id", flat=True)) == {result.id}
    started = journal.read(redis_url, result.id)[0]
    assert started["worker"] == worker.hostname
    assert worker.process is not None
    assert started["pid"] != worker.process.pid  # a pool process ran it, not the worker's main process


@pytest.fixture(scope="module")
def flower(worker: Worker, redis_url: str) -> Iterator[Flower]:
    """Flower for this module's tests, once it has heard from the session's worker."""
    with Flower(redis_url) as running:
        running.wait_for_worker(worker.hostname)
        yield running


def test_flower_reports_the_task_it_saw(worker: Worker, flower: Flower) -> None:
    blogs_with_known_statistics()
    result = recompute_blog_statistics.apply_async(queue=worker.queues[0])
    result.get(timeout=30)
    info = flower.wait_for_task(result.id, "SUCCESS")  # its events may trail the result a moment
    assert info["state"] == "SUCCESS"
    assert info["name"] == "tutorial_site.workers.tasks.recompute_blog_statistics"
    assert info["worker"] == worker.hostname
    assert info["routing_key"] == worker.queues[0]
    assert info["result"] == repr({"blogs": 3, "entries": 4, "comments": 35})
    assert info["runtime"] > 0


def test_flower_refuses_its_api_without_the_password(flower: Flower) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(flower.url("/api/workers"), timeout=5)
    refused.value.close()
    assert refused.value.code == 401
    assert "recompute_blog_statistics" in str(flower.api("/api/task/types"))  # with it, it answers


def test_a_task_sent_before_its_blog_is_committed_is_retried_until_it_is(
    worker: Worker, redis_url: str
) -> None:
    with transaction.atomic():
        blog = blogs_with_known_statistics()["Busy"]
        result = recompute_one_blog.apply_async((blog.pk,), queue=worker.queues[0])
        journal.wait_for(redis_url, result.id, "retried")  # the worker cannot see the blog yet
    assert result.get(timeout=30) == {"blogs": 1, "entries": 3, "comments": 30}
    assert events(redis_url, result.id) == [("started", 0), ("retried", 0), ("started", 1), ("succeeded", 1)]
    assert journal.read(redis_url, result.id)[1]["error"] == "DoesNotExist"


def test_sent_on_commit_the_task_runs_once(worker: Worker, redis_url: str) -> None:
    with transaction.atomic():
        blog = blogs_with_known_statistics()["Busy"]
        sent: list[str] = []
        transaction.on_commit(
            lambda: sent.append(recompute_one_blog.apply_async((blog.pk,), queue=worker.queues[0]).id)
        )
        assert not sent
    (task_id,) = sent
    assert events(redis_url, task_id) == [("started", 0), ("succeeded", 0)]


def test_a_blog_that_never_appears_fails_after_the_last_retry(worker: Worker, redis_url: str) -> None:
    last = recompute_one_blog.max_retries
    # Sent as if it had been retried already, so the test does not wait through the backoff.
    result = recompute_one_blog.apply_async((10**9,), queue=worker.queues[0], retries=last)
    with pytest.raises(Exception, match="no blog with id 1000000000") as failed:
        result.get(timeout=30)
    assert type(failed.value).__name__ == "DoesNotExist"
    assert result.state == "FAILURE"
    assert events(redis_url, result.id, "failed") == [("started", last), ("failed", last)]
