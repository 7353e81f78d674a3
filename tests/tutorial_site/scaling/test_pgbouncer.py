"""PgBouncer in transaction mode in front of the lab's primary: clients share server connections, and
a server-side cursor (QuerySet.iterator()) breaks until DISABLE_SERVER_SIDE_CURSORS is set."""

import gc
import warnings
from collections.abc import Iterator

import psycopg
import pytest

from tutorial_site.blog.models import Entry
from tutorial_site.scaling.cluster import Cluster
from tutorial_site.scaling.databases import use_databases
from tutorial_site.scaling.pgbouncer import PgBouncer, pgbouncer_program

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def bouncer(lab_cluster: Cluster) -> Iterator[PgBouncer]:
    if pgbouncer_program() is None:
        pytest.skip("pgbouncer is not installed (apt-get install pgbouncer, or make system-packages)")
    with PgBouncer(lab_cluster.primary, pool_size=2) as bouncer:
        yield bouncer


def test_clients_take_turns_on_one_server_connection(bouncer: PgBouncer) -> None:
    with bouncer.connect() as first, bouncer.connect() as second:
        backend = first.execute("SELECT pg_backend_pid()").fetchone()
        assert second.execute("SELECT pg_backend_pid()").fetchone() == backend  # in session mode: another
        with first.transaction():  # a transaction keeps its server connection ...
            first.execute("SELECT 1")
            assert (
                second.execute("SELECT pg_backend_pid()").fetchone() != backend
            )  # ... so others get another
    [pool] = [p for p in bouncer.show("POOLS") if p["database"] == "lab"]
    assert pool["pool_mode"] == "transaction"
    with pytest.raises(ValueError, match="give one word"):
        bouncer.show("POOLS; SHUTDOWN")


def read_with_another_transaction_in_between(alias: str, bouncer: PgBouncer) -> int:
    """Read every entry with ``.iterator()``; between two chunks, another client's transaction
    takes the server connection the first chunk came from (PgBouncer hands out the last used)."""
    rows = Entry.objects.using(alias).order_by("id").iterator(chunk_size=100)
    count = sum(1 for _ in zip(range(100), rows, strict=False))
    with bouncer.connect() as other, other.transaction():
        other.execute("SELECT 1")
        return count + sum(1 for _ in rows)


def test_a_server_side_cursor_is_lost_between_transactions(lab: Cluster, bouncer: PgBouncer) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # psycopg warns about the cursor it could not close
        with use_databases({"bounced": bouncer.settings()}), pytest.raises(psycopg.errors.InvalidCursorName):
            read_with_another_transaction_in_between("bounced", bouncer)
        gc.collect()


def test_disable_server_side_cursors_fixes_iterator(lab: Cluster, bouncer: PgBouncer) -> None:
    with use_databases({"bounced": bouncer.settings(DISABLE_SERVER_SIDE_CURSORS=True)}):
        assert (
            read_with_another_transaction_in_between("bounced", bouncer) == Entry.objects.using("lab").count()
        )
