"""How a :class:`~profiler.compare.Comparison` looks: its figure, its text and its HTML.

The figure is built on :class:`matplotlib.figure.Figure` directly (no pyplot), so drawing it
never opens a window nor leaves a figure behind for a notebook to show twice.
"""

import base64
import html
import io
from typing import Any

from . import style

QUERIES_LABEL = "SQL statements (log)"
TIME_LABEL = "median time, ms (log)"
SIZE_LABEL = "size n: rows asked for (log)"
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def plot_comparison(comparison: Any) -> Any:
    """Two axes side by side: statements vs size and median time vs size, log-log, one colour
    per strategy (a strategy whose results differ is marked so in the legend)."""
    from matplotlib.colors import TABLEAU_COLORS
    from matplotlib.figure import Figure

    frame = comparison.frame
    differing = {m.strategy for m in comparison.mismatches}
    colours = list(TABLEAU_COLORS.values())  # the ten colours of matplotlib's "tab10"
    figure = Figure(figsize=(11, 4.2), layout="constrained")
    queries_ax, time_ax = figure.subplots(1, 2)
    for i, strategy in enumerate(comparison.strategies):
        points = frame[frame["strategy"] == strategy].sort_values("size")
        label = strategy + (" (results differ)" if strategy in differing else "")
        style = {
            "color": colours[i % len(colours)],
            "marker": MARKERS[i % len(MARKERS)],
            "markersize": 8,
            "markerfacecolor": "none",  # open marks: two strategies on the same values both show
            "markeredgewidth": 1.6,
            "label": label,
        }
        if strategy in differing:
            style["linestyle"] = "--"
        queries_ax.plot(points["size"], points["queries"], **style)
        time_ax.plot(points["size"], points["median_ms"], **style)
    queries_ax.set(
        title="Queries vs size", xlabel=SIZE_LABEL, ylabel=QUERIES_LABEL, xscale="log", yscale="log"
    )
    time_ax.set(
        title=f"Time vs size (median of {comparison.repeat})",
        xlabel=SIZE_LABEL,
        ylabel=TIME_LABEL,
        xscale="log",
        yscale="log",
    )
    for ax in (queries_ax, time_ax):
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(loc="upper left", fontsize="small")
    return figure


def figure_png(figure: Any, dpi: int = 90) -> bytes:
    """``figure`` as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def render_comparison_text(comparison: Any) -> str:
    """The frame as text, then growth per strategy, mismatches and failures."""
    lines = []
    if comparison.mismatches:
        lines.append(f"RESULTS DIFFER ({len(comparison.mismatches)}):")
        lines.extend(f"  {m}" for m in comparison.mismatches)
    if comparison.failures:
        lines.append(f"FAILED ({len(comparison.failures)}):")
        lines.extend(f"  {f}" for f in comparison.failures)
    lines.append(comparison.frame.to_string(index=False, float_format="{:.2f}".format))
    lines.extend(str(g) for g in comparison.growth().values())
    return "\n".join(lines)


def _box(title: str, items: list[str], rgb: tuple[int, int, int]) -> str:
    entries = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return (
        f'<div style="{style.tinted(rgb)}"><strong>{html.escape(title)}</strong>'
        f'<ul style="{style.LIST}">{entries}</ul></div>'
    )


def render_comparison_html(comparison: Any) -> str:
    """Mismatches and failures first (prominent), then the table, the growth and the figure.

    The boxes are tinted, never filled with a light colour, so they read in a dark theme too.
    """
    title = html.escape(repr(comparison))
    parts = [f'<div style="{style.BOX}"><p style="{style.PARAGRAPH}"><strong>{title}</strong></p>']
    if comparison.mismatches:
        parts.append(
            _box(
                f"⚠ Results differ between strategies ({len(comparison.mismatches)})",
                [str(m) for m in comparison.mismatches],
                style.ERROR_RGB,
            )
        )
    if comparison.failures:
        parts.append(
            _box(
                f"✗ Strategies that raised ({len(comparison.failures)})",
                [str(f) for f in comparison.failures],
                style.WARN_RGB,
            )
        )
    parts.append(comparison.frame.to_html(index=False, float_format="{:.2f}".format, na_rep="-"))
    items = []
    for growth in comparison.growth().values():
        text = html.escape(str(growth)).replace("\n", "<br>")
        items.append(f"<li><strong>{text}</strong></li>" if growth.n_plus_one else f"<li>{text}</li>")
    parts.append(f'<ul style="{style.LIST}">' + "".join(items) + "</ul>")
    if len(comparison.frame):
        png = base64.b64encode(figure_png(comparison.plot())).decode("ascii")
        parts.append(
            f'<img alt="queries and time vs size" style="max-width:100%" src="data:image/png;base64,{png}"/>'
        )
    parts.append("</div>")
    return "".join(parts)
