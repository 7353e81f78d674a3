"""ScalingLab in a kernel of its own: without its services (what a learner without Redis or
PostgreSQL sees), and with PostgreSQL from a private directory. (With every service, notebook 07
runs it under nbval in the notebooks leg.)"""

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
    done = run_in_a_notebooks_var_dir(WITHOUT_SERVICES, tmp_path)
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


WITH_POSTGRES = """
from tutorial_site.notebook import setup
setup(require_data=False)
from django.db import connection
from tutorial_site.scaling.lab import ScalingLab
lab = ScalingLab.start(redis=False)
print(connection.vendor, connection.settings_dict["NAME"])
data_dir = lab.cluster.primary.data_dir
lab.stop()
print("data directory removed:", not data_dir.exists())
"""


@pytest.mark.postgres
def test_a_lab_under_a_private_directory_runs_postgresql_in_a_temporary_one(tmp_path: Path) -> None:
    """pytest's tmp_path (like a kernel's var directory under it) is private to root: the servers'
    user could not reach a cluster there, so the lab puts it in a temporary directory of its own."""
    tmp_path.chmod(0o700)
    migrated = run(
        ["manage.py", "migrate", "--verbosity", "0"],
        tmp_path,
        DJANGO_SETTINGS_MODULE="tutorial_site.settings",
    )
    assert migrated.returncode == 0, migrated.stderr
    done = run(["-c", WITH_POSTGRES], tmp_path, DJANGO_SETTINGS_MODULE="tutorial_site.settings")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].startswith("Database:   PostgreSQL, the lab's own primary")
    assert "postgresql lab" in lines
    assert lines[-1] == "data directory removed: True"
