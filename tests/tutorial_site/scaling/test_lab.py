"""ScalingLab without its services: what a learner without Redis or PostgreSQL sees. (With every
service, notebook 07 runs it under nbval in the notebooks leg.)"""

from pathlib import Path

from tests.tutorial_site.cli import run

SCRIPT = """
from tutorial_site.notebook import setup
setup(require_data=False)
from django.db import connection
from tutorial_site.scaling.lab import ScalingLab
lab = ScalingLab.start(redis=False, postgres=False)
print("default:", connection.settings_dict["NAME"].name)
print(lab.compare_connections(), lab.start_pgbouncer())
lab.start_replica()
print(lab.measure_lag())
with lab.replay_paused():
    pass
lab.stop()
print("default:", connection.settings_dict["NAME"].name)
"""


def test_a_lab_without_services_says_what_it_skipped(tmp_path: Path) -> None:
    migrated = run(
        ["manage.py", "migrate", "--verbosity", "0"],
        tmp_path,
        DJANGO_SETTINGS_MODULE="tutorial_site.settings",
    )
    assert migrated.returncode == 0, migrated.stderr
    done = run(["-c", SCRIPT], tmp_path, DJANGO_SETTINGS_MODULE="tutorial_site.settings")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Cache:      local memory. No Redis: Redis was left out (redis=False).",
        "Database:   a copy of this notebook's SQLite database. No PostgreSQL: PostgreSQL was left out "
        "(postgres=False).",
        "PgBouncer:  not available: PgBouncer needs the lab's PostgreSQL.",
        "default: lab.sqlite3",
        "Skipped: Measuring connections. PostgreSQL was left out (postgres=False).",
        "Skipped: PgBouncer. PgBouncer needs the lab's PostgreSQL.",
        "[] None",
        "Skipped: The replica. PostgreSQL was left out (postgres=False).",
        "Skipped: Measuring replication lag. PostgreSQL was left out (postgres=False).",
        "[]",
        "Skipped: Pausing the replica. PostgreSQL was left out (postgres=False).",
        "Stopped 0 services; the notebook's own database and cache are back.",
        "default: db.sqlite3",
    ]
    assert (tmp_path / "scaling" / "lab.sqlite3").exists()
