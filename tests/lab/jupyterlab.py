"""JupyterLab as a learner gets it, for the browser tests: a seeded lab in a temporary folder, and
what the tests measure in the rendered page.

The lab runs the project's notebooks from a copy with their outputs cleared (so every output on the
page was produced live, and the learner's files are never saved over), against a freshly migrated and
seeded SQLite database in a temporary ``TUTORIAL_VAR_DIR``. Its configuration and settings directories
are temporary too, so only the settings the project installs into the environment (``lab/install.py``,
run by ``make install``) apply.
"""

import os
import secrets
import sys
from pathlib import Path
from typing import Any

import nbformat

from tests.tutorial_site.cli import REPO_ROOT, environment, manage
from tutorial_site.services import Service, http_answers

NOTEBOOKS = REPO_ROOT / "notebooks"
START_TIMEOUT = 120.0  # a loaded two-core machine starts JupyterLab in 5-20 s


class LabFailed(RuntimeError):
    """Preparing the lab's database or notebooks failed; the message has the command's output."""


def copy_notebooks(target: Path) -> None:
    """The project's notebooks (and their solutions) under ``target``, outputs cleared."""
    target.mkdir(parents=True)
    for source in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = nbformat.read(source, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        nbformat.write(notebook, target / source.name)
    solutions = NOTEBOOKS / "solutions"
    (target / "solutions").mkdir()
    for source in solutions.glob("*.py"):
        (target / "solutions" / source.name).write_text(source.read_text())


def seed_database(var_dir: Path) -> None:
    """Migrate and seed (small, seed 0) the SQLite database in ``var_dir``, as ``make lab`` does."""
    for args in (
        ("migrate", "--verbosity", "0"),
        ("seed", "--size", "small", "--seed", "0", "--verbosity", "0"),
    ):
        result = manage(*args, var_dir=var_dir)
        if result.returncode:
            raise LabFailed(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def lab_service(folder: Path) -> tuple[Service, str]:
    """A JupyterLab server on ``folder/root`` (which must hold ``notebooks/``), not yet started, and
    its token. Nothing but the port, the token and the root folder is given on its command line."""
    token = secrets.token_hex(16)
    env = environment(
        folder / "var",
        JUPYTER_CONFIG_DIR=str(folder / "config"),
        JUPYTER_DATA_DIR=str(folder / "data"),
        JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(folder / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(folder / "workspaces"),
        IPYTHONDIR=str(folder / "ipython"),
    )
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        "--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={folder / 'root'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    service = Service(
        "jupyterlab",
        argv,
        env=env,
        cwd=folder / "root",
        ready=lambda lab: http_answers(lab.url("/api")),
        timeout=START_TIMEOUT,
        log_path=folder / "jupyterlab.log",
    )
    return service, token


# --- what the tests read in the page ------------------------------------------------------------

# Every run of non-space characters inside ``element`` lies on one line: nothing wrapped inside an
# identifier. Returns the words that were broken over two lines.
BROKEN_WORDS_JS = """
(element) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const places = [];
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) places.push([node, i]);
    text += node.data;
  }
  const broken = [];
  for (const match of text.matchAll(/\\S+/g)) {
    const [startNode, startOffset] = places[match.index];
    const [endNode, endOffset] = places[match.index + match[0].length - 1];
    const range = document.createRange();
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset + 1);
    const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top);
    if (tops.length && Math.max(...tops) - Math.min(...tops) > 4) broken.push(match[0]);
  }
  return broken;
}
"""

# The WCAG contrast ratio of ``element``'s text colour against the first opaque background behind it.
CONTRAST_JS = """
(element) => {
  const rgba = (css) => {
    const parts = css.match(/[\\d.]+/g).map(Number);
    return parts.length === 3 ? [...parts, 1] : parts;
  };
  const luminance = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let background = [255, 255, 255, 1];
  for (let node = element; node; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour[3] > 0.5) { background = colour; break; }
  }
  const [a, b] = [luminance(rgba(getComputedStyle(element).color)), luminance(background)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""

# Header cell widths of ``table`` by their text, and the table's own width.
COLUMN_WIDTHS_JS = """
(table) => ({
  table: table.getBoundingClientRect().width,
  columns: Object.fromEntries(
    [...table.querySelectorAll("thead th")]
      .map((th) => [th.textContent.trim(), th.getBoundingClientRect().width])
  ),
})
"""

# Cells of ``table`` whose text does not fit (clipped or spilling out).
CLIPPED_CELLS_JS = """
(table) => [...table.querySelectorAll("th, td")]
  .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
  .map((cell) => cell.textContent.trim())
"""


# Preformatted blocks inside ``table`` whose text is wider than the block (it would need scrolling).
SCROLLING_BLOCKS_JS = """
(table) => [...table.querySelectorAll("pre")]
  .filter((block) => block.scrollWidth > block.clientWidth + 1)
  .map((block) => block.textContent)
"""


def sql_share(widths: dict[str, Any]) -> float:
    """The SQL column's share of the statement table's width."""
    return float(widths["columns"]["SQL"]) / float(widths["table"])
