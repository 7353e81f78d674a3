"""binder/: what repo2docker builds for Binder or a JupyterHub, run here on a fresh copy of the project.

``binder/postBuild`` runs as it is, in a copy of the working tree, with a new virtual environment first
on ``PATH``. That environment sees this one's packages, so installing ``requirements/lock.txt`` finds
every pin already satisfied; the editable install of the copy builds in isolation with setuptools from
the package index, as on Binder. Then notebook 00 runs on that environment's kernel: a learner's first
cell works on the image postBuild leaves.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest
import yaml

from tests.tutorial_site.cli import ISOLATED, REPO_ROOT
from tutorial_site.seeding import generate
from tutorial_site.seeding.load import TABLES, model_for

pytestmark = pytest.mark.notebooks

BINDER = REPO_ROOT / "binder"
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv*", "var", "__pycache__", "*.egg-info", ".ruff_cache", ".ipynb_checkpoints", "screenshots"
)


def run(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str], str]:
    """A copy of the project after postBuild: (the copy, its environment, that environment's variables,
    postBuild's output)."""
    root = tmp_path_factory.mktemp("binder")
    repo, venv = root / "repo", root / "venv"
    shutil.copytree(REPO_ROOT, repo, ignore=NOT_COPIED)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    packages = Path(
        subprocess.run(
            [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (packages / "lab-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {key: value for key, value in os.environ.items() if key not in (*ISOLATED, "TUTORIAL_VAR_DIR")}
    env |= {
        "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_DATA_DIR": str(root / "data"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
        "IPYTHONDIR": str(root / "ipython"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    result = run(["bash", str(repo / "binder" / "postBuild")], cwd=repo, env=env)
    assert result.returncode == 0, f"postBuild failed:\n{result.stdout}\n{result.stderr}"
    return repo, venv, env, result.stdout


def test_repo2docker_finds_an_environment_and_an_executable_post_build() -> None:
    environment = yaml.safe_load((BINDER / "environment.yml").read_text())
    assert environment["dependencies"] == ["python=3.12", "pip"]
    assert "Python 3.12" in (REPO_ROOT / "requirements" / "lock.txt").read_text().splitlines()[0]
    assert os.access(BINDER / "postBuild", os.X_OK)


def test_post_build_leaves_a_migrated_database_with_the_small_seed(
    built: tuple[Path, Path, dict[str, str], str],
) -> None:
    repo, venv, env, output = built
    assert "the lab is ready" in output
    pending = run([str(venv / "bin" / "python"), "manage.py", "migrate", "--check"], cwd=repo, env=env)
    assert pending.returncode == 0, pending.stdout + pending.stderr
    expected = generate("small", 0)
    with sqlite3.connect(repo / "var" / "db.sqlite3") as database:
        for table in TABLES:
            name = model_for(table)._meta.db_table
            (count,) = database.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()
            assert count == expected.count(table), name


def test_post_build_installs_the_project_and_the_lab_settings(
    built: tuple[Path, Path, dict[str, str], str], tmp_path: Path
) -> None:
    repo, venv, env, _ = built
    where = run(
        [str(venv / "bin" / "python"), "-c", "import profiler, tutorial_site; print(tutorial_site.__file__)"],
        cwd=tmp_path,
        env=env,
    )
    assert where.stdout.strip() == str(repo / "tutorial_site" / "__init__.py")
    overrides = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "django-orm-lab.json"
    assert '"fetchNews": "false"' in overrides.read_text()
    assert "/lab/tree/notebooks" in (venv / "etc" / "jupyter" / "jupyter_lab_config.json").read_text()


def test_the_first_notebook_runs_on_what_post_build_left(
    built: tuple[Path, Path, dict[str, str], str],
) -> None:
    repo, venv, env, _ = built
    executed = repo / "executed.ipynb"
    result = run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=300",
            "--output",
            str(executed),
            "notebooks/00_setup.ipynb",
        ],
        cwd=repo,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    first = next(cell for cell in nbformat.read(executed, as_version=4).cells if cell.cell_type == "code")
    assert "ready on the SQLite database" in first.outputs[0]["data"]["text/plain"]
