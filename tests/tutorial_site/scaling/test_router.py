"""PrimaryReplicaRouter: reads to the replica, writes to the primary, a request's reads follow its writes.

These tests route between ``default`` and the test settings' ``other`` alias standing in for a
replica; tests/tutorial_site/scaling/test_replica.py runs the same rules against a real streaming replica.
"""

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction

from tutorial_site.blog.models import Blog, Entry
from tutorial_site.scaling.routers import PrimaryReplicaRouter, read_your_writes, wrote_in_scope

router = PrimaryReplicaRouter(primary="default", replica="other")


def test_reads_go_to_the_replica_and_writes_to_the_primary() -> None:
    assert router.db_for_read(Entry) == "other"
    assert router.db_for_write(Entry) == "default"


def test_without_a_replica_configured_reads_go_to_the_primary() -> None:
    assert PrimaryReplicaRouter(replica="not-configured").db_for_read(Entry) == "default"


def test_after_a_write_in_the_same_scope_reads_go_to_the_primary() -> None:
    with read_your_writes():
        assert router.db_for_read(Entry) == "other"
        assert router.db_for_write(Blog) == "default"
        assert wrote_in_scope()
        assert router.db_for_read(Entry) == "default"
    assert not wrote_in_scope()
    assert router.db_for_read(Entry) == "other"  # the next request starts on the replica again


def test_outside_a_scope_a_write_pins_nothing() -> None:
    router.db_for_write(Entry)
    assert router.db_for_read(Entry) == "other"


def test_sessions_are_read_from_the_primary() -> None:
    assert router.db_for_read(Session) == "default"


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_on_the_primary_reads_see_its_rows() -> None:
    with transaction.atomic():
        assert router.db_for_read(Entry) == "default"
    assert router.db_for_read(Entry) == "other"


def test_objects_of_other_databases_keep_theirs() -> None:
    elsewhere = Blog(name="elsewhere")
    elsewhere._state.db = "a-third-database"
    assert router.db_for_read(Entry, instance=elsewhere) is None
    assert router.db_for_write(Entry, instance=elsewhere) is None
    from_replica = Blog(name="read on the replica")
    from_replica._state.db = "other"
    assert router.db_for_write(Blog, instance=from_replica) == "default"  # saved on the primary


def test_relations_between_primary_and_replica_are_allowed() -> None:
    a, b, c = Blog(), Blog(), Blog()
    a._state.db, b._state.db, c._state.db = "default", "other", "a-third-database"
    assert router.allow_relation(a, b) is True
    assert router.allow_relation(a, c) is None


def test_migrations_never_run_on_the_replica() -> None:
    assert router.allow_migrate("other", "blog") is False
    assert router.allow_migrate("default", "blog") is None
