"""graph_models draws the data model with Graphviz; without it, the matplotlib drawing, and why."""

import re
import shutil
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from tutorial_site.model_graph import DiagramUnavailable, graph_models_dot, graph_models_svg, model_diagram

from .cli import run

MODELS = ["Blog", "Author", "Entry", "City", "Person", "Book", "Topping", "Pizza", "Restaurant"]


def test_graph_models_draws_every_model_and_relation(tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is missing: run scripts/system_packages.sh (Debian's graphviz)")
    out = tmp_path / "models.svg"
    result = run(["-m", "tutorial_site.model_graph", str(out)], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    svg = out.read_text()
    assert svg.lstrip().startswith("<?xml")
    texts = {text.replace("&#160;", " ").strip() for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}
    assert set(MODELS) <= texts
    assert {"best_pizza", "hometown (people)", "toppings (pizza)", "tutorial_site.pizzeria"} <= texts


def test_without_django_extensions_it_says_so_and_falls_back(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(DiagramUnavailable, match="graph_models comes from django-extensions"):
        graph_models_dot()
    figure = model_diagram(["library"])
    assert isinstance(figure, Figure)
    assert "Showing the matplotlib drawing instead." in capsys.readouterr().out


def test_without_graphviz_it_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(
        DiagramUnavailable, match=r"dot program is not installed: run scripts/system_packages"
    ):
        graph_models_svg()


def test_the_command_line_wants_an_svg_path(tmp_path: Path) -> None:
    result = run(["-m", "tutorial_site.model_graph", "models.png"], tmp_path)
    assert result.returncode == 2
    assert "usage: python -m tutorial_site.model_graph OUT.svg" in result.stdout
