"""The lab's private Redis, and pointing this process's Celery app at it."""

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tutorial_site.celery import app
from tutorial_site.services import port_answers
from tutorial_site.workers.services import REDIS_SERVER, RedisServer, redis_answers, use_broker


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    if not Path(REDIS_SERVER).exists():
        pytest.skip(f"no redis-server at {REDIS_SERVER}: run scripts/system_packages.sh")
    with RedisServer() as server:
        yield server


@pytest.fixture
def restore_broker(private_redis: RedisServer) -> Iterator[None]:
    """Put this process's broker back (REDIS_URL or none) before the private Redis stops."""
    before = app.conf.broker_url
    yield
    gc.collect()  # results unsubscribe from the private Redis while it still answers
    use_broker(before)


def test_a_private_redis_answers_and_leaves_nothing_behind(private_redis: RedisServer) -> None:
    assert redis_answers(private_redis.redis_url)
    data_dir = Path(private_redis.data_dir)
    private_redis.stop()
    assert not port_answers(private_redis.port)
    assert not data_dir.exists()


@pytest.mark.usefixtures("restore_broker")
# Celery's Redis result backend calls setex, which redis-py 8 deprecates.
@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_use_broker_sends_this_process_s_tasks_and_results_there(private_redis: RedisServer) -> None:
    use_broker(private_redis.redis_url)
    result = app.send_task("tutorial_site.workers.tasks.recompute_blog_statistics", queue="use-broker-test")
    client = redis.Redis.from_url(private_redis.redis_url)
    assert client.llen("use-broker-test") == 1  # the message waits in the private Redis
    app.backend.store_result(result.id, {"ok": True}, "SUCCESS")
    assert result.get(timeout=5) == {"ok": True}  # and results are read from it
    assert client.exists(f"celery-task-meta-{result.id}")
    del result
