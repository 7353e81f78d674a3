"""Concurrent requests from a thread pool, and the PostgreSQL connections they cost.

    with ConnectionWatch(cluster.primary) as watch:
        sent = send_requests(site.url(LOAD_PATH), requests=300, concurrency=16)
    LoadResult.of("pool", sent, watch)   # requests/s, peak connections, connections opened

or all in one, the site's server started and stopped inside the watch:
:func:`measure`.

The watch samples ``pg_stat_activity`` (connections to the database, now) in a thread of its own,
and reads ``pg_stat_database.sessions`` (connections opened since the server started) before and
after; its own connection goes to another database, so it never counts itself.
"""

import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from tutorial_site.services import Service

from .cluster import DATABASE, Instance

_CONNECTED = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'"


@dataclass(frozen=True)
class Sent:
    """What :func:`send_requests` saw: answers with status 200, other answers or errors, wall time."""

    ok: int
    failed: int
    seconds: float
    first_error: str | None = None


def _get(url: str, timeout: float) -> str | None:
    """``None`` for a 200 answer, else what went wrong."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return None if response.status == 200 else f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"


def send_requests(url: str, *, requests: int, concurrency: int, timeout: float = 30) -> Sent:
    """GET ``url`` ``requests`` times from ``concurrency`` threads at once."""
    if requests < 1 or concurrency < 1:
        raise ValueError(f"requests ({requests}) and concurrency ({concurrency}) must be at least 1.")
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="load") as pool:
        start = time.perf_counter()
        errors = list(pool.map(lambda _: _get(url, timeout), range(requests)))
        seconds = time.perf_counter() - start
    failures = [error for error in errors if error is not None]
    return Sent(requests - len(failures), len(failures), seconds, failures[0] if failures else None)


class ConnectionWatch:
    """The connections to ``database`` on ``server`` while the block runs: the most at once
    (``peak``, sampled every ``interval`` seconds) and how many were opened (``opened``)."""

    def __init__(self, server: Instance, database: str = DATABASE, interval: float = 0.005) -> None:
        self.server = server
        self.database = database
        self.interval = interval
        self.peak = 0
        self.opened = 0
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._connection: Any = None
        self._sessions_before = 0

    def _sessions(self) -> int:
        self._connection.execute("SELECT pg_stat_clear_snapshot()")
        row = self._connection.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = %s", [self.database]
        ).fetchone()
        return int(row[0]) if row else 0

    def _count(self, connection: Any) -> int:
        return int(connection.execute(_CONNECTED, [self.database]).fetchone()[0])

    def current(self) -> int:
        """Client connections to the database right now."""
        return self._count(self._connection)

    def _sample(self, connection: Any) -> None:
        while not self._stop.is_set():
            self.samples.append(self._count(connection))
            self._stop.wait(self.interval)

    def __enter__(self) -> Self:
        self._connection = self.server.connect("postgres")
        self._sessions_before = self._sessions()
        sampler = self.server.connect("postgres")
        self._thread = threading.Thread(
            target=self._run, args=(sampler,), name="connection-watch", daemon=True
        )
        self._thread.start()
        return self

    def _run(self, connection: Any) -> None:
        with connection:
            self._sample(connection)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.peak = max(self.samples, default=0)
        self.opened = self._sessions() - self._sessions_before
        self._connection.close()


@dataclass(frozen=True)
class LoadResult:
    """One measured setup: requests/s, failures, and the PostgreSQL connections it needed."""

    label: str
    requests: int
    failed: int
    seconds: float
    peak_connections: int
    connections_opened: int
    first_error: str | None = None

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @classmethod
    def of(cls, label: str, sent: Sent, watch: ConnectionWatch) -> "LoadResult":
        return cls(
            label,
            sent.ok + sent.failed,
            sent.failed,
            sent.seconds,
            watch.peak,
            watch.opened,
            sent.first_error,
        )

    def __str__(self) -> str:
        failed = f", {self.failed} failed ({self.first_error})" if self.failed else ""
        return (
            f"{self.label}: {self.requests_per_second:.0f} requests/s, at most {self.peak_connections} "
            f"connections at once, {self.connections_opened} opened{failed}"
        )


def measure(
    label: str,
    site: Service,
    path: str,
    server: Instance,
    *,
    requests: int = 300,
    concurrency: int = 16,
    warm_up: int = 16,
) -> LoadResult:
    """Start ``site``, send it ``warm_up`` requests for ``path``, then ``requests`` more (the timed
    part), and stop it, all while watching the connections to ``server``.

    The connection counts cover the whole life of the site's processes, so a persistent connection
    opened by the warm-up counts once. This process's own Django connections are closed first, so
    that only the site's connections are counted.
    """
    from django.db import connections

    connections.close_all()
    with ConnectionWatch(server) as watch, site:
        url = site.url(path)
        send_requests(url, requests=warm_up, concurrency=concurrency)
        sent = send_requests(url, requests=requests, concurrency=concurrency)
    return LoadResult.of(label, sent, watch)
