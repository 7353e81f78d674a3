"""What notebook 07 runs: the lab's services, started when they are installed, and its measurements.

    lab = ScalingLab.start()   # a private Redis and the lab's own PostgreSQL (migrated, seeded) become
    ...                        # the notebook's cache, Celery broker and `default` database
    worker = lab.start_worker()  # a Celery worker process on the same database and Redis
    proxy = lab.start_nginx()    # the site under gunicorn, nginx in front of it
    lab.stop()                 # (also done when Python exits)

Every service is optional. A part whose service does not run prints ``Skipped: ...`` with the reason
and returns an empty result; the ORM code of the notebook still runs, on a copy of the notebook's
SQLite database with the local-memory cache.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutorial_site.nginx import NGINX, Nginx, collectstatic, daphne
from tutorial_site.services import Service
from tutorial_site.settings.debug_tools import TOOLBAR_MIDDLEWARE
from tutorial_site.workers.services import Flower, RedisServer, Worker, redis_server_installed, use_broker

from .cluster import Cluster, postgres_bin_dir, servers_can_reach
from .config import READ_YOUR_WRITES_MIDDLEWARE, ROUTER
from .databases import DatabaseSwitch, use_databases
from .load import LoadResult, measure
from .pgbouncer import PgBouncer, pgbouncer_program
from .replication import LagSample, measure_lag, replay_paused, replication_status
from .server import LOAD_PATH, gunicorn_site, production_like_environment

INSTALL = {
    "redis": "install redis-server (apt-get install redis-server)",
    "postgres": "install PostgreSQL's server programs (apt-get install postgresql)",
    "pgbouncer": "install pgbouncer (apt-get install pgbouncer)",
    "nginx": "install nginx (apt-get install nginx)",
}
# The lab's Redis keeps the cache and Celery's messages in two databases: cache.clear() (FLUSHDB)
# empties the cache's only.
CACHE_DB, BROKER_DB = 0, 1
SQLITE_COPY = "lab.sqlite3"  # the notebook's database copied, when PostgreSQL does not run


@dataclass(frozen=True)
class ConnectionMode:
    """One way for the site to reach PostgreSQL: the environment its server process gets."""

    label: str
    environ: Mapping[str, str]
    through_pgbouncer: bool = False


@dataclass
class ScalingLab:
    """The services notebook 07 uses; start them with :meth:`start`, stop them with :meth:`stop`."""

    root: Path
    redis: RedisServer | None = None
    cluster: Cluster | None = None
    bouncer: PgBouncer | None = None
    workers: list[Worker] = field(default_factory=list)
    flower: Flower | None = None
    site: Service | None = None  # the site under gunicorn, behind nginx
    nginx: Nginx | None = None
    notes: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)  # service -> why it does not run
    _switches: list[DatabaseSwitch] = field(default_factory=list)
    _overrides: list[Any] = field(default_factory=list)  # django.test.override_settings, enabled
    _temporary: list[Path] = field(default_factory=list)  # removed by stop()
    _broker_before: str | None = None  # this process's Celery broker before the lab's

    # -- starting and stopping --------------------------------------------------------------------
    @classmethod
    def start(
        cls, root: str | Path | None = None, *, size: str = "small", redis: bool = True, postgres: bool = True
    ) -> ScalingLab:
        """Start what is installed, point ``default`` and the cache at it, and print what runs.

        ``root`` defaults to ``var/scaling`` (emptied first: the same data, the same outputs);
        ``redis=False`` / ``postgres=False`` leave a service out even when it is installed.
        """
        from django.conf import settings

        lab = cls(Path(root) if root is not None else Path(settings.VAR_DIR) / "scaling")
        if lab.root.exists():
            shutil.rmtree(lab.root)
        lab.root.mkdir(parents=True)
        try:
            lab._without_toolbar()
            lab._start_redis(redis)
            lab._start_database(size, postgres)
        except BaseException:
            lab.stop(quiet=True)
            raise
        print("\n".join(lab.notes))
        return lab

    def _without_toolbar(self) -> None:
        """Take the debug toolbar out of the middleware: it records every query and renders its
        panels on each page (and reads the session), which would count in every measurement."""
        from django.conf import settings

        if TOOLBAR_MIDDLEWARE in settings.MIDDLEWARE:
            self._override(MIDDLEWARE=[name for name in settings.MIDDLEWARE if name != TOOLBAR_MIDDLEWARE])
            self.notes.append("Toolbar:    the debug toolbar is off while the lab runs, as in production.")

    def _start_redis(self, wanted: bool) -> None:
        from tutorial_site.celery import app
        from tutorial_site.config import cache_config

        if not wanted or not redis_server_installed():
            self.missing["redis"] = "Redis was left out (redis=False)" if not wanted else INSTALL["redis"]
            self.notes.append(f"Cache:      local memory. No Redis: {self.missing['redis']}.")
            self.notes.append(f"Celery:     no broker. No Redis: {self.missing['redis']}.")
            return
        self.redis = RedisServer().start()
        self._override(CACHES={"default": cache_config(self.redis.db_url(CACHE_DB))})
        self._broker_before = str(app.conf.broker_url or "")
        use_broker(self.redis.db_url(BROKER_DB))
        self.notes.append(
            f"Cache:      Redis, a private redis-server on a free local port (database {CACHE_DB})."
        )
        self.notes.append(f"Celery:     its broker and results in database {BROKER_DB} of that Redis.")

    def _start_database(self, size: str, wanted: bool) -> None:
        from django.core.management import call_command
        from django.db import connection

        if not wanted or postgres_bin_dir() is None:
            self.missing["postgres"] = (
                "PostgreSQL was left out (postgres=False)" if not wanted else INSTALL["postgres"]
            )
            self._use_sqlite_copy()
            self.notes.append(
                "Database:   a copy of this notebook's SQLite database. "
                f"No PostgreSQL: {self.missing['postgres']}."
            )
        else:
            self.cluster = Cluster(self._postgres_root()).start()
            self._switches.append(use_databases({"default": self.cluster.primary.settings()}))
            call_command("migrate", verbosity=0)
            call_command("seed", size=size, seed=0, verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics: the plans below do not drift
            self.notes.append(
                "Database:   PostgreSQL, the lab's own primary (initdb under var/), "
                f"migrated and seeded ({size})."
            )
        if self.cluster is None:
            self.missing["pgbouncer"] = "PgBouncer needs the lab's PostgreSQL"
        elif pgbouncer_program() is None:
            self.missing["pgbouncer"] = INSTALL["pgbouncer"]
        self.notes.append(
            f"PgBouncer:  not available: {self.missing['pgbouncer']}."
            if "pgbouncer" in self.missing
            else "PgBouncer:  installed; section 5 starts it."
        )

    def _postgres_root(self) -> Path:
        """``root/postgres``, or a private temporary directory when the servers' user cannot reach
        ``root`` (a kernel whose var directory is under a private one, e.g. pytest's tmp_path)."""
        if servers_can_reach(self.root):
            return self.root / "postgres"
        temporary = Path(tempfile.mkdtemp(prefix="lab-postgres-"))
        temporary.chmod(0o711)
        self._temporary.append(temporary)
        return temporary / "cluster"

    def _override(self, **settings: Any) -> None:
        from django.test import override_settings

        override = override_settings(**settings)
        override.enable()
        self._overrides.append(override)

    def _use_sqlite_copy(self) -> None:
        from django.db import connections

        source = Path(connections["default"].settings_dict["NAME"])
        copy = self.root / SQLITE_COPY
        connections["default"].close()
        shutil.copyfile(source, copy)
        self._switches.append(
            use_databases({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": copy}})
        )

    def stop(self, *, quiet: bool = False) -> None:
        """Stop every service and put the notebook's database, cache and broker settings back."""
        front = [s for s in (self.nginx, self.site, self.flower, *self.workers) if s is not None]
        running = [s for s in (*front, self.bouncer, self.cluster, self.redis) if s is not None]
        for service in front:  # what uses the database and Redis goes first
            service.stop()
        if self._broker_before is not None:
            use_broker(self._broker_before)
            self._broker_before = None
        while self._switches:
            self._switches.pop().restore()
        while self._overrides:
            self._overrides.pop().disable()
        for service in running:
            service.stop()
        while self._temporary:
            shutil.rmtree(self._temporary.pop(), ignore_errors=True)
        self.bouncer = self.cluster = self.redis = self.flower = self.site = self.nginx = None
        self.workers.clear()
        if not quiet:
            print(f"Stopped {len(running)} services; the notebook's own database and cache are back.")

    # -- what runs --------------------------------------------------------------------------------
    @property
    def postgres(self) -> bool:
        """Whether ``default`` is the lab's PostgreSQL."""
        return self.cluster is not None

    def _needs(self, part: str, service: str) -> bool:
        """True when ``service`` runs; else print why ``part`` is skipped and return False."""
        running = {
            "redis": self.redis is not None,
            "postgres": self.cluster is not None,
            "pgbouncer": self.bouncer is not None,
            "replica": self.cluster is not None and self.cluster.replica.running,
        }[service]
        if not running:
            why = (
                self.missing.get(service)
                or self.missing.get("postgres")
                or "start it first (lab.start_replica())"
            )
            print(f"Skipped: {part}. {why}.")
        return running

    # -- connections, pooling, PgBouncer ----------------------------------------------------------
    def start_pgbouncer(self, pool_size: int = 4) -> PgBouncer | None:
        """Start PgBouncer in transaction mode in front of the primary, as the ``bouncer`` alias."""
        if self.cluster is None or "pgbouncer" in self.missing:
            print(f"Skipped: PgBouncer. {self.missing.get('pgbouncer')}.")
            return None
        self.bouncer = PgBouncer(self.cluster.primary, pool_size=pool_size).start()
        self._switches.append(use_databases({"bouncer": self.bouncer.settings()}))
        return self.bouncer

    def connection_modes(self) -> list[ConnectionMode]:
        """The setups :meth:`compare_connections` measures (those whose services run)."""
        if self.cluster is None:
            return []
        direct = self.cluster.primary.url()
        modes = [
            ConnectionMode("new connection per request", {"DATABASE_URL": direct}),
            ConnectionMode("CONN_MAX_AGE=60", {"DATABASE_URL": direct, "DATABASE_CONN_MAX_AGE": "60"}),
            ConnectionMode("pool of 2 per process", {"DATABASE_URL": direct, "DATABASE_POOL": "2"}),
        ]
        if self.bouncer is not None:
            bounced = {"DATABASE_URL": self.bouncer.url(), "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "1"}
            persistent = {**bounced, "DATABASE_CONN_MAX_AGE": "60"}
            modes += [
                ConnectionMode("PgBouncer, new connection per request", bounced, through_pgbouncer=True),
                ConnectionMode("PgBouncer, CONN_MAX_AGE=60", persistent, through_pgbouncer=True),
            ]
        return modes

    def compare_connections(
        self, modes: Sequence[ConnectionMode] | None = None, *, requests: int = 300, concurrency: int = 16
    ) -> list[LoadResult]:
        """Serve the site with gunicorn (2 processes x 4 threads) once per mode and send it
        ``requests`` from ``concurrency`` threads. PgBouncer restarts before each of its modes, so
        that every count of opened connections starts from zero."""
        if not self._needs("Measuring connections", "postgres"):
            return []
        from tqdm.auto import tqdm

        assert self.cluster is not None
        results = []
        for mode in tqdm(list(modes if modes is not None else self.connection_modes()), desc="setups"):
            if mode.through_pgbouncer and self.bouncer is not None:
                self.bouncer.stop()
                self.bouncer.start()
            site = gunicorn_site(mode.environ)
            primary = self.cluster.primary
            results.append(
                measure(mode.label, site, LOAD_PATH, primary, requests=requests, concurrency=concurrency)
            )
        return results

    # -- the replica ------------------------------------------------------------------------------
    def start_replica(self) -> None:
        """Copy the primary with pg_basebackup, start the replica, and configure Django as
        ``REPLICA_URL`` would: the ``replica`` alias, the router and the read-your-writes middleware."""
        from django.conf import settings

        if not self._needs("The replica", "postgres"):
            return
        assert self.cluster is not None
        replica = self.cluster.start_replica()
        self._switches.append(use_databases({"replica": replica.settings()}))
        self._override(
            DATABASE_ROUTERS=[ROUTER], MIDDLEWARE=[*settings.MIDDLEWARE, READ_YOUR_WRITES_MIDDLEWARE]
        )

    def replication_status(self) -> list[dict[str, Any]]:
        """``pg_stat_replication`` on the primary: one row per streaming replica."""
        if not self._needs("Replication status", "replica"):
            return []
        assert self.cluster is not None
        return replication_status(self.cluster.primary)

    def measure_lag(self, rows: Sequence[int] = (1, 100, 2000), repeat: int = 20) -> list[LagSample]:
        """Replication lag of writes of each size in ``rows`` (:func:`replication.measure_lag`)."""
        if not self._needs("Measuring replication lag", "replica"):
            return []
        assert self.cluster is not None
        return measure_lag(self.cluster.primary, self.cluster.replica, rows=rows, repeat=repeat)

    def replay_paused(self) -> AbstractContextManager[None]:
        """A replica that stops replaying inside the block (nothing happens without a replica)."""
        if not self._needs("Pausing the replica", "replica"):
            return nullcontext()
        assert self.cluster is not None
        return replay_paused(self.cluster.replica)

    # -- other processes of the site: Celery workers, Flower, the site behind nginx ----------------
    @property
    def database_url(self) -> str:
        """The ``DATABASE_URL`` of the notebook's database: the lab's primary, or the SQLite copy."""
        if self.cluster is not None:
            return self.cluster.primary.url()
        return f"sqlite:///{(self.root / SQLITE_COPY).resolve()}"

    def site_environ(self) -> dict[str, str]:
        """What another process of the site needs to use this notebook's database and Redis: like
        any Django process, it reads them from its environment, not from this kernel's settings."""
        environ = {"DATABASE_URL": self.database_url}
        if self.redis is not None:
            environ["REDIS_URL"] = self.redis.db_url(CACHE_DB)
            environ["CELERY_BROKER_URL"] = self.redis.db_url(BROKER_DB)
        return environ

    @property
    def broker_url(self) -> str | None:
        """Celery's broker and result backend: a database of the lab's Redis (``None`` without Redis)."""
        return self.redis.db_url(BROKER_DB) if self.redis is not None else None

    def start_worker(
        self, name: str = "worker1@lab", *, visibility_timeout: int | None = None
    ) -> Worker | None:
        """Start a Celery worker process (one pool process) on the lab's broker, with the notebook's
        database and cache (:meth:`site_environ`); it answers a ping before this returns."""
        if not self._needs("A Celery worker", "redis"):
            return None
        assert self.broker_url is not None
        worker = Worker(
            self.broker_url, name=name, visibility_timeout=visibility_timeout, env=self.site_environ()
        )
        self.workers.append(worker.start())
        return worker

    def start_flower(self) -> Flower | None:
        """Start Flower on the lab's broker (127.0.0.1, a free port, a password made up for it)."""
        if not self._needs("Flower", "redis"):
            return None
        assert self.broker_url is not None
        self.flower = Flower(self.broker_url).start()
        return self.flower

    def stop_celery(self) -> None:
        """Stop Flower and the workers; the database and Redis keep running."""
        for service in (self.flower, *self.workers):
            if service is not None:
                service.stop()
        self.flower = None
        self.workers.clear()

    def start_nginx(self) -> Nginx | None:
        """Serve the site with daphne (as ``make proxy`` does) on the notebook's database and cache, with
        nginx in front: nginx serves ``collectstatic``'s files (collected under the lab's folder) and
        proxies the rest, websockets included."""
        from django.test import override_settings

        if not os.access(NGINX, os.X_OK):
            print(f"Skipped: nginx. {INSTALL['nginx']}.")
            return None
        with override_settings(STATIC_ROOT=self.root / "static"):
            static_root = collectstatic()
        self.site = daphne(env=production_like_environment(self.site_environ())).start()
        self.nginx = Nginx(upstream=f"{self.site.host}:{self.site.port}", static_root=static_root).start()
        return self.nginx

    def __repr__(self) -> str:
        services = {
            "redis": self.redis,
            "postgres": self.cluster,
            "pgbouncer": self.bouncer,
            "celery": self.workers or None,
            "flower": self.flower,
            "nginx": self.nginx,
        }
        running = [name for name, service in services.items() if service is not None]
        return f"<ScalingLab {', '.join(running) or 'no services'}>"
