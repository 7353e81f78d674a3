"""The lab's own PostgreSQL: a primary and a streaming replica, in data directories under ``var/``.

    with Cluster(settings.VAR_DIR / "scaling") as cluster:   # initdb, start the primary
        cluster.start_replica()                              # pg_basebackup, start the replica
        cluster.primary.url()                                # postgres://postgres:…@127.0.0.1:PORT/lab

Both servers run under :class:`tutorial_site.services.Service` (stopped at the end of the block, or
when Python exits) on free local ports, never touching the machine's own cluster. PostgreSQL refuses
to run as root: as root the servers run as the ``postgres`` user (``setpriv``), and the data
directories belong to it. The superuser ``postgres`` has a random password kept in ``password``
(mode 0600) next to the data directories.

``make replica`` / ``make replica-stop`` run ``python -m tutorial_site.scaling.cluster start|stop``,
which keep the two servers running in the background with ``pg_ctl`` instead.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

from tutorial_site.config import redact_url
from tutorial_site.services import LOCALHOST, Service, ServiceFailed, free_port

from .lifecycle import RunsService, Startable

REPO_ROOT = Path(__file__).resolve().parents[2]
LAB_CONF = REPO_ROOT / "deploy" / "replica" / "lab.conf"
DATABASE = "lab"
SUPERUSER = "postgres"
OS_USER = "postgres"  # who runs the servers when we are root
SLOT = "lab_replica"
PROGRAMS = ("initdb", "postgres", "pg_basebackup", "pg_ctl")
DEBIAN_VERSIONS = Path("/usr/lib/postgresql")  # one directory per major version: 15/bin, 16/bin...


class ClusterError(RuntimeError):
    """The lab's PostgreSQL cannot be created or started; the message says what to do."""


def postgres_bin_dir() -> Path | None:
    """The directory of PostgreSQL's server programs (initdb, postgres, pg_basebackup, pg_ctl).

    ``POSTGRES_BIN`` when set, else the newest ``/usr/lib/postgresql/N/bin`` (Debian, Ubuntu), else
    the directory of ``initdb`` on the ``PATH`` (Homebrew, Postgres.app); ``None`` when none has them.
    """
    candidates: list[Path] = []
    if os.environ.get("POSTGRES_BIN"):
        candidates.append(Path(os.environ["POSTGRES_BIN"]))
    if DEBIAN_VERSIONS.is_dir():
        versions = [d for d in DEBIAN_VERSIONS.iterdir() if d.name.isdigit()]
        candidates += [d / "bin" for d in sorted(versions, key=lambda d: int(d.name), reverse=True)]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for directory in candidates:
        if all((directory / program).is_file() for program in PROGRAMS):
            return directory
    return None


def require_bin_dir() -> Path:
    """:func:`postgres_bin_dir`, or :class:`ClusterError` saying how to install PostgreSQL."""
    found = postgres_bin_dir()
    if found is None:
        raise ClusterError(
            "PostgreSQL's server programs (initdb, postgres, pg_basebackup, pg_ctl) were not found. "
            "Install them (Debian/Ubuntu: `apt-get install postgresql`; macOS: `brew install postgresql`) "
            "or set POSTGRES_BIN to the directory that holds them."
        )
    return found


def _owner() -> tuple[int, int] | None:
    """``(uid, gid)`` of the user the servers run as when we are root, else ``None`` (ourselves)."""
    if os.geteuid() != 0:
        return None
    try:
        user = pwd.getpwnam(OS_USER)
    except KeyError:
        raise ClusterError(
            f"PostgreSQL refuses to run as root, and there is no {OS_USER!r} user to run it as. "
            f"Create one (`useradd --system {OS_USER}`) or run the lab as a normal user."
        ) from None
    return user.pw_uid, user.pw_gid


def _as_owner(argv: Sequence[str]) -> list[str]:
    """``argv`` run as the servers' user: unchanged unless we are root."""
    if _owner() is None:
        return list(argv)
    # setpriv execs the program (no process in between), so signals reach PostgreSQL directly.
    return ["setpriv", f"--reuid={OS_USER}", f"--regid={OS_USER}", "--init-groups", "--", *argv]


def _give(path: Path) -> None:
    """Hand ``path`` to the servers' user (when we are root)."""
    owner = _owner()
    if owner is not None:
        os.chown(path, *owner)


def servers_can_reach(path: Path) -> bool:
    """Whether the servers' user may enter every existing directory from ``/`` down to ``path``
    (always true unless we are root: then the servers run as another user)."""
    owner = _owner()
    if owner is None:
        return True
    uid, gid = owner
    for directory in [*reversed(path.parents), path]:
        if not directory.exists():
            break
        status = directory.stat()
        if status.st_uid == uid:
            allowed = status.st_mode & 0o100
        elif status.st_gid == gid:
            allowed = status.st_mode & 0o010
        else:
            allowed = status.st_mode & 0o001
        if not allowed:
            return False
    return True


def _run(argv: Sequence[str], *, what: str, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    """Run a PostgreSQL program to completion; :class:`ClusterError` with its output if it fails."""
    try:
        done = subprocess.run(
            _as_owner(argv),
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClusterError(f"{what} failed: {exc}") from exc
    if done.returncode != 0:
        raise ClusterError(f"{what} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}".rstrip())
    return done.stdout


class Instance(RunsService):
    """One PostgreSQL server of the lab: its data directory, its port and the Service that runs it."""

    def __init__(self, cluster: Cluster, name: str, port: int | None = None) -> None:
        self.cluster = cluster
        self.name = name
        self.data_dir = cluster.root / name
        self.port = port if port is not None else free_port()
        self.service = Service(
            f"postgres-{name}",
            _as_owner([str(cluster.bin_dir / "postgres"), "-D", str(self.data_dir), "-p", "{port}"]),
            port=self.port,
            ready=lambda service: self.answers(),
            timeout=60,
            log_path=cluster.root / f"{name}.log",
            stop_signal=signal.SIGINT,  # PostgreSQL's "fast" shutdown: end sessions, checkpoint, exit
        )

    # -- addresses ---------------------------------------------------------------------------
    def url(self, database: str = DATABASE) -> str:
        """``postgres://postgres:PASSWORD@127.0.0.1:PORT/DATABASE`` (print it with ``redact_url``)."""
        return f"postgres://{SUPERUSER}:{self.cluster.password}@{LOCALHOST}:{self.port}/{database}"

    def settings(self, database: str = DATABASE, **extra: Any) -> dict[str, Any]:
        """A ``DATABASES`` entry for this server; ``extra`` keys (``CONN_MAX_AGE``, ...) added."""
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": SUPERUSER,
            "PASSWORD": self.cluster.password,
            "HOST": LOCALHOST,
            "PORT": self.port,
            "OPTIONS": {"connect_timeout": 5},
            **extra,
        }

    def connect(self, database: str = DATABASE) -> Any:
        """A new psycopg connection in autocommit mode (close it, or use it in ``with``)."""
        import psycopg

        return psycopg.connect(
            host=LOCALHOST,
            port=self.port,
            user=SUPERUSER,
            password=self.cluster.password,
            dbname=database,
            connect_timeout=5,
            autocommit=True,
        )

    def query(self, sql: str, params: Sequence[Any] = (), database: str = DATABASE) -> list[tuple[Any, ...]]:
        """The rows of one statement (none for a statement without rows), on a connection of its own."""
        with self.connect(database) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description is not None else []

    def answers(self) -> bool:
        """Whether the server accepts connections (a replica only once it is consistent)."""
        import psycopg

        try:
            with self.connect("postgres"):
                return True
        except psycopg.Error:
            return False

    # -- life cycle --------------------------------------------------------------------------
    def stop(self) -> None:
        """Fast shutdown: PostgreSQL ends its sessions, writes a checkpoint and exits."""
        self.service.stop(timeout=30)

    def kill(self, timeout: float = 20) -> None:
        """Crash the server (SIGKILL) and wait until its child processes have gone too.

        PostgreSQL's children run in process groups of their own; they exit by themselves when
        they see their postmaster die. A restart after :meth:`kill` recovers from the WAL.
        """
        import psutil

        process = self.service.process
        children = []
        if process is not None and process.poll() is None:
            with contextlib.suppress(psutil.Error):
                children = psutil.Process(process.pid).children(recursive=True)
        self.service.kill()
        _gone, alive = psutil.wait_procs(children, timeout=timeout)
        for child in alive:
            with contextlib.suppress(psutil.Error):
                child.kill()

    def pids(self) -> list[int]:
        """The server's process and its children (empty when it is not running)."""
        import psutil

        process = self.service.process
        if process is None or process.poll() is not None:
            return []
        try:
            main = psutil.Process(process.pid)
            return [main.pid, *(child.pid for child in main.children(recursive=True))]
        except psutil.Error:
            return []

    def __repr__(self) -> str:
        return f"<PostgreSQL {self.name} {LOCALHOST}:{self.port} {'running' if self.running else 'stopped'}>"


class Cluster(Startable):
    """The lab's primary and replica under ``root``: created on first use, started on demand.

    ``fresh=True`` removes what an earlier run left under ``root`` first.
    """

    def __init__(
        self, root: str | os.PathLike[str], *, fresh: bool = False, bin_dir: Path | None = None
    ) -> None:
        self.root = Path(root).resolve()
        self.bin_dir = bin_dir or require_bin_dir()
        if not servers_can_reach(self.root.parent):
            raise ClusterError(
                f"The {OS_USER} user, who runs the lab's PostgreSQL, cannot enter {self.root.parent}: "
                "a directory on the way is private. Give the cluster a directory it can reach "
                "(the project's var/, or one under /tmp)."
            )
        if fresh and self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o700)
        _give(self.root)
        self.password = self._password()
        ports = self._saved_ports()
        self.primary = Instance(self, "primary", ports.get("primary"))
        self.replica = Instance(self, "replica", ports.get("replica"))

    def _password(self) -> str:
        path = self.root / "password"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(24) + "\n")
            path.chmod(0o600)
            _give(path)
        return path.read_text().strip()

    @property
    def _state_file(self) -> Path:
        return self.root / "ports.json"

    def _saved_ports(self) -> dict[str, int]:
        try:
            return {k: int(v) for k, v in json.loads(self._state_file.read_text()).items()}
        except (OSError, ValueError, AttributeError):
            return {}

    def _save_ports(self) -> None:
        ports = {"primary": self.primary.port, "replica": self.replica.port}
        self._state_file.write_text(json.dumps(ports) + "\n")

    # -- creating the servers ----------------------------------------------------------------
    def init_primary(self) -> None:
        """``initdb`` the primary's data directory (once) and include the lab's settings."""
        data = self.primary.data_dir
        if (data / "PG_VERSION").exists():
            return
        _run(
            [
                str(self.bin_dir / "initdb"),
                "-D", str(data),
                "-U", SUPERUSER,
                f"--pwfile={self.root / 'password'}",
                "--auth-host=scram-sha-256",
                "--auth-local=peer",
                "--encoding=UTF8",
                "--no-locale",  # C collation: text sorts by bytes, as in SQLite
                "--no-sync",  # a disposable lab cluster: skip the fsync of every new file
            ],
            what=f"initdb of {data}",
        )  # fmt: skip
        shutil.copyfile(LAB_CONF, data / "lab.conf")
        _give(data / "lab.conf")
        with (data / "postgresql.conf").open("a") as conf:
            conf.write("\ninclude = 'lab.conf'  # the lab's settings (deploy/replica/lab.conf)\n")
        self._save_ports()

    def start_primary(self) -> Instance:
        """Create the primary if needed, start it, and make sure the ``lab`` database exists."""
        self.init_primary()
        self.primary.start()
        self.create_database()
        return self.primary

    def create_database(self) -> None:
        """Create the ``lab`` database on the running primary unless it exists."""
        with self.primary.connect("postgres") as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
                connection.execute(f'CREATE DATABASE "{DATABASE}"')

    def init_replica(self) -> None:
        """Copy the running primary with ``pg_basebackup`` (once), through a replication slot."""
        data = self.replica.data_dir
        if (data / "PG_VERSION").exists():
            return
        if not self.primary.answers():
            raise ClusterError("Start the primary before creating the replica: pg_basebackup copies it live.")
        with contextlib.suppress(Exception):  # a slot left by an earlier replica would refuse -C
            self.primary.query("SELECT pg_drop_replication_slot(%s)", [SLOT], database="postgres")
        _run(
            [
                str(self.bin_dir / "pg_basebackup"),
                "-D", str(data),
                "-h", LOCALHOST,
                "-p", str(self.primary.port),
                "-U", SUPERUSER,
                "--wal-method=stream",
                "--write-recovery-conf",  # standby.signal + primary_conninfo: start as a streaming replica
                "--create-slot", f"--slot={SLOT}",  # the primary keeps the WAL the replica has not read
                "--checkpoint=fast",
                "--no-sync",
            ],
            what=f"pg_basebackup of the primary into {data}",
            env={"PGPASSWORD": self.password},
        )  # fmt: skip
        self._save_ports()

    def start_replica(self) -> Instance:
        """Create the replica from the running primary if needed, and start it."""
        self.init_replica()
        self.replica.start()
        return self.replica

    def start(self) -> Self:
        """Start the primary (creating it if needed); the replica is :meth:`start_replica`."""
        self.start_primary()
        return self

    def stop(self) -> None:
        """Stop the replica, then the primary (each: fast shutdown)."""
        self.replica.stop()
        self.primary.stop()

    # -- in the background, for `make replica` ------------------------------------------------
    def _pg_ctl(self, instance: Instance, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _as_owner([str(self.bin_dir / "pg_ctl"), "-D", str(instance.data_dir), *args]),
            capture_output=True,
            text=True,
            check=False,
        )

    def detached_running(self, instance: Instance) -> bool:
        """Whether ``pg_ctl status`` finds a server running in ``instance``'s data directory."""
        return (instance.data_dir / "PG_VERSION").exists() and self._pg_ctl(
            instance, "status"
        ).returncode == 0

    def start_detached(self, instance: Instance) -> None:
        """Start ``instance`` with ``pg_ctl`` (it keeps running after Python exits)."""
        if self.detached_running(instance):
            return
        log = self.root / f"{instance.name}.log"
        log.touch()
        _give(log)
        done = self._pg_ctl(
            instance, "start", "--wait", "--timeout=60", f"--log={log}", f"--options=-p {instance.port}"
        )
        if done.returncode != 0:
            raise ClusterError(f"pg_ctl could not start the {instance.name}:\n{done.stdout}{done.stderr}")

    def stop_detached(self, instance: Instance) -> bool:
        """Stop a server started by :meth:`start_detached`; False when none was running."""
        if not self.detached_running(instance):
            return False
        done = self._pg_ctl(instance, "stop", "--wait", "--mode=fast")
        if done.returncode != 0:
            raise ClusterError(f"pg_ctl could not stop the {instance.name}:\n{done.stdout}{done.stderr}")
        return True


def _detached_start(cluster: Cluster) -> None:
    cluster.init_primary()
    cluster.start_detached(cluster.primary)
    cluster.create_database()
    cluster.init_replica()
    cluster.start_detached(cluster.replica)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tutorial_site.scaling.cluster start|stop|status [--root DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m tutorial_site.scaling.cluster",
        description="The lab's PostgreSQL primary and streaming replica, in the background (pg_ctl).",
    )
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument(
        "--root", type=Path, default=REPO_ROOT / "var" / "replica", help="data directory root"
    )
    args = parser.parse_args(argv)
    try:
        if args.action == "stop":
            if not (args.root / "primary").exists():
                print(f"No lab cluster under {args.root}: nothing to stop.")
                return 0
            cluster = Cluster(args.root)
            stopped = [i.name for i in (cluster.replica, cluster.primary) if cluster.stop_detached(i)]
            print(f"Stopped: {', '.join(stopped)}." if stopped else "Nothing was running.")
            return 0
        cluster = Cluster(args.root)
        if args.action == "start":
            _detached_start(cluster)
        for instance in (cluster.primary, cluster.replica):
            state = "running" if cluster.detached_running(instance) else "stopped"
            print(f"{instance.name:8} {state:8} {redact_url(instance.url())}")
        if args.action == "start":
            print(
                "\nUse them from the lab (the router sends reads to the replica, writes to the primary):\n"
                f"  export DATABASE_URL={cluster.primary.url()}\n"
                f"  export REPLICA_URL={cluster.replica.url()}\n"
                "  make seed     # migrate and seed the primary; the replica follows\n"
                "Stop them with `make replica-stop`."
            )
        return 0
    except (ClusterError, ServiceFailed) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
