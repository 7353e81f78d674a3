"""Fixtures shared by the site's tests.

- ``live_database``, ``live_env``, ``live`` (chat/live.py): the live servers' database and
  environment, made once per session for the chat's tests and the nginx tests in front of the site.
- ``seeded_site``: the site as ``make serve`` runs it, over the small seeded database, for the tests
  that look at it in Chromium.
"""

from collections.abc import Iterator

import pytest

from tutorial_site.services import Service, http_answers, site_server

from .chat.live import live, live_database, live_env  # noqa: F401 - the live servers' fixtures
from .cli import environment, manage

ADMIN = ("admin", "admin-lab-password")


@pytest.fixture(scope="session")
def seeded_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """daphne on the site with the development settings (debug toolbar on), over a SQLite database
    seeded as ``make seed`` does (seed 0: the pages' rows, the chat's demo users alice, bob and carol,
    password ``<name>-demo``) and a superuser ``ADMIN``."""
    var_dir = tmp_path_factory.mktemp("seeded-site")
    username, password = ADMIN
    for command in (
        ["migrate", "--verbosity", "0"],
        ["seed", "--size", "small", "--seed", "0", "--verbosity", "0"],
        ["createsuperuser", "--noinput", "--username", username, "--email", "admin@example.com"],
    ):
        result = manage(*command, var_dir=var_dir, DJANGO_SUPERUSER_PASSWORD=password)
        assert result.returncode == 0, result.stderr
    # The toolbar stays off while tests run (it looks for PYTEST_VERSION); these servers show it.
    env = environment(var_dir, DJANGO_SETTINGS_MODULE="tutorial_site.settings", PYTEST_VERSION=None)
    with site_server(env=env, ready=lambda server: http_answers(server.url("/"))) as server:
        yield server
