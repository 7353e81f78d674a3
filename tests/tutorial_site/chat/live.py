"""Live chat servers for the tests: daphne processes (tutorial_site.services.Service) on free ports.

The servers run the site as ``make serve`` does, on a database of their own (``live_database``): on
the SQLite leg a SQLite file in a temporary folder, on the PostgreSQL leg a database made on that
server and dropped at the end, with the Redis channel layer when REDIS_URL is set. Tests talk to
them as clients do: HTTP for tokens and history, websockets for the chat; ``run_django`` runs a
snippet of Django code in the servers' environment (to seed, or to store a message while they are
down).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tutorial_site.chat.client import ChatClient
from tutorial_site.services import Service, site_server

ROOT = Path(__file__).resolve().parents[3]


class LiveSite:
    """The environment of the live servers, and the servers started in it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.servers: list[Service] = []

    def start(self, count: int = 1, *options: str) -> LiveSite:
        """Start ``count`` daphne processes (``options``: more of daphne's command line)."""
        for _ in range(count):
            self.servers.append(site_server(*options, env=self.env).start())
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def http(self, path: str, server: int = 0) -> str:
        return self.servers[server].url(path)

    def origin(self, server: int = 0) -> str:
        return self.servers[server].url("").rstrip("/")

    def ws(self, path: str, server: int = 0) -> str:
        return self.servers[server].url(path, scheme="ws")

    def post_json(self, path: str, data: dict[str, Any], server: int = 0) -> dict[str, Any]:
        request = urllib.request.Request(
            self.http(path, server),
            data=json.dumps(data).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def get_json(self, path: str, access: str, server: int = 0) -> dict[str, Any]:
        request = urllib.request.Request(
            self.http(path, server), headers={"Authorization": f"Bearer {access}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def token(self, username: str, server: int = 0) -> str:
        """An access JWT from ``POST /api/token/`` with the demo password."""
        return self.post_json("/api/token/", {"username": username, "password": f"{username}-demo"}, server)[
            "access"
        ]

    def client(
        self, room: str, username: str, *, server: int = 0, token: str | None = None, **options: Any
    ) -> ChatClient:
        """A protocol client of ``username`` (``token``: reuse one; else a new one, a blocking request:
        get it before the event loop runs, whose sockets would miss their pings meanwhile)."""
        token = token or self.token(username, server)
        return ChatClient(
            self.ws(f"/ws/chat/{room}/", server), token=token, origin=self.origin(server), **options
        )

    def run_django(self, code: str) -> str:
        """Run ``code`` after ``django.setup()`` in the servers' environment; returns what it printed."""
        script = f"import django\ndjango.setup()\n{code}"
        result = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode:
            raise RuntimeError(f"Django snippet failed:\n{code}\n{result.stderr[-3000:]}")
        return result.stdout


@contextmanager
def own_postgres_database(url: str, suffix: str) -> Iterator[str]:
    """A database ``<name><suffix>`` on the server of ``url``, made empty, dropped at the end; its URL."""
    from psycopg import connect, sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + suffix
    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with connect(url, autocommit=True) as admin:
        admin.execute(statement)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with connect(url, autocommit=True) as admin:
            admin.execute(statement)


@pytest.fixture(scope="session")
def live_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The live servers' environment, on a migrated database of their own (made once per session).

    SQLite in a temporary folder, or, with a PostgreSQL DATABASE_URL, the database ``<name>_chatlive``
    on that server (dropped at the end), with DATABASE_POOL and the Redis layer when REDIS_URL is set.
    Never pytest's test database: a test process holding a connection to it meanwhile is fine.
    """
    ignored = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DATABASE_POOL"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    var_dir = tmp_path_factory.mktemp("live")
    env.update(
        DJANGO_SETTINGS_MODULE="tutorial_site.settings", TUTORIAL_VAR_DIR=str(var_dir), PYTHONPATH=str(ROOT)
    )
    url = os.environ.get("DATABASE_URL", "")
    with contextlib.ExitStack() as stack:
        if url.startswith("postgres"):
            env["DATABASE_URL"] = stack.enter_context(own_postgres_database(url, "_chatlive"))
            env["DATABASE_POOL"] = "4"  # as `make serve`
            if os.environ.get("REDIS_URL"):
                env["REDIS_URL"] = os.environ["REDIS_URL"]
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True
        )
        yield env


@pytest.fixture(scope="module")
def live_env(live_database: dict[str, str]) -> dict[str, str]:
    """The live servers' environment, the chat's demo data seeded afresh for the module."""
    LiveSite(live_database).run_django(
        "from tutorial_site.chat.seeding import seed_chat\nseed_chat(replace=True)"
    )
    return live_database


@pytest.fixture(scope="module")
def live(live_env: dict[str, str]) -> Iterator[LiveSite]:
    """One daphne serving the site (Redis channel layer on the PostgreSQL leg when REDIS_URL is set)."""
    site = LiveSite(live_env).start()
    try:
        yield site
    finally:
        site.stop()
