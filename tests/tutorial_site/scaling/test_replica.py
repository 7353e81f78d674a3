"""A real streaming replica: reads on it, writes and a request's reads after its writes on the primary,
its lag measured, and a crash it recovers from."""

from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connections
from django.db.models import F
from django.db.utils import InternalError
from django.test import AsyncClient, Client, override_settings

import profiler
from tutorial_site.blog.models import Entry
from tutorial_site.scaling.cluster import Cluster
from tutorial_site.scaling.config import READ_YOUR_WRITES_MIDDLEWARE
from tutorial_site.scaling.replication import measure_lag, replay_paused, replication_status, wait_for_replay
from tutorial_site.services import port_answers

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("routed", "fresh_cache")]
ENTRY = 5


def caught_up(cluster: Cluster) -> None:
    """Wait until the replica has replayed everything the primary wrote so far."""
    with cluster.primary.connect() as primary, cluster.replica.connect() as replica:
        wait_for_replay(replica, str(primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]))


def comments(alias: str) -> int:
    return Entry.objects.using(alias).get(pk=ENTRY).number_of_comments


def test_reads_are_served_by_the_replica_and_writes_by_the_primary(lab: Cluster) -> None:
    with profiler.capture(stacks=False) as captured:
        before = Entry.objects.get(pk=ENTRY).number_of_comments
        Entry.objects.filter(pk=ENTRY).update(number_of_comments=F("number_of_comments") + 1)
    assert [(q.alias, q.kind) for q in captured] == [("lab_replica", "SELECT"), ("lab", "UPDATE")]
    with connections["lab_replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)  # a standby, not a second copy of the primary
    caught_up(lab)
    assert comments("lab_replica") == before + 1


def test_the_replica_refuses_writes(lab: Cluster) -> None:
    with pytest.raises(InternalError, match="read-only transaction"):
        Entry.objects.using("lab_replica").filter(pk=ENTRY).update(rating=1)


def test_a_request_reads_its_own_write_from_the_primary(lab: Cluster) -> None:
    caught_up(lab)
    before = comments("lab")
    with replay_paused(lab.replica):  # a replica that lags behind
        with override_settings(
            MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != READ_YOUR_WRITES_MIDDLEWARE]
        ):
            stale = Client().post(f"/scaling/entries/{ENTRY}/comments/").json()
        fresh = Client().post(f"/scaling/entries/{ENTRY}/comments/").json()
    assert stale == {"id": ENTRY, "number_of_comments": before, "read_from": "lab_replica"}  # the problem
    assert fresh == {"id": ENTRY, "number_of_comments": before + 2, "read_from": "lab"}  # the fix
    caught_up(lab)
    assert comments("lab_replica") == before + 2


async def _post_async() -> dict:
    response = await AsyncClient().post(f"/scaling/entries/{ENTRY}/comments/")
    return response.json()


def _post_from_a_thread_of_its_own() -> dict:
    """The async request, run to its end in a new thread: this one may already run an event loop
    (Playwright's sync API leaves one in it once a browser test has run), where async_to_sync refuses."""

    def post() -> dict:
        try:
            return async_to_sync(_post_async)()
        finally:
            connections.close_all()  # the thread's own connections

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="async-request") as pool:
        return pool.submit(post).result(timeout=60)


def test_an_async_request_reads_its_own_write_from_the_primary(lab: Cluster) -> None:
    caught_up(lab)
    before = comments("lab")
    with replay_paused(lab.replica):
        answer = _post_from_a_thread_of_its_own()
    assert answer == {"id": ENTRY, "number_of_comments": before + 1, "read_from": "lab"}


def test_replication_lag_is_measured_per_write(lab: Cluster) -> None:
    samples = measure_lag(lab.primary, lab.replica, rows=(1, 500), repeat=3)
    assert [s.rows for s in samples] == [1, 1, 1, 500, 500, 500]
    assert all(s.seconds >= 0 for s in samples)
    assert min(s.wal_bytes for s in samples if s.rows == 500) > max(
        s.wal_bytes for s in samples if s.rows == 1
    )
    [status] = replication_status(lab.primary)
    assert (status["application_name"], status["state"]) == ("walreceiver", "streaming")


def test_a_paused_replica_serves_the_old_rows_until_it_resumes(lab: Cluster) -> None:
    caught_up(lab)
    before = comments("lab_replica")
    with replay_paused(lab.replica):
        Entry.objects.using("lab").filter(pk=ENTRY).update(number_of_comments=F("number_of_comments") + 1)
        with lab.primary.connect() as primary:
            lsn = str(primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0])
        assert comments("lab_replica") == before
    with lab.replica.connect() as replica:
        wait_for_replay(replica, lsn)
    assert comments("lab_replica") == before + 1


def test_a_killed_replica_leaves_no_process_and_catches_up_after_a_restart(lab: Cluster) -> None:
    pids = lab.replica.pids()
    assert len(pids) > 3  # the postmaster and its children (startup, walreceiver, checkpointer...)
    connections["lab_replica"].close()
    lab.replica.kill()
    assert not any(
        psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE for pid in pids
    )
    assert not port_answers(lab.replica.port)
    Entry.objects.using("lab").filter(pk=ENTRY).update(number_of_comments=F("number_of_comments") + 10)
    expected = comments("lab")
    lab.replica.start()  # recovers from its WAL, then streams what it missed (kept by its slot)
    caught_up(lab)
    assert comments("lab_replica") == expected
