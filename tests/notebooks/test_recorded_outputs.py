"""The PostgreSQL outputs recorded in the notebooks are well formed (their truth is checked on
PostgreSQL by test_postgresql.py)."""

import json
from pathlib import Path

import pytest
from recorded_outputs import INTRO, ROOT, normalise, output_text, recorded, recording_cells, render

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def test_render_and_recorded_round_trip() -> None:
    text = "1 query\nSELECT 1   \n```odd```\n"
    cell = {"source": render(text)}
    assert cell["source"].startswith(INTRO)
    assert recorded(cell) == "1 query\nSELECT 1\n```odd```"
    assert recorded({"source": "no block here"}) is None


def test_normalise_applies_the_nbval_sanitizers() -> None:
    assert normalise("took 12.5 ms  \n\n") == normalise("took 3 ms")


def test_a_recording_must_follow_its_code_cell() -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "id": "m", "source": "", "metadata": {"postgresql_output_of": "c"}},
            {"cell_type": "code", "id": "c", "source": "", "metadata": {}, "outputs": []},
        ]
    }
    with pytest.raises(ValueError, match="no code cell before it"):
        recording_cells(notebook)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_recordings_are_filled_in_and_differ_from_sqlite(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for code, markdown in recording_cells(notebook):
        text = recorded(markdown)
        assert text, (
            f"{path.name}: {markdown['id']} holds no recorded output: run scripts/notebooks.sh pg --record"
        )
        assert "".join(markdown["source"]) == render(text), (
            f"{path.name}: {markdown['id']} was edited by hand"
        )
        assert normalise(text) != normalise(output_text(code)), (
            f"{path.name}: PostgreSQL prints what SQLite prints after {code['id']}: the recording is noise"
        )
