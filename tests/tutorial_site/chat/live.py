"""Live chat servers for the tests: daphne processes (tutorial_site.services.Service) on free ports.

The servers run the site as ``make serve`` does, on a database prepared for them: on the SQLite leg
a SQLite file in a temporary folder, on the PostgreSQL leg pytest's test database (flushed when the
module is done), with the Redis channel layer when REDIS_URL is set. Tests talk to them as clients
do: HTTP for tokens and history, websockets for the chat; ``run_django`` runs a snippet of
Django code in the servers' environment (to seed, or to store a message while they are down).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_django import DjangoDbBlocker

from tutorial_site.chat.client import ChatClient
from tutorial_site.services import Service

ROOT = Path(__file__).resolve().parents[3]
DAPHNE = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", "{port}", "tutorial_site.asgi:application"]


class LiveSite:
    """The environment of the live servers, and the servers started in it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.servers: list[Service] = []

    def start(self, count: int = 1, *options: str) -> LiveSite:
        """Start ``count`` daphne processes (``options``: more of daphne's command line)."""
        for _ in range(count):
            self.servers.append(
                Service("daphne", [*DAPHNE[:-1], *options, DAPHNE[-1]], env=self.env, cwd=ROOT).start()
            )
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


def live_environment(tmp: Path, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, str]]:
    """The servers' environment, on a migrated database seeded with the chat's demo data."""
    from django.db import connection

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tutorial_site.settings", TUTORIAL_VAR_DIR=str(tmp), PYTHONPATH=str(ROOT)
    )
    with django_db_blocker.unblock():
        settings = connection.settings_dict
        postgres = connection.vendor == "postgresql"
    if postgres:  # pytest's test database, which this process has created
        credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        user = f"{credentials}@" if credentials else ""
        host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        env["DATABASE_URL"] = f"postgres://{user}{host}/{settings['NAME']}"
        env["DATABASE_POOL"] = "1"
        if os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = os.environ["REDIS_URL"]
    site = LiveSite(env)
    if not postgres:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True
        )
    site.run_django("from tutorial_site.chat.seeding import seed_chat\nseed_chat(replace=True)")
    try:
        yield env
    finally:
        if postgres:  # leave the test database as pytest-django expects it: empty
            subprocess.run(
                [sys.executable, "manage.py", "flush", "--no-input"], env=env, cwd=ROOT, check=True
            )


@pytest.fixture(scope="module")
def live_env(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[dict[str, str]]:
    yield from live_environment(tmp_path_factory.mktemp("live"), django_db_blocker)


@pytest.fixture(scope="module")
def live(live_env: dict[str, str]) -> Iterator[LiveSite]:
    """One daphne serving the site (Redis channel layer on the PostgreSQL leg when REDIS_URL is set)."""
    site = LiveSite(live_env).start()
    try:
        yield site
    finally:
        site.stop()
