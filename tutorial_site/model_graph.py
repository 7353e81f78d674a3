"""The data model as django-extensions' ``graph_models`` draws it (Graphviz, through pydot), with
the matplotlib diagram of :mod:`tutorial_site.diagram` as the fallback.

    from tutorial_site.model_graph import model_diagram
    model_diagram()            # in a notebook: the SVG, or the matplotlib figure and why

``make diagram`` writes the same SVG to docs/models.svg with ``manage.py graph_models``.
"""

import shutil
from collections.abc import Iterable, Sequence
from io import StringIO
from typing import Any

APPS = ("blog", "library", "pizzeria")
# Models grouped per app, crow's feet on the "many" side, like tutorial_site.diagram's drawing.
GRAPH_MODELS_OPTIONS = ("--group-models", "--arrow-shape", "crow")


class DiagramUnavailable(RuntimeError):
    """graph_models cannot draw here; the message says what is missing and how to get it."""


def graph_models_dot(app_labels: Iterable[str] = APPS) -> str:
    """The Graphviz (DOT) text ``manage.py graph_models`` writes for ``app_labels``."""
    from django.apps import apps
    from django.core.management import call_command

    if not apps.is_installed("django_extensions"):
        raise DiagramUnavailable(
            "graph_models comes from django-extensions, which these settings do not install: it is "
            "a development tool, in tutorial_site.settings (the default) but not in production or "
            "test settings."
        )
    out = StringIO()
    call_command("graph_models", *app_labels, "--dot", *GRAPH_MODELS_OPTIONS, stdout=out)
    return out.getvalue()


def graph_models_svg(app_labels: Iterable[str] = APPS) -> str:
    """The diagram as SVG text, laid out by Graphviz's ``dot`` program."""
    if shutil.which("dot") is None:
        raise DiagramUnavailable(
            "Graphviz's dot program is not installed: run scripts/system_packages.sh (Debian's "
            "graphviz package), or install Graphviz with your system's package manager."
        )
    import pydot

    [graph] = pydot.graph_from_dot_data(graph_models_dot(app_labels)) or [None]
    if graph is None:
        raise DiagramUnavailable("pydot could not read the DOT text graph_models wrote.")
    svg: bytes = graph.create_svg()
    return svg.decode()


def model_diagram(app_labels: Sequence[str] = APPS) -> Any:
    """For a notebook: graph_models' SVG, or, when it cannot be drawn here, the matplotlib
    diagram, after a line that says why."""
    try:
        from IPython.display import SVG

        return SVG(graph_models_svg(app_labels))
    except DiagramUnavailable as why:
        from .diagram import draw_er

        print(f"{why} Showing the matplotlib drawing instead.")
        return draw_er(app_labels)


def main(argv: Sequence[str]) -> int:
    """``python -m tutorial_site.model_graph OUT.svg``: write the diagram (development settings)."""
    import os
    from pathlib import Path

    import django

    if len(argv) != 1 or not argv[0].endswith(".svg"):
        print("usage: python -m tutorial_site.model_graph OUT.svg")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial_site.settings")
    django.setup()
    try:
        Path(argv[0]).write_text(graph_models_svg())
    except DiagramUnavailable as why:
        print(why)
        return 1
    print(f"wrote {argv[0]}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
