"""Every notebook runs on PostgreSQL, and the PostgreSQL outputs recorded in them are still true.

Run by ``scripts/notebooks.sh pg`` (the notebooks-pg leg of ``make test``), with DATABASE_URL set to
a PostgreSQL database. A database named like it plus ``_notebooks`` is created for the run (never the
learner's data), migrated and seeded like the SQLite one (small, seed 0), and dropped at the end.
Each notebook (``notebooks/[0-9]*.ipynb``, or the paths in ``NOTEBOOKS``) is executed on it with
nbclient: its outputs are not compared with the committed SQLite ones, but any error fails. Then each
recorded PostgreSQL output (see ``recorded_outputs.py``) must match what the run printed;
``RECORD_POSTGRESQL_OUTPUTS=1`` (``scripts/notebooks.sh pg --record``) writes them instead.
"""

import difflib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from recorded_outputs import ROOT, normalise, output_text, recorded, recording_cells, render

pytestmark = [pytest.mark.notebooks, pytest.mark.postgres]

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = [Path(p).resolve() for p in os.environ.get("NOTEBOOKS", "").split()] or sorted(
    NOTEBOOK_DIR.glob("[0-9]*.ipynb")
)
RECORD = os.environ.get("RECORD_POSTGRESQL_OUTPUTS") == "1"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # IPython colours its tracebacks


def notebooks_url(url: str) -> str:
    """``url`` with ``_notebooks`` appended to its database name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    return urlunsplit(parts._replace(path=f"/{name}_notebooks"))


def _recreate(admin_url: str, name: str, *, create: bool) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as connection:
        # FORCE: a kernel that outlived a failed run must not keep the database alive.
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _kernel_environment(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "RECORD_POSTGRESQL_OUTPUTS"}}
    env.update(
        DATABASE_URL=database_url,
        TUTORIAL_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="tutorial_site.settings",
        PYTHONHASHSEED="0",
        MPLBACKEND="module://matplotlib_inline.backend_inline",
    )
    return env


@pytest.fixture(scope="module")
def notebook_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a kernel on a fresh, seeded ``<name>_notebooks`` database."""
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        pytest.fail(
            f"DATABASE_URL must be a PostgreSQL URL to run the notebooks on PostgreSQL: {admin_url!r}"
        )
    url = notebooks_url(admin_url)
    name = urlsplit(url).path.lstrip("/")
    _recreate(admin_url, name, create=True)
    env = _kernel_environment(url, tmp_path_factory.mktemp("nbvar-pg"))
    try:
        for command in (
            ["migrate", "--verbosity", "0"],
            ["seed", "--size", "small", "--seed", "0", "--verbosity", "0"],
        ):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
        yield env
    finally:
        _recreate(admin_url, name, create=False)


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _outputs(n: int) -> str:
    return "no PostgreSQL output" if n == 0 else f"{n} PostgreSQL output{'s' if n > 1 else ''}"


def _mismatch(path: Path, code_id: str, expected: str, got: str) -> str:
    diff = "\n".join(
        difflib.unified_diff(
            expected.splitlines(), got.splitlines(), "recorded", "PostgreSQL now", lineterm=""
        )
    )
    return (
        f"{path.name}: the PostgreSQL output recorded after cell {code_id!r} is no longer what "
        f"PostgreSQL prints. Check the difference, then re-record with "
        f"`scripts/notebooks.sh pg --record {_shown(path)}`:\n{diff}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_postgresql(
    path: Path,
    notebook_database: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    for key in {*os.environ} - {*notebook_database}:
        monkeypatch.delenv(key)
    for key, value in notebook_database.items():
        monkeypatch.setenv(key, value)
    notebook = nbformat.read(path, as_version=4)
    start = time.monotonic()
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(NOTEBOOK_DIR)}}
    )
    try:
        client.execute()
    except CellExecutionError as error:  # its text holds the cell and the traceback
        text = _ANSI.sub("", str(error))
        pytest.fail(f"{_shown(path)}: a cell fails on PostgreSQL:\n{text}", pytrace=False)
    seconds = time.monotonic() - start

    pairs = recording_cells(notebook)
    if RECORD:
        saved = nbformat.read(path, as_version=4)
        by_id = {cell.get("id"): cell for cell in saved.cells}
        for code, markdown in pairs:
            by_id[markdown["id"]].source = render(normalise(output_text(code)))
        nbformat.write(saved, path)
        verdict = f"{_outputs(len(pairs))} recorded"
    else:
        for code, markdown in pairs:
            expected, got = normalise(recorded(markdown) or ""), normalise(output_text(code))
            if expected != got:
                pytest.fail(_mismatch(path, code["id"], expected, got), pytrace=False)
        verdict = f"{_outputs(len(pairs))} as recorded"
    database = urlsplit(notebook_database["DATABASE_URL"]).path.lstrip("/")
    code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)
    with capsys.disabled():
        print(
            f"\n{_shown(path)}: {code_cells} code cells executed on PostgreSQL "
            f"({database}) in {seconds:.1f} s, no error; {verdict}"
        )
