"""Draw the data model from the models' ``_meta``: a Mermaid ``erDiagram``, a matplotlib figure."""

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
        m: m.__name__ if counts[m.__name__] == 1 else f"{m._meta.app_label}_{m.__name__}" for m in selected
    }


def relations(selected: Sequence[type[models.Model]]) -> list[Relation]:
    """FK, one-to-one and many-to-many edges among ``selected`` (edges leaving it are dropped)."""
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


def draw_er(app_labels: Iterable[str]) -> Figure:
    """The same diagram drawn with matplotlib: one box per model, one arrow per relation.

    A fallback for front ends that do not render Mermaid. Models of one app share a column; an
    arrow runs from the foreign key (or many-to-many) line to the primary key it points at, dashed
    when the relation is optional (nullable foreign key, many-to-many).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    selected = models_of(app_labels)
    names = _entity_names(selected)
    by_app: dict[str, list[type[models.Model]]] = {}
    for model in selected:
        by_app.setdefault(model._meta.app_label, []).append(model)
    line_h, box_w, gap_x, gap_y = 0.32, 3.4, 2.4, 0.5
    lines: dict[str, list[tuple[str, str]]] = {}  # entity -> (field name, text) per row
    row_y: dict[tuple[str, str], float] = {}
    boxes: dict[str, tuple[float, float, float]] = {}  # entity -> x, top, height
    column_of: dict[str, int] = {}
    bottom = 0.0
    for col, app_models in enumerate(by_app.values()):
        x, top = col * (box_w + gap_x), 0.0
        for model in app_models:
            name = names[model]
            rows = [(f.name, _column(f)) for f in model._meta.concrete_fields]
            rows += [(f.name, f"ManyToManyField {f.name}") for f in model._meta.many_to_many]
            lines[name] = rows
            height = (len(rows) + 1.4) * line_h
            boxes[name] = (x, top, height)
            column_of[name] = col
            for i, (field_name, _) in enumerate(rows, 1):
                row_y[(name, field_name)] = top - line_h * (i + 0.6)
            top -= height + gap_y
        bottom = min(bottom, top)
    width = len(by_app) * box_w + (len(by_app) - 1) * gap_x + gap_x
    fig = Figure(figsize=(width * 0.85, -bottom * 0.85))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-0.2, width)
    ax.set_ylim(bottom, 0.2)
    ax.axis("off")
    for name, (x, top, height) in boxes.items():
        ax.add_patch(
            FancyBboxPatch(
                (x, top - height),
                box_w,
                height,
                boxstyle="round,pad=0.02",
                facecolor="#f4f6fb",
                edgecolor="#44546a",
            )
        )
        ax.text(x + 0.12, top - line_h * 0.6, name, weight="bold", fontsize=10, va="center")
        for field_name, text in lines[name]:
            ax.text(
                x + 0.18,
                row_y[(name, field_name)],
                text,
                fontsize=8,
                family="monospace",
                va="center",
            )
    lanes: dict[int, int] = {}
    for edge in relations(selected):
        sx, _, _ = boxes[edge.source]
        tx, _, _ = boxes[edge.target]
        sy = row_y[(edge.source, edge.field)]
        ty = row_y[(edge.target, "id")] if (edge.target, "id") in row_y else boxes[edge.target][1]
        lane = lanes.get(column_of[edge.source], 0)
        lanes[column_of[edge.source]] = lane + 1
        style = "--" if edge.kind in ("m2m", "nullable fk") else "-"
        color = "#2f5597"
        if column_of[edge.source] == column_of[edge.target]:
            out = sx + box_w + 0.2 + 0.3 * lane
            ax.plot([sx + box_w, out, out], [sy, sy, ty], linestyle=style, color=color, lw=1)
            start = (out, ty)
            label_at, rotation = (out + 0.03, (sy + ty) / 2), 90
        else:
            start = (sx + box_w, sy) if tx > sx else (sx, sy)
            label_at, rotation = ((start[0] + tx) / 2, (sy + ty) / 2), 0
        end = (tx + box_w, ty) if tx <= sx else (tx, ty)
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={
                "arrowstyle": "-|>",
                "linestyle": style,
                "color": color,
                "lw": 1,
            },
        )
        ax.text(
            *label_at,
            f"{edge.field} ({edge.kind})",
            fontsize=7,
            color=color,
            va="top" if rotation else "center",
            ha="center" if rotation else "left",
            rotation=rotation,
            rotation_mode="anchor",
        )
    return fig
