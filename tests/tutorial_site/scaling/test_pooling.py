"""The site under gunicorn, measured: a new connection per request, CONN_MAX_AGE and Django's pool, read
from pg_stat_activity and pg_stat_database on the lab's primary."""

import pytest

from tutorial_site.scaling.cluster import Cluster
from tutorial_site.scaling.load import measure
from tutorial_site.scaling.server import LOAD_PATH, gunicorn_site

pytestmark = pytest.mark.postgres
REQUESTS = 40
WORKERS, THREADS = 2, 3


def run(cluster: Cluster, **environ: str) -> object:
    site = gunicorn_site({"DATABASE_URL": cluster.primary.url(), **environ}, workers=WORKERS, threads=THREADS)
    return measure("test", site, LOAD_PATH, cluster.primary, requests=REQUESTS, concurrency=8, warm_up=8)


def test_without_pooling_every_request_opens_a_connection(lab: Cluster) -> None:
    result = run(lab)
    assert result.failed == 0, result.first_error
    assert result.connections_opened >= REQUESTS + 8  # warm-up included


def test_conn_max_age_keeps_one_connection_per_thread(lab: Cluster) -> None:
    result = run(lab, DATABASE_CONN_MAX_AGE="60")
    assert result.failed == 0, result.first_error
    assert 1 <= result.connections_opened <= WORKERS * THREADS
    assert result.peak_connections <= WORKERS * THREADS


def test_the_pool_caps_connections_per_process(lab: Cluster) -> None:
    result = run(lab, DATABASE_POOL="2")
    assert result.failed == 0, result.first_error
    assert 1 <= result.connections_opened <= WORKERS * 2
    assert result.peak_connections <= WORKERS * 2
