"""Replication lag, measured: how long after a commit on the primary the replica shows the change.

The primary writes its changes to the WAL (write-ahead log); ``pg_current_wal_lsn()`` is its
position (an LSN). The replica receives the WAL and replays it; ``pg_last_wal_replay_lsn()`` is how
far it has replayed. A change is visible on the replica once its replay position has passed the
commit's position.
"""

import statistics
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .cluster import Instance

# A write of ``rows`` entries: the same statement the notebook's pages would send, in autocommit.
_WRITE = "UPDATE blog_entry SET number_of_pingbacks = number_of_pingbacks + 1 WHERE id <= %s"


@dataclass(frozen=True)
class LagSample:
    """One write: how many rows it changed, WAL bytes it produced, seconds until replayed."""

    rows: int
    wal_bytes: int
    seconds: float


def _lsn(connection: Any, sql: str) -> str:
    return str(connection.execute(sql).fetchone()[0])


def wait_for_replay(replica: Any, lsn: str, timeout: float = 10.0) -> float:
    """Poll the replica until it has replayed ``lsn``; the seconds it took."""
    start = time.perf_counter()
    while not replica.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]).fetchone()[0]:
        if time.perf_counter() - start > timeout:
            raise TimeoutError(
                f"The replica did not replay up to {lsn} within {timeout:.0f} s: is replay paused?"
            )
    return time.perf_counter() - start


def measure_lag(
    primary: Instance, replica: Instance, *, rows: Sequence[int] = (1,), repeat: int = 20
) -> list[LagSample]:
    """For each number of ``rows``, ``repeat`` writes of that many entries on the primary, each
    followed by polling the replica until the commit is replayed there.

    The updates leave dead row versions behind; the lab's server runs no autovacuum (its plans must
    not change behind a notebook's back), so a ``VACUUM ANALYZE`` removes them at the end.
    """
    samples = []
    with primary.connect() as writer, replica.connect() as reader:
        for count in rows:
            for _ in range(repeat):
                before = _lsn(writer, "SELECT pg_current_wal_lsn()")
                writer.execute(_WRITE, [count])  # autocommit: committed when execute returns
                after = _lsn(writer, "SELECT pg_current_wal_lsn()")
                seconds = wait_for_replay(reader, after)
                size = writer.execute(
                    "SELECT pg_wal_lsn_diff(%s::pg_lsn, %s::pg_lsn)", [after, before]
                ).fetchone()[0]
                samples.append(LagSample(count, int(size), seconds))
        writer.execute("VACUUM ANALYZE blog_entry")
    return samples


def describe_lag(samples: Sequence[LagSample]) -> list[str]:
    """One line per write size: the median lag and the median WAL of its writes."""
    lines = []
    for rows in sorted({s.rows for s in samples}):
        group = [s for s in samples if s.rows == rows]
        lag_ms = statistics.median(s.seconds for s in group) * 1000
        wal_kb = statistics.median(s.wal_bytes for s in group) / 1024
        lines.append(
            f"{rows} row{'s' if rows != 1 else ''} per commit: replayed {lag_ms:.2f} ms after the commit "
            f"(median of {len(group)}), {wal_kb:.1f} kB of WAL"
        )
    return lines


def replication_status(primary: Instance) -> list[dict[str, Any]]:
    """``pg_stat_replication`` on the primary: one row per connected replica."""
    with primary.connect("postgres") as connection:
        cursor = connection.execute(
            "SELECT application_name, client_addr, state, sync_state, sent_lsn, replay_lsn, "
            "pg_wal_lsn_diff(sent_lsn, replay_lsn) AS bytes_behind, replay_lag FROM pg_stat_replication"
        )
        names = [column.name for column in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def replay_paused(replica: Instance) -> Iterator[None]:
    """A replica that falls behind on purpose: WAL replay stops inside the block, then catches up.

    Reads from the replica during the block see the data as it was when the block began, as on a
    replica that lags by seconds under load.
    """
    replica.query("SELECT pg_wal_replay_pause()", database="postgres")
    try:
        yield
    finally:
        replica.query("SELECT pg_wal_replay_resume()", database="postgres")
