"""PgBouncer (Debian's ``pgbouncer``) in transaction mode in front of the lab's primary.

    with PgBouncer(cluster.primary, pool_size=4) as bouncer:
        bouncer.settings()           # a DATABASES entry: Django connects to PgBouncer, not PostgreSQL
        bouncer.show("POOLS")        # PgBouncer's own view: clients, server connections

The configuration is ``deploy/pgbouncer/pgbouncer.ini``, filled in and written under the cluster's
directory with the password file PgBouncer reads (mode 0600). PgBouncer, like PostgreSQL, runs as
the ``postgres`` user when we are root.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from string import Template
from typing import Any

from tutorial_site.services import LOCALHOST, Service, free_port

from .cluster import DATABASE, REPO_ROOT, SUPERUSER, Instance, _as_owner, _give
from .lifecycle import RunsService

TEMPLATE = REPO_ROOT / "deploy" / "pgbouncer" / "pgbouncer.ini"


def pgbouncer_program() -> str | None:
    """The path of ``pgbouncer`` (``PGBOUNCER`` overrides; Debian installs it in /usr/sbin)."""
    return (
        os.environ.get("PGBOUNCER")
        or shutil.which("pgbouncer")
        or shutil.which("pgbouncer", path="/usr/sbin")
    )


class PgBouncer(RunsService):
    """A PgBouncer in transaction mode with ``pool_size`` server connections per database and user."""

    def __init__(
        self, primary: Instance, *, pool_size: int = 4, work_dir: str | os.PathLike[str] | None = None
    ) -> None:
        program = pgbouncer_program()
        if program is None:
            raise FileNotFoundError(
                "pgbouncer is not installed: `apt-get install pgbouncer` (Debian/Ubuntu, or "
                "`make system-packages`) or `brew install pgbouncer`, or set PGBOUNCER to its path."
            )
        self.primary = primary
        self.pool_size = pool_size
        self.port = free_port()
        self.dir = Path(work_dir) if work_dir is not None else primary.cluster.root / "pgbouncer"
        self.dir.mkdir(parents=True, exist_ok=True)
        _give(self.dir)
        self.password = primary.cluster.password
        auth_file = self.dir / "userlist.txt"
        auth_file.write_text(f'"{SUPERUSER}" "{self.password}"\n')
        auth_file.chmod(0o600)
        _give(auth_file)
        self.ini = self.dir / "pgbouncer.ini"
        self.ini.write_text(
            Template(TEMPLATE.read_text()).substitute(
                port=self.port, server_port=primary.port, auth_file=auth_file, pool_size=pool_size
            )
        )
        _give(self.ini)
        self.service = Service(
            "pgbouncer",
            _as_owner([program, str(self.ini)]),
            port=self.port,
            log_path=self.dir / "pgbouncer.log",
        )

    def url(self, database: str = DATABASE) -> str:
        """``postgres://postgres:PASSWORD@127.0.0.1:PORT/DATABASE`` through PgBouncer."""
        return f"postgres://{SUPERUSER}:{self.password}@{LOCALHOST}:{self.port}/{database}"

    def settings(self, database: str = DATABASE, **extra: Any) -> dict[str, Any]:
        """A ``DATABASES`` entry that connects through PgBouncer; ``extra`` keys are added."""
        return {**self.primary.settings(database), "PORT": self.port, **extra}

    def connect(self, database: str = DATABASE) -> Any:
        """A new psycopg connection through PgBouncer, in autocommit mode."""
        import psycopg

        return psycopg.connect(
            host=LOCALHOST,
            port=self.port,
            user=SUPERUSER,
            password=self.password,
            dbname=database,
            connect_timeout=5,
            autocommit=True,
        )

    @contextmanager
    def busy_server(self) -> Iterator[Any]:
        """Another client inside a transaction for the length of the block: it holds one server
        connection, the one PgBouncer handed out last (it reuses the most recently used first)."""
        with self.connect() as other, other.transaction():
            other.execute("SELECT 1")
            yield other

    def show(self, what: str) -> list[dict[str, Any]]:
        """``SHOW what`` on PgBouncer's admin console (``POOLS``, ``CLIENTS``, ``SERVERS``, ``CONFIG``...)."""
        import psycopg

        if not what.replace("_", "").isalpha():
            raise ValueError(f"SHOW {what!r}: give one word, e.g. POOLS, SERVERS or CONFIG.")
        with self.connect("pgbouncer") as connection:
            # The console speaks only the simple query protocol, which a client-side cursor uses.
            cursor = psycopg.ClientCursor(connection)
            cursor.execute(f"SHOW {what}")
            names = [column.name for column in cursor.description or []]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<PgBouncer transaction mode, pool {self.pool_size}, {LOCALHOST}:{self.port} {state}>"
