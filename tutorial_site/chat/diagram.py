"""The chat's moving parts, as a Mermaid flowchart (JupyterLab draws it) or a matplotlib figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MERMAID = """\
flowchart LR
    B["Browser<br/>chat.js, or any client"]
    subgraph P["a daphne process (one of several)"]
        C["ChatConsumer<br/>one per websocket"]
        W["Writer<br/>group commit"]
        H["Hub<br/>one per process"]
    end
    DB[("Database<br/>Room, Message")]
    L{{"Channel layer<br/>Redis pub/sub"}}
    B <-- "JSON frames" --> C
    C -- "message" --> W
    W -- "1 store with the next seq" --> DB
    W -- "2 group_send, encoded once" --> L
    L -- "3 once to every process of the room" --> H
    H -- "4 the same text to each socket" --> C
    C -- "history, since" --> DB
"""

# (label, x, y) of each box, and the arrows between them: (from, to, label, label offset, both ways).
_BOXES = {
    "browser": ("Browser\nchat.js, or any client", 0.09, 0.5),
    "consumer": ("ChatConsumer\none per websocket", 0.33, 0.5),
    "writer": ("Writer\ngroup commit", 0.57, 0.5),
    "hub": ("Hub\none per process", 0.33, 0.84),
    "layer": ("Channel layer\nRedis pub/sub", 0.88, 0.86),
    "database": ("Database\nRoom, Message", 0.88, 0.14),
}
_ARROWS = [
    ("browser", "consumer", "JSON frames", (0.0, 0.06), True),
    ("consumer", "writer", "message", (0.0, 0.06), False),
    ("writer", "database", "1  store it with\nthe next seq", (0.09, 0.03), False),
    ("writer", "layer", "2  group_send,\nencoded once", (0.08, -0.04), False),
    ("layer", "hub", "3  once to every process\nof the room", (0.0, 0.07), False),
    ("hub", "consumer", "4  the same text\nto each socket", (-0.09, 0.0), False),
    ("consumer", "database", "history, since", (0.1, -0.06), False),
]


def mermaid() -> str:
    """The flowchart in Mermaid syntax: ``Markdown(f"```mermaid\\n{mermaid()}```")`` in JupyterLab."""
    return MERMAID


def draw() -> Figure:
    """The same flowchart drawn with matplotlib, for front ends without Mermaid."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    figure, axes = plt.subplots(figsize=(10, 4.2))
    axes.set_axis_off()
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    process = FancyBboxPatch(
        (0.2, 0.36), 0.46, 0.6, boxstyle="round,pad=0.01", fill=False, linestyle="--", color="grey"
    )
    axes.add_patch(process)
    axes.text(
        0.43, 0.34, "a daphne process (one of several)", ha="center", va="top", fontsize=9, color="grey"
    )
    for label, x, y in _BOXES.values():
        box = {"boxstyle": "round,pad=0.5", "facecolor": "#eef3fb", "edgecolor": "#0b62c4"}
        axes.text(x, y, label, ha="center", va="center", fontsize=10, bbox=box)
    for start, end, label, (dx, dy), both in _ARROWS:
        (_, x0, y0), (_, x1, y1) = _BOXES[start], _BOXES[end]
        style = "<|-|>" if both else "-|>"
        arrow = {"arrowstyle": style, "color": "#444", "shrinkA": 30, "shrinkB": 30}
        axes.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=arrow)
        axes.text((x0 + x1) / 2 + dx, (y0 + y1) / 2 + dy, label, ha="center", va="center", fontsize=8)
    figure.tight_layout()
    plt.close(figure)
    return figure
