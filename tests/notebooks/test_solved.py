"""The curriculum notebooks run with every exercise solved: every check passes, no error outputs.

Exercise cells are tagged ``exercise`` and start with ``# EXERCISE NN.M``; the test replaces
each with ``notebooks/solutions/NN_M.py`` (what ``%load`` would insert) and runs the notebook with
nbclient (kernel python3) against a freshly migrated and seeded SQLite database in a temporary
TUTORIAL_VAR_DIR, like ``scripts/notebooks.sh``. The committed (learner) form is checked too: each
exercise reports NOT YET and no cell has an error output.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cells import output_text

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
# Every notebook with exercise cells (the tag "exercise").
NOTEBOOKS = [
    p
    for p in sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if '"exercise"' in p.read_text(encoding="utf-8")
]
MARKER = re.compile(r"^# EXERCISE (\d\d\.\d+)")
VERDICT = re.compile(r"Exercise (\d\d\.\d+): (PASS|FAIL|NOT YET)")

pytestmark = pytest.mark.notebooks


def exercise_id(cell: dict) -> str | None:
    match = MARKER.match("".join(cell["source"]))
    tagged = "exercise" in cell.get("metadata", {}).get("tags", [])
    if tagged and not match:
        raise AssertionError(f"a cell tagged 'exercise' lacks the '# EXERCISE NN.M' first line: {cell}")
    return match.group(1) if match else None


@pytest.fixture(scope="module")
def seeded_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var_dir = tmp_path_factory.mktemp("nbvar")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(TUTORIAL_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="tutorial_site.settings")
    for command in (
        ["migrate", "--verbosity", "0"],
        ["seed", "--size", "small", "--seed", "0", "--verbosity", "0"],
    ):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    return var_dir


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_form_is_unsolved_and_error_free(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        assert all(o["output_type"] != "error" for o in cell.get("outputs", [])), cell["source"]
        ex = exercise_id(cell)
        if ex:
            assert f"Exercise {ex}: NOT YET" in output_text(cell), f"{path.name} {ex}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solved_notebook_passes_every_check(
    path: Path, seeded_var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    solved: dict[int, str] = {}
    for index, cell in enumerate(notebook.cells):
        ex = exercise_id(cell) if cell.cell_type == "code" else None
        if ex:
            solution = NOTEBOOK_DIR / "solutions" / f"{ex.replace('.', '_')}.py"
            assert solution.is_file(), f"{path.name}: exercise {ex} has no {solution.name}"
            cell.source = solution.read_text(encoding="utf-8")
            solved[index] = ex
    if not solved:
        pytest.skip(f"{path.name} has no exercise cells")
    monkeypatch.setenv("TUTORIAL_VAR_DIR", str(seeded_var_dir))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "tutorial_site.settings")
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    monkeypatch.setenv("MPLBACKEND", "agg")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()

    errors = [
        c.source[:80] for c in notebook.cells if any(o.output_type == "error" for o in c.get("outputs", []))
    ]
    assert not errors, f"{path.name}: cells with errors: {errors}"
    for index, ex in solved.items():
        verdicts = VERDICT.findall(output_text(notebook.cells[index]))
        assert verdicts == [(ex, "PASS")], f"{path.name} {ex}: {output_text(notebook.cells[index])}"
