"""``tutorial_site.notebook.setup()`` names the exact command to run until the lab is ready."""

from pathlib import Path

from .cli import manage, run

PROBE = """
from tutorial_site.notebook import NotReady, setup
try:
    print("READY", setup())
except NotReady as exc:
    print("NOT READY", exc)
"""


def notebook_setup(var_dir: Path) -> str:
    """Run the first cell of a notebook in a fresh interpreter against the SQLite DB in var_dir."""
    result = run(["-c", PROBE], var_dir)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout.strip()


def test_setup_guides_the_learner_from_empty_to_seeded(tmp_path: Path) -> None:
    before_migrate = notebook_setup(tmp_path)
    assert before_migrate.startswith("NOT READY The database has ")
    assert "unapplied migrations" in before_migrate
    assert "Run `python manage.py migrate` (or `make lab`)" in before_migrate

    assert manage("migrate", "--verbosity", "0", var_dir=tmp_path).returncode == 0
    empty = notebook_setup(tmp_path)
    assert empty.startswith("NOT READY The database is migrated but empty.")
    assert "Run `python manage.py seed` (or `make lab`)" in empty

    assert manage("seed", "--verbosity", "0", var_dir=tmp_path).returncode == 0
    ready = notebook_setup(tmp_path)
    assert ready.startswith("READY Django ")
    assert ready.endswith("ready on the SQLite database 'default'.")
    assert str(tmp_path) not in ready  # no machine path in a notebook's first output


def test_setup_reports_an_unreachable_database_as_not_ready(tmp_path: Path) -> None:
    result = run(["-c", PROBE], tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/nope")
    assert result.returncode == 0, result.stderr
    out = result.stdout.strip()
    assert out.startswith("NOT READY Cannot connect to the postgresql database 'default'")
    assert "unset DATABASE_URL" in out


def test_setup_allows_the_orm_inside_a_running_event_loop(tmp_path: Path) -> None:
    """Jupyter runs cells inside an asyncio loop; setup() must make ORM calls work there."""
    assert manage("migrate", "--verbosity", "0", var_dir=tmp_path).returncode == 0
    probe = (
        "import asyncio\n"
        "from tutorial_site.notebook import setup\n"
        "setup(require_data=False)\n"
        "from tutorial_site.blog.models import Blog\n"
        "async def cell():\n"
        "    return Blog.objects.count()\n"
        "print(asyncio.run(cell()))\n"
    )
    result = run(["-c", probe], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
