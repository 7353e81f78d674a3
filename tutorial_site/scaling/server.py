"""The tutorial site under gunicorn (worker processes with a pool of threads each), as in production.

    with gunicorn_site({"DATABASE_URL": cluster.primary.url(), "DATABASE_POOL": "2"}) as server:
        urlopen(server.url(LOAD_PATH))

Each worker thread keeps its own Django connections, which is what ``CONN_MAX_AGE`` reuses; Django's
development server starts a new thread per request instead, so persistent connections would never
be reused there. The site runs with ``DEBUG`` off (no list of every query kept in memory).
"""

import os
import secrets
import sys
from collections.abc import Mapping

from tutorial_site.services import Service, http_answers

from .cluster import REPO_ROOT

# The page under load: the site's blog index (tutorial_site/blog/views.py), optimized: one query.
LOAD_PATH = "/blog/?strategy=optimized"

# Variables of the calling process that must not reach the site unless given.
_ISOLATED = (
    "DATABASE_URL",
    "REPLICA_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DATABASE_POOL",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
)


def production_like_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without its site settings, plus ``environ``, with ``DEBUG`` off
    (a secret key made up for the run, the local host names allowed)."""
    env = {key: value for key, value in os.environ.items() if key not in _ISOLATED}
    env.update(
        DJANGO_SETTINGS_MODULE="tutorial_site.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.update(environ)
    return env


def gunicorn_site(
    environ: Mapping[str, str], *, workers: int = 2, threads: int = 4, timeout: float = 60
) -> Service:
    """A :class:`Service` running the site under gunicorn with ``environ`` (``DATABASE_URL``, ...)."""
    env = production_like_environment(environ)
    argv = [
        sys.executable, "-m", "gunicorn",
        "--bind", "127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread",
        "--graceful-timeout", "5",
        "tutorial_site.wsgi:application",
    ]  # fmt: skip
    return Service(
        "gunicorn",
        argv,
        env=env,
        cwd=REPO_ROOT,
        ready=lambda service: http_answers(service.url(LOAD_PATH)),
        timeout=timeout,
    )
