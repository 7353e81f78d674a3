"""The figures of notebook 07, drawn from measurements (never from a database).

Each function returns a :class:`matplotlib.figure.Figure` built without pyplot, so a notebook shows
it once and nothing is left open.
"""

import statistics
from collections.abc import Sequence
from typing import Any

from .caching import CacheTiming, queries
from .load import LoadResult
from .plans import TimedPlan
from .replication import LagSample

MISS, HIT = "#c0392b", "#1e8449"
BLUE, GREY = "#2e86c1", "#7f8c8d"


def _figure(width: float, height: float, columns: int = 1) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.subplots(1, columns)


def _plain_log_ticks(axis: Any) -> None:
    """Log-scale tick labels as plain numbers (0.1, 1, 10), not powers of ten."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axis.set_minor_formatter(NullFormatter())


def _nothing_measured(title: str) -> Any:
    """A figure that says so, for a part whose service did not run."""
    figure, ax = _figure(7.5, 1.6)
    ax.set_axis_off()
    ax.text(0.5, 0.5, f"{title}: nothing measured (the service did not run)", ha="center", va="center")
    return figure


def cache_figure(timings: Sequence[CacheTiming]) -> Any:
    """Median time of a miss and of a hit for each cached call, with its queries per call."""
    if not timings:
        return _nothing_measured("Cache miss vs hit")
    figure, ax = _figure(7.5, 3.8)
    width = 0.38
    for i, timing in enumerate(timings):
        for offset, which, colour, count in (
            (-width / 2, "miss", MISS, timing.miss_queries),
            (width / 2, "hit", HIT, timing.hit_queries),
        ):
            value = timing.median_ms(which)
            ax.bar(i + offset, value, width, color=colour, label=which if i == 0 else None)
            ax.annotate(queries(count), (i + offset, value), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(timings)), [f"{t.label}\n(hit {t.speedup:.0f}x faster)" for t in timings])
    ax.set(yscale="log", ylabel="median time per call, ms (log)", title="Cache miss vs hit")
    _plain_log_ticks(ax.yaxis)
    ax.margins(y=0.15)
    ax.legend(loc="upper right")
    ax.grid(True, axis="y", which="major", alpha=0.3)
    return figure


def connections_figure(results: Sequence[LoadResult]) -> Any:
    """Requests per second, and PostgreSQL connections (at once, and opened) for each setup."""
    if not results:
        return _nothing_measured("Connections")
    figure, (speed, connections) = _figure(11, 4.2, columns=2)
    labels = [r.label for r in results]
    positions = range(len(results))
    speed.barh(positions, [r.requests_per_second for r in results], color=BLUE)
    for i, result in enumerate(results):
        text = f" {result.requests_per_second:.0f}/s" + (f", {result.failed} failed" if result.failed else "")
        speed.annotate(text, (result.requests_per_second, i), va="center", fontsize=8)
    speed.set_yticks(positions, labels)
    speed.invert_yaxis()
    speed.set(xlabel="requests per second (more is better)", title="Throughput under concurrent requests")
    height = 0.38
    peak = [r.peak_connections for r in results]
    opened = [max(r.connections_opened, 0.8) for r in results]  # 0 drawn as a sliver on a log axis
    connections.barh([i - height / 2 for i in positions], peak, height, color=BLUE, label="at most at once")
    connections.barh([i + height / 2 for i in positions], opened, height, color=GREY, label="opened")
    for i, result in enumerate(results):
        connections.annotate(
            f" {result.peak_connections}", (peak[i], i - height / 2), va="center", fontsize=8
        )
        connections.annotate(
            f" {result.connections_opened}", (opened[i], i + height / 2), va="center", fontsize=8
        )
    connections.set_yticks(positions, [""] * len(results))
    connections.invert_yaxis()
    connections.set(xscale="log", xlabel="PostgreSQL connections (log)", title="Connections on the server")
    connections.set_xlim(right=max(*peak, *opened) * 4)  # room for the numbers
    _plain_log_ticks(connections.xaxis)
    speed.set_xlim(right=max(r.requests_per_second for r in results) * 1.25)
    connections.legend(loc="lower right", fontsize="small")
    for ax in (speed, connections):
        ax.grid(True, axis="x", alpha=0.3)
    return figure


def lag_figure(samples: Sequence[LagSample]) -> Any:
    """Replication lag (commit on the primary → visible on the replica) by the size of the write."""
    if not samples:
        return _nothing_measured("Replication lag")
    figure, ax = _figure(7.5, 3.8)
    sizes = sorted({s.rows for s in samples})
    groups = [[s.seconds * 1000 for s in samples if s.rows == size] for size in sizes]
    ax.boxplot(groups, showfliers=True)
    labels = []
    for size in sizes:
        wal = statistics.median(s.wal_bytes for s in samples if s.rows == size)
        labels.append(f"{size} row{'s' if size != 1 else ''}\n({wal / 1024:.1f} kB of WAL)")
    ax.set_xticks(range(1, len(sizes) + 1), labels)
    ax.set(
        yscale="log",
        ylabel="ms until replayed on the replica (log)",
        title="Replication lag after each commit",
    )
    ax.grid(True, axis="y", alpha=0.3)
    return figure


def plans_figure(plans: Sequence[TimedPlan]) -> Any:
    """Execution time of each plan (every run, and the median), labelled with its plan nodes."""
    if not plans:
        return _nothing_measured("Query plans")
    figure, ax = _figure(9, 0.9 + 0.8 * len(plans))
    for i, plan in enumerate(plans):
        ax.barh(i, plan.median_ms, color=BLUE, alpha=0.6)
        ax.scatter(plan.times_ms, [i] * len(plan.times_ms), color=BLUE, s=10, zorder=3)
        ax.annotate(f" {plan.median_ms:.3f} ms", (plan.median_ms, i), va="bottom", fontsize=8)
    ax.set_yticks(range(len(plans)), [f"{p.label}\n{' → '.join(p.nodes[:3])}" for p in plans], fontsize=8)
    ax.invert_yaxis()
    ax.set(xlabel="execution time, ms (EXPLAIN ANALYZE)", title="The same query, two plans")
    ax.grid(True, axis="x", alpha=0.3)
    return figure
