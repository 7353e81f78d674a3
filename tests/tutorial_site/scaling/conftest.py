"""Fixtures of the scaling tests: an isolated cache, blog rows, and the lab's PostgreSQL primary and
replica (once for the package: the tests that use it are marked ``postgres``)."""

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from tests.profiler.factories import blogs_with_one_entry_each
from tutorial_site.scaling.cluster import Cluster, postgres_bin_dir
from tutorial_site.scaling.config import READ_YOUR_WRITES_MIDDLEWARE
from tutorial_site.scaling.databases import use_databases
from tutorial_site.scaling.routers import PrimaryReplicaRouter


@pytest.fixture
def fresh_cache() -> Iterator[Any]:
    """The configured cache (Redis when REDIS_URL is set, else local memory) under a key prefix of
    its own: nothing another test stored is visible, and nothing needs flushing afterwards."""
    config = {**settings.CACHES["default"], "KEY_PREFIX": f"scaling-test-{uuid.uuid4().hex}"}
    with override_settings(CACHES={"default": config}):
        yield caches["default"]


@pytest.fixture
def blogs(db: None) -> list[Any]:
    """Three blogs with one entry each."""
    return blogs_with_one_entry_each(3)


@pytest.fixture(scope="package")
def lab_cluster(django_db_blocker: Any) -> Iterator[Cluster]:
    """The lab's PostgreSQL primary and streaming replica, created once for the scaling tests:
    aliases ``lab`` and ``lab_replica``, migrated and seeded (small) through the primary."""
    if postgres_bin_dir() is None:
        pytest.skip("PostgreSQL's server programs are not installed (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="scaling-tests-"))
    root.chmod(0o711)  # the servers' user must reach its directory inside
    cluster = Cluster(root / "cluster")
    switch = None
    try:
        with django_db_blocker.unblock():
            cluster.start()
            cluster.start_replica()
            switch = use_databases(
                {"lab": cluster.primary.settings(), "lab_replica": cluster.replica.settings()}
            )
            call_command("migrate", database="lab", verbosity=0)
            call_command("seed", size="small", seed=0, database="lab", verbosity=0)
        yield cluster
    finally:
        if switch is not None:
            with django_db_blocker.unblock():
                switch.restore()
        # The data is thrown away: no need for a clean shutdown and its checkpoint.
        cluster.replica.kill()
        cluster.primary.kill()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def lab(lab_cluster: Cluster, django_db_blocker: Any) -> Iterator[Cluster]:
    """:func:`lab_cluster`, with database access allowed for the test."""
    with django_db_blocker.unblock():
        yield lab_cluster


@pytest.fixture
def routed() -> Iterator[PrimaryReplicaRouter]:
    """Django routes between ``lab`` (primary) and ``lab_replica``, with the read-your-writes middleware."""
    router = PrimaryReplicaRouter(primary="lab", replica="lab_replica")
    with override_settings(
        DATABASE_ROUTERS=[router], MIDDLEWARE=[*settings.MIDDLEWARE, READ_YOUR_WRITES_MIDDLEWARE]
    ):
        yield router
