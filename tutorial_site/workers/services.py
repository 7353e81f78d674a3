"""The lab's background-work services, each a :class:`~tutorial_site.services.Service`: a private Redis,
a Celery worker and Flower. Tests and notebooks start them; they answer before ``start()`` returns and
stop with the Python process at the latest.

    redis = RedisServer().start()            # or use REDIS_URL
    use_broker(redis.redis_url)              # this process's tasks go there
    with Worker(redis.redis_url) as worker, Flower(redis.redis_url) as flower:
        result = recompute_blog_statistics.delay()
        result.get(timeout=30)
        flower.task_info(result.id)["state"]  # 'SUCCESS'
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

import redis
from celery import Celery

from tutorial_site.celery import MISSING_BROKER, BrokerNotConfigured
from tutorial_site.notebook import REPO_ROOT
from tutorial_site.services import LOCALHOST, Service, ServiceFailed

REDIS_SERVER = os.environ.get("REDIS_SERVER") or shutil.which("redis-server") or "/usr/bin/redis-server"


def redis_answers(url: str) -> bool:
    """Whether a Redis server answers PING at ``url``."""
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


def redis_server_installed() -> bool:
    """Whether ``redis-server`` (``REDIS_SERVER``, else the one on the ``PATH``) can be run."""
    return os.access(REDIS_SERVER, os.X_OK)


class RedisServer(Service):
    """A private ``redis-server`` on a free local port, in memory only (no file is written)."""

    def __init__(self, *, port: int | None = None, timeout: float = 15.0) -> None:
        if not redis_server_installed():
            raise ServiceFailed(
                f"No redis-server at {REDIS_SERVER}: install Redis (Debian: apt-get install redis-server) "
                "or set REDIS_URL to a Redis you already run."
            )
        self.data_dir = tempfile.mkdtemp(prefix="lab-redis-")
        argv = [REDIS_SERVER, "--port", "{port}", "--bind", LOCALHOST, "--save", "", "--appendonly", "no"]
        argv += ["--dir", self.data_dir, "--protected-mode", "yes"]
        super().__init__(
            "redis", argv, port=port, ready=lambda service: redis_answers(self.redis_url), timeout=timeout
        )

    @property
    def redis_url(self) -> str:
        """``redis://127.0.0.1:PORT/0``, the server's first database."""
        return self.db_url(0)

    def db_url(self, db: int) -> str:
        """``redis://127.0.0.1:PORT/DB``: Redis keeps 16 databases apart (``FLUSHDB`` empties one)."""
        return f"redis://{self.host}:{self.port}/{db}"

    def stop(self, timeout: float = 10.0) -> None:
        super().stop(timeout)
        shutil.rmtree(self.data_dir, ignore_errors=True)


def _celery(argv: Sequence[str], broker_url: str, env: Mapping[str, str]) -> dict[str, Any]:
    """:class:`Service` arguments for ``celery -A tutorial_site ARGV`` on ``broker_url``, with this
    environment plus ``env``. The broker goes in ``CELERY_BROKER_URL``; ``REDIS_URL`` (the cache) is
    ``env``'s, else the broker's."""
    if not broker_url:
        raise BrokerNotConfigured(MISSING_BROKER)
    environment = {**os.environ, "REDIS_URL": broker_url, **env, "CELERY_BROKER_URL": broker_url}
    environment.setdefault("DJANGO_SETTINGS_MODULE", "tutorial_site.settings")
    command = [sys.executable, "-m", "celery", "-A", "tutorial_site", *argv]
    return {"argv": command, "env": environment, "cwd": REPO_ROOT}


def use_broker(url: str) -> None:
    """Point this process's Celery app (``tutorial_site.celery.app``) at the Redis ``url``.

    Django's settings take it from ``REDIS_URL`` when the process starts; a notebook that starts its
    own Redis calls this before it sends a task.
    """
    from tutorial_site.celery import app

    app.close()  # drop the connection pool of a previous broker
    app.amqp._producer_pool = None  # and the producers bound to it
    app._local.__dict__.pop("backend", None)  # the result backend is built again from the new URL
    app.conf.update(broker_url=url, result_backend=url)


class Worker(Service):
    """A Celery worker of the tutorial site (``celery -A tutorial_site worker``) on the Redis ``broker_url``.

    It consumes ``queues`` with ``concurrency`` pool processes, and is ready once it answers a ping.
    ``visibility_timeout`` (seconds) sets how long Redis keeps a message a crashed worker never
    acknowledged before delivering it again. ``env`` adds to the environment (e.g. ``DATABASE_URL``,
    and ``REDIS_URL`` when the cache is another Redis database than the broker).
    """

    def __init__(
        self,
        broker_url: str,
        *,
        name: str = "worker1@lab",
        queues: Sequence[str] = ("celery",),
        concurrency: int = 1,
        visibility_timeout: int | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.hostname = name
        self.broker_url = broker_url
        self.queues = list(queues)
        argv = ["worker", "--loglevel", "INFO", "--hostname", name, "--queues", ",".join(queues)]
        argv += ["--concurrency", str(concurrency), "--pool", "prefork", "--task-events"]
        argv += ["--without-gossip", "--without-mingle"]  # no waiting for other workers' news
        environment = dict(env or {})
        if visibility_timeout is not None:
            environment["CELERY_VISIBILITY_TIMEOUT"] = str(visibility_timeout)
        self._control: Celery | None = None
        super().__init__(
            "celery-worker",
            **_celery(argv, broker_url, environment),
            ready=lambda service: self.ping(),
            timeout=timeout,
        )

    def ping(self, timeout: float = 0.5) -> bool:
        """Whether the worker answers a ping over the broker (Celery's remote control)."""
        if self._control is None:
            self._control = Celery("lab-control", broker=self.broker_url, set_as_current=False)
        try:
            replies = self._control.control.ping(destination=[self.hostname], timeout=timeout)
        except (OSError, redis.RedisError):
            return False
        return any(self.hostname in reply for reply in replies)

    def stop(self, timeout: float = 10.0) -> None:
        super().stop(timeout)
        if self._control is not None:
            self._control.close()
            self._control = None


class FlowerError(RuntimeError):
    """Flower's HTTP API answered with an error; the message has its status and text."""


class Flower(Service):
    """Flower (``celery -A tutorial_site flower``) on ``127.0.0.1`` and a free port, behind a password.

    Flower learns about tasks from the workers' events, so it knows the tasks sent after it started.
    The password is made up for each start (``flower.password``) and passed through the environment,
    never on the command line.
    """

    def __init__(
        self, broker_url: str, *, user: str = "lab", password: str | None = None, timeout: float = 60.0
    ) -> None:
        self.user = user
        self.password = password or secrets.token_urlsafe(18)
        argv = ["flower", f"--address={LOCALHOST}", "--port={port}"]
        environment = {"FLOWER_BASIC_AUTH": f"{user}:{self.password}"}
        super().__init__(
            "flower",
            **_celery(argv, broker_url, environment),
            ready=lambda service: self._healthy(),
            timeout=timeout,
        )

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url("/healthcheck"), timeout=2) as response:
                return bool(response.read() == b"OK")
        except OSError:
            return False

    def api(self, path: str) -> Any:
        """GET Flower's HTTP API at ``path`` (e.g. ``/api/workers``) with the password; the JSON answer."""
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        request = urllib.request.Request(self.url(path), headers={"Authorization": f"Basic {token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                detail = exc.read().decode(errors="replace")
            raise FlowerError(f"Flower {path}: HTTP {exc.code} {detail}") from exc

    def task_info(self, task_id: str) -> dict[str, Any]:
        """Flower's record of a task (``/api/task/info/<id>``): state, worker, times, result, retries."""
        return dict(self.api(f"/api/task/info/{task_id}"))

    def wait_for_task(self, task_id: str, state: str = "SUCCESS", timeout: float = 30.0) -> dict[str, Any]:
        """Flower's record of ``task_id`` once it is in ``state`` (its events may trail the result)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                info = self.task_info(task_id)
            except FlowerError:  # 404: no event about it has arrived yet
                info = {"state": "unknown to Flower"}
            if info["state"] == state or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        if info["state"] != state:
            seen = info["state"]
            raise FlowerError(f"task {task_id} is {seen} in Flower, not {state}, after {timeout:.0f} s.")
        return info

    def workers_online(self) -> set[str]:
        """The workers whose events Flower receives (from its Prometheus metrics)."""
        with urllib.request.urlopen(self.url("/metrics"), timeout=5) as response:
            text = response.read().decode()
        return set(re.findall(r'^flower_worker_online\{worker="([^"]+)"\} 1\.0$', text, re.MULTILINE))

    def wait_for_worker(self, hostname: str, timeout: float = 30.0) -> None:
        """Wait until Flower receives ``hostname``'s events (its heartbeat comes every 2 s)."""
        deadline = time.monotonic() + timeout
        while hostname not in self.workers_online():
            if time.monotonic() > deadline:
                raise ServiceFailed(
                    f"Flower has received no event from {hostname} in {timeout:.0f} s: is the worker "
                    f"running with task events on?\n--- Flower's log ---\n{self.log_tail()}"
                )
            time.sleep(0.2)
