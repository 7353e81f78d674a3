"""PostgreSQL outputs recorded in the notebooks, next to the SQLite outputs they differ from.

The notebooks' committed outputs are SQLite's. Where a cell prints something else on PostgreSQL
(``DISTINCT ON``, ``RANDOM()``, a shorter ``GROUP BY``...), a markdown cell right after it shows
PostgreSQL's output as a text block; its metadata ``postgresql_output_of`` names the code cell. The
text comes from a real PostgreSQL run (``scripts/notebooks.sh pg --record`` writes it) and
``test_postgresql.py`` checks it on every run of ``scripts/notebooks.sh pg``.
"""

import configparser
import re
from pathlib import Path
from typing import Any

from cells import output_text

__all__ = ["INTRO", "ROOT", "normalise", "output_text", "recorded", "recording_cells", "render"]

ROOT = Path(__file__).resolve().parents[2]
INTRO = "**On PostgreSQL** the cell above prints:"
METADATA_KEY = "postgresql_output_of"
_BLOCK = re.compile(r"^(`{3,})text\n(.*?)\n\1$", re.DOTALL | re.MULTILINE)


def _sanitizers() -> list[tuple[re.Pattern[str], str]]:
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "notebooks" / "sanitize.cfg", encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def normalise(text: str) -> str:
    """``text`` as compared: nbval's sanitizers applied, trailing spaces and blank lines dropped."""
    for pattern, replacement in _sanitizers():
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def render(text: str) -> str:
    """The markdown source of a cell recording ``text`` as PostgreSQL's output."""
    body = "\n".join(line.rstrip() for line in text.strip("\n").splitlines())
    fence = "```"
    while fence in body:
        fence += "`"
    return f"{INTRO}\n\n{fence}text\n{body}\n{fence}"


def recorded(cell: Any) -> str | None:
    """The text recorded in a markdown cell made by :func:`render`, or None if it has none."""
    match = _BLOCK.search("".join(cell["source"]))
    return match.group(2) if match else None


def recording_cells(notebook: Any) -> list[tuple[Any, Any]]:
    """``(code cell, markdown cell recording its PostgreSQL output)`` pairs, in notebook order.

    Raises ``ValueError`` when a recording names no code cell before it.
    """
    seen: dict[str, Any] = {}
    pairs = []
    for cell in notebook["cells"]:
        target = cell.get("metadata", {}).get(METADATA_KEY)
        if cell["cell_type"] == "code":
            seen[cell.get("id")] = cell
        elif target is not None:
            if target not in seen:
                raise ValueError(
                    f"the markdown cell {cell.get('id')!r} records the PostgreSQL output of {target!r}, "
                    "which is no code cell before it"
                )
            pairs.append((seen[target], cell))
    return pairs
