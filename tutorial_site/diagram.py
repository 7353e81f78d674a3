"""Draw the data model from the models' ``_meta``: a Mermaid ``erDiagram`` and a matplotlib figure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import models

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Relation:
    """One edge of the diagram: ``source.field`` points at ``target``."""

    source: str
    target: str
    field: str
    kind: str  # "fk", "nullable fk", "one-to-one" or "m2m"

    @property
    def mermaid_cardinality(self) -> str:
        """Crow's-foot notation, written from the target's side to the source's side."""
        return {
            "fk": "||--o{",
            "nullable fk": "|o--o{",
            "one-to-one": "||--o|",
            "m2m": "}o--o{",
        }[self.kind]


def models_of(app_labels: Iterable[str]) -> list[type[models.Model]]:
    """The concrete models of ``app_labels`` in app then definition order (no auto-created tables).

    Raises ``ValueError`` naming the installed app labels when a label is unknown.
    """
    if isinstance(app_labels, str):
        raise TypeError(f"Pass a list of app labels, e.g. [{app_labels!r}], not a string.")
    labels = list(app_labels)
    if not labels:
        raise ValueError("Pass at least one app label, e.g. ['blog', 'library', 'pizzeria'].")
    result: list[type[models.Model]] = []
    for label in labels:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            installed = ", ".join(sorted(c.label for c in apps.get_app_configs()))
            raise ValueError(f"Unknown app label {label!r}: installed apps are {installed}.") from None
        result.extend(m for m in config.get_models() if not m._meta.proxy)
    return result


def _entity_names(selected: Sequence[type[models.Model]]) -> dict[type[models.Model], str]:
    """Model class names, qualified with the app label only where two apps share a name."""
    counts: dict[str, int] = {}
    for model in selected:
        counts[model.__name__] = counts.get(model.__name__, 0) + 1
    return {
        m: m.__name__ if counts[m.__name__] == 1 else f"{m._meta.app_label}_{m.__name__}"
        for m in selected
    }


def relations(selected: Sequence[type[models.Model]]) -> list[Relation]:
    """The FK, one-to-one and many-to-many edges between ``selected`` models (others are left out)."""
    names = _entity_names(selected)
    edges: list[Relation] = []
    for model in selected:
        for field in model._meta.get_fields(include_hidden=False):
            if not field.concrete and not field.many_to_many:
                continue  # reverse accessors: the forward side draws the edge
            if not field.is_relation or field.auto_created:
                continue
            target = field.related_model
            if target not in names:
                continue
            if field.many_to_many:
                kind = "m2m"
            elif field.one_to_one:
                kind = "one-to-one"
            else:
                kind = "nullable fk" if field.null else "fk"
            edges.append(Relation(names[model], names[target], field.name, kind))
    return edges


def _column(field: models.Field) -> str:
    """``Type name [PK|FK] ["nullable"]``: one attribute line of a Mermaid entity."""
    parts = [type(field).__name__, field.attname]
    if field.primary_key:
        parts.append("PK")
    elif field.is_relation:
        parts.append("FK")
    if field.null:
        parts.append('"nullable"')
    return " ".join(parts)


def mermaid_er(app_labels: Iterable[str]) -> str:
    """A Mermaid ``erDiagram`` of the models of ``app_labels``: columns, keys and relations.

    Many-to-many relations appear as one ``}o--o{`` edge instead of their join table. Display it in
    JupyterLab with ``IPython.display.Markdown(f"```mermaid\\n{text}\\n```")``.
    """
    selected = models_of(app_labels)
    names = _entity_names(selected)
    lines = ["erDiagram"]
    for model in selected:
        lines.append(f"    {names[model]} {{")
        lines.extend(f"        {_column(f)}" for f in model._meta.concrete_fields)
        lines.append("    }")
    for edge in relations(selected):
        lines.append(f'    {edge.target} {edge.mermaid_cardinality} {edge.source} : "{edge.field}"')
    return "\n".join(lines)


def draw_er(app_labels: Iterable[str], *, columns: int | None = None) -> Figure:
    """The same diagram drawn with matplotlib: one box per model, one line per relation.

    A fallback for front ends that do not render Mermaid. Models of one app share a column.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    labels = list(app_labels)
    selected = models_of(labels)
    names = _entity_names(selected)
    by_app: dict[str, list[type[models.Model]]] = {}
    for model in selected:
        by_app.setdefault(model._meta.app_label, []).append(model)
    ncols = columns or len(by_app)
    line_h, pad, box_w, gap_x, gap_y = 0.32, 0.25, 3.4, 1.4, 0.6
    boxes: dict[str, tuple[float, float, float, float]] = {}  # name -> x, y(top), w, h
    heights = []
    for col, app_models in enumerate(by_app.values()):
        x = (col % ncols) * (box_w + gap_x)
        y = 0.0
        for model in app_models:
            rows = 1 + len(model._meta.concrete_fields) + len(model._meta.many_to_many)
            h = rows * line_h + pad
            boxes[names[model]] = (x, y, box_w, h)
            y -= h + gap_y
        heights.append(-y)
    width = ncols * box_w + (ncols - 1) * gap_x
    height = max(heights)
    fig = Figure(figsize=(width * 0.9, height * 0.9))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-0.3, width + 0.3)
    ax.set_ylim(-height - 0.1, 0.4)
    ax.axis("off")
    for model in selected:
        x, top, w, h = boxes[names[model]]
        ax.add_patch(FancyBboxPatch((x, top - h), w, h, boxstyle="round,pad=0.02",
                                    facecolor="#f4f6fb", edgecolor="#44546a"))
        ax.text(x + 0.12, top - line_h * 0.75, names[model], weight="bold", fontsize=10)
        fields = [_column(f) for f in model._meta.concrete_fields]
        fields += [f"M2M {f.name} → {names.get(f.related_model, f.related_model.__name__)}"
                   for f in model._meta.many_to_many]
        for i, text in enumerate(fields, 1):
            ax.text(x + 0.18, top - line_h * (i + 0.75), text, fontsize=8, family="monospace")
    for edge in relations(selected):
        sx, stop, sw, sh = boxes[edge.source]
        tx, ttop, tw, th = boxes[edge.target]
        start = (sx + sw, stop - sh / 2) if tx > sx else (sx, stop - sh / 2)
        end = (tx, ttop - th / 2) if tx > sx else (tx + tw, ttop - th / 2)
        if tx == sx:  # same column: loop around the right-hand side
            start, end = (sx + sw, stop - sh / 2), (tx + tw, ttop - th / 2)
        style = "--" if edge.kind in ("m2m", "nullable fk") else "-"
        ax.annotate("", xy=end, xytext=start, arrowprops={
            "arrowstyle": "->", "linestyle": style, "color": "#2f5597",
            "connectionstyle": "arc3,rad=-0.4" if tx == sx else "arc3,rad=0.0",
        })
        mid = ((start[0] + end[0]) / 2 + (0.45 if tx == sx else 0), (start[1] + end[1]) / 2)
        ax.text(*mid, f"{edge.field} ({edge.kind})", fontsize=7, color="#2f5597",
                ha="center", va="center", backgroundcolor="white")
    return fig
