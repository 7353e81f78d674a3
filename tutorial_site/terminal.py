"""Run what a learner would type in a terminal, from a notebook: pytest on a folder of test files,
and ``manage.py`` commands. The output is returned as text (in colour, as in a terminal), with the
paths of the temporary folder, the project and Python's libraries shortened, so notebook outputs
are the same on every machine and from run to run.

    folder = TestFolder()
    folder.write("test_pages.py", '''
        def test_home(client, db):
            assert client.get("/").status_code == 200
    ''')
    folder.pytest("-k", "home")          # prints pytest's output, like in a terminal
    manage("shell_plus", "--print-sql", "-c", "Blog.objects.count()")
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# The variables of the notebook's own database and settings, which a test run must not inherit.
# The project's own run settings stay out of a learner's test run; so do CI and BUILD_NUMBER, with which
# pytest prints its summary lines untruncated (the notebook's output would differ on a CI machine).
_NOT_FOR_TESTS = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "PROFILER_UPDATE_SNAPSHOTS",
    "REQUIRE_SERVICES",
    "CI",
    "BUILD_NUMBER",
)
PYTEST_INI = """\
[pytest]
DJANGO_SETTINGS_MODULE = tutorial_site.settings.test
addopts = -p no:cacheprovider
"""


@dataclass(frozen=True)
class Output:
    """What a command printed (stdout and stderr together) and its exit code; shows as the text."""

    command: str
    returncode: int
    text: str

    def __str__(self) -> str:
        return self.text

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(self.text)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return self.text


def _folders() -> dict[str, str]:
    """Folders whose paths are shortened in outputs: the project's, and Python's own libraries."""
    folders = {str(REPO_ROOT) + os.sep: ""}
    for key in ("purelib", "platlib", "stdlib"):
        folders.setdefault(sysconfig.get_paths()[key] + os.sep, "")
    return folders


def _run(argv: list[str], env: dict[str, str], replace: dict[str, str], timeout: float) -> Output:
    result = subprocess.run(
        argv, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    text = (result.stdout + result.stderr).rstrip()
    for old, new in {**replace, **_folders()}.items():
        text = text.replace(old, new)
    return Output(" ".join(argv[1:]), result.returncode, text)


class TestFolder:
    """A temporary ``tests/`` folder with a ``pytest.ini`` that selects the tutorial site's test
    settings (an in-memory SQLite test database), run with ``python -m pytest``.

    It lives under the project's ``var/`` (ignored by git), so that pytest and the profiler show
    every path relative to the project folder, as in a project's own test run."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, name: str = "tests") -> None:
        (REPO_ROOT / "var").mkdir(exist_ok=True)
        self._root = Path(tempfile.mkdtemp(prefix="lab-tests-", dir=REPO_ROOT / "var"))
        self.path = self._root / name
        self.path.mkdir()
        (self.path / "pytest.ini").write_text(PYTEST_INI)

    def write(self, filename: str, text: str) -> Path:
        """Write ``text`` (dedented) to ``filename`` in the folder; returns its path."""
        path = self.path / filename
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        return path

    def read(self, filename: str) -> str:
        return (self.path / filename).read_text()

    def pytest(self, *args: str, timeout: float = 300) -> Output:
        """``python -m pytest -q ARGS`` from the project folder: options as given, file names
        (``test_cards.py``, ``test_cards.py::test_x``) in this folder; every test file when
        none is named. Returns the output, paths shortened."""
        env = {k: v for k, v in os.environ.items() if k not in _NOT_FOR_TESTS}
        env["TUTORIAL_VAR_DIR"] = str(self._root / "var")
        ini = str(self.path / "pytest.ini")
        argv = [sys.executable, "-m", "pytest", "-q", "--no-header", "--color=yes", "-c", ini]
        options = [arg for arg in args if arg.startswith("-")]
        tests = [str(self.path / arg) for arg in args if not arg.startswith("-")] or [str(self.path)]
        relative = os.path.relpath(self._root, REPO_ROOT)
        replace = {f"{self._root}{os.sep}": "", f"{relative}{os.sep}": ""}
        return _run([*argv, *options, *tests], env, replace, timeout)

    def remove(self) -> None:
        """Delete the folder and everything in it."""
        shutil.rmtree(self._root, ignore_errors=True)


def manage(*args: str, timeout: float = 120) -> Output:
    """``python manage.py ARGS`` with this process's settings and database (the notebook's)."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "tutorial_site.settings")
    return _run([sys.executable, "manage.py", *args], env, {}, timeout)
