"""Every seed-sheet queryset example runs in some notebook (notebooks/*.ipynb code cells)."""

import json
import os
import re
from pathlib import Path

import pytest
from seed_examples import SEED_EXAMPLES

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SHEET_NAMES = [
    base / "shared" / "seed" / "django-cheatsheet.md" for base in (ROOT.parent, ROOT.parent.parent)
]
# The seed sheet sits in shared/ next to the checkout (or next to the folder of worktrees); SEED_SHEET wins.
SHEET = Path(os.environ.get("SEED_SHEET") or next((p for p in SHEET_NAMES if p.is_file()), SHEET_NAMES[0]))


def normalise(code: str) -> str:
    """Drop whitespace and trailing commas: line breaks and code layout don't matter."""
    return re.sub(r",([)\]])", r"\1", re.sub(r"\s+", "", code))


def notebook_code() -> str:
    cells = []
    for path in NOTEBOOKS:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells += ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    return normalise("\n".join(cells))


def test_notebooks_exist() -> None:
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb found"


@pytest.mark.parametrize("example", SEED_EXAMPLES, ids=lambda e: f"{e.section}:{e.expected[:50]}")
def test_example_is_in_a_notebook(example) -> None:
    code = notebook_code()
    assert normalise(example.expected) in code, (
        f"The seed-sheet example {example.expected!r} ({example.section}) is in no code cell of "
        f"{', '.join(p.name for p in NOTEBOOKS)}."
    )


def sheet_example_lines(text: str) -> list[str]:
    """The ORM statements of the sheet's Models section, comments stripped (not models or SQL)."""
    section = text.split("### Save & Update", 1)[1].split("# Websocket", 1)[0]
    lines = []
    for raw in section.splitlines():
        line = raw.split("  #", 1)[0].split(" # ", 1)[0].strip()
        if (
            not line
            or line.startswith(("#", "def ", "class ", "SELECT", "```", "name =", "toppings ="))
            or line == "(__exact, __iexact)"
            or line == "(__contains, __icontains)"
        ):
            continue
        lines.append(line)
    return lines


@pytest.mark.skipif(not SHEET.is_file(), reason=f"no seed sheet at {SHEET} (set SEED_SHEET)")
def test_list_covers_every_sheet_example() -> None:
    listed = {normalise(e.sheet) for e in SEED_EXAMPLES}
    missing = [
        line
        for line in sheet_example_lines(SHEET.read_text(encoding="utf-8"))
        if normalise(line) not in listed
    ]
    assert not missing, f"sheet examples missing from tests/notebooks/seed_examples.py: {missing}"


def test_normalise_ignores_layout_only() -> None:
    assert normalise("f(a,\n   b,\n)") == normalise("f(a, b)")
    assert normalise("f(a, c)") != normalise("f(a, b)")
