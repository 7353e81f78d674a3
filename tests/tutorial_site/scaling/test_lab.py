"""ScalingLab in a kernel of its own: without its services (what a learner without Redis or
PostgreSQL sees), and with every service, from a private directory: the worker and the site behind
nginx use the notebook's database and Redis. (Notebook 07 runs all of it under nbval in the
notebooks leg.)"""

import subprocess
from pathlib import Path

import pytest

from tests.tutorial_site.cli import run


def run_in_a_notebooks_var_dir(script: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    """Migrate a SQLite database in ``var_dir``, then run ``script`` there like a notebook kernel."""
    settings = {"DJANGO_SETTINGS_MODULE": "tutorial_site.settings"}
    migrated = run(["manage.py", "migrate", "--verbosity", "0"], var_dir, **settings)
    assert migrated.returncode == 0, migrated.stderr
    done = run(["-c", script], var_dir, **settings)
    assert done.returncode == 0, done.stderr
    return done


WITHOUT_SERVICES = """
from tutorial_site.notebook import setup
setup(require_data=False)
from django.conf import settings
from django.db import connection
from tutorial_site.scaling.lab import ScalingLab
lab = ScalingLab.start(redis=False, postgres=False)
print("default:", connection.settings_dict["NAME"].name)
print("toolbar:", any("debug_toolbar" in name for name in settings.MIDDLEWARE))
print(lab.site_environ())
print(lab.compare_connections(), lab.start_pgbouncer())
lab.start_replica()
print(lab.measure_lag())
with lab.replay_paused():
    pass
print(lab.start_worker(), lab.start_flower())
lab.stop()
print("default:", connection.settings_dict["NAME"].name)
print("toolbar:", any("debug_toolbar" in name for name in settings.MIDDLEWARE))
"""


def test_a_lab_without_services_says_what_it_skipped(tmp_path: Path) -> None:
    done = run_in_a_notebooks_var_dir(WITHOUT_SERVICES, tmp_path)
    copy = (tmp_path / "scaling" / "lab.sqlite3").resolve()
    assert done.stdout.splitlines() == [
        "Toolbar:    the debug toolbar is off while the lab runs, as in production.",
        "Cache:      local memory. No Redis: Redis was left out (redis=False).",
        "Celery:     no broker. No Redis: Redis was left out (redis=False).",
        "Database:   a copy of this notebook's SQLite database. No PostgreSQL: PostgreSQL was left out "
        "(postgres=False).",
        "PgBouncer:  not available: PgBouncer needs the lab's PostgreSQL.",
        "default: lab.sqlite3",
        "toolbar: False",
        str({"DATABASE_URL": f"sqlite:///{copy}"}),  # what a worker would get: the same copy
        "Skipped: Measuring connections. PostgreSQL was left out (postgres=False).",
        "Skipped: PgBouncer. PgBouncer needs the lab's PostgreSQL.",
        "[] None",
        "Skipped: The replica. PostgreSQL was left out (postgres=False).",
        "Skipped: Measuring replication lag. PostgreSQL was left out (postgres=False).",
        "[]",
        "Skipped: Pausing the replica. PostgreSQL was left out (postgres=False).",
        "Skipped: A Celery worker. Redis was left out (redis=False).",
        "Skipped: Flower. Redis was left out (redis=False).",
        "None None",
        "Stopped 0 services; the notebook's own database and cache are back.",
        "default: db.sqlite3",
        "toolbar: True",
    ]
    assert copy.exists()


WITH_EVERY_SERVICE = """
from urllib.request import urlopen
from urllib.error import HTTPError
from tutorial_site.notebook import setup
setup(require_data=False)
import redis
from django.core.cache import cache
from django.db import connection
from tutorial_site.blog.models import Blog, Entry
from tutorial_site.scaling.lab import ScalingLab
from tutorial_site.services import port_answers
from tutorial_site.workers.models import BlogStatistics
from tutorial_site.workers.tasks import recompute_blog_statistics

lab = ScalingLab.start()
print(connection.vendor, connection.settings_dict["NAME"])
data_dir = lab.cluster.primary.data_dir

worker = lab.start_worker()
result = recompute_blog_statistics.delay()
answer = result.get(timeout=60)
print("the worker counted the lab's entries:", answer["entries"] == Entry.objects.count() > 0)
print("its rows, read here:", BlogStatistics.objects.count() == Blog.objects.count())
broker = redis.Redis.from_url(lab.broker_url)
cache.clear()
print("the result outlives cache.clear():", broker.exists("celery-task-meta-" + result.id) == 1)

proxy = lab.start_nginx()
with urlopen(proxy.url("/blog/")) as page:
    print("page:", page.status, page.headers["Server"], b"Beatles Blog" in page.read())
with urlopen(proxy.url("/static/site/site.css")) as css:
    print("static:", css.status, css.headers["Cache-Control"])
try:
    urlopen(lab.site.url("/static/site/site.css"))
except HTTPError as error:
    print("gunicorn itself:", error.code)
ports = [lab.redis.port, worker.port, lab.site.port, proxy.port]
broker.close()
lab.stop()
print("data directory removed:", not data_dir.exists())
print("ports answering:", [port for port in ports if port_answers(port)])
"""


@pytest.mark.postgres
def test_a_lab_with_every_service_gives_its_worker_and_its_site_the_notebook_s_database(
    tmp_path: Path,
) -> None:
    """The worker and the site behind nginx are other processes: they must use the lab's database and
    Redis, not the kernel's settings. The var directory is private, as pytest's tmp_path is (like a
    kernel's var directory under it): the servers' user could not reach a cluster there, so the lab
    puts it in a temporary directory of its own."""
    tmp_path.chmod(0o700)
    done = run_in_a_notebooks_var_dir(WITH_EVERY_SERVICE, tmp_path)
    lines = done.stdout.splitlines()
    assert lines[3].startswith("Database:   PostgreSQL, the lab's own primary")
    assert lines[5:] == [
        "postgresql lab",
        "the worker counted the lab's entries: True",
        "its rows, read here: True",
        "the result outlives cache.clear(): True",
        "page: 200 nginx True",
        "static: 200 public, max-age=604800",
        "gunicorn itself: 404",
        "Stopped 5 services; the notebook's own database and cache are back.",
        "data directory removed: True",
        "ports answering: []",
    ]
