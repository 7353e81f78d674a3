"""A task's journal read as runs: a table of what happened and a timeline of when (matplotlib)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .journal import Event

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

ENDINGS = {"succeeded", "failed", "retried"}
COLOURS = {"succeeded": "tab:green", "failed": "tab:red", "retried": "tab:orange", "lost": "tab:gray"}


@dataclass(frozen=True)
class Run:
    """One execution of a task body: from ``started`` to its end, or ``lost`` when nothing ended it."""

    start: float  # seconds after the task's first start
    end: float | None  # None: lost, and nothing says when
    outcome: str  # succeeded, failed, retried or lost
    worker: str
    retries: int
    redelivered: bool


def runs(events: Sequence[Event]) -> list[Run]:
    """The runs in a journal. A ``started`` followed by another ``started`` is a lost run (a crash)."""
    if not events:
        return []
    origin = events[0]["at"]
    found: list[Run] = []
    current: Event | None = None
    sentinel: Event = {"event": "started", "at": float("nan")}  # closes the last run
    for event in [*events, sentinel]:
        name = event["event"]
        if current is not None and (name == "started" or name in ENDINGS):
            ended = name in ENDINGS
            found.append(
                Run(
                    start=current["at"] - origin,
                    end=event["at"] - origin if ended else None,
                    outcome=name if ended else "lost",
                    worker=current.get("worker", ""),
                    retries=current.get("retries", 0),
                    redelivered=current.get("redelivered", False),
                )
            )
            current = None
        if name == "started":
            current = event
    return found


def journal_frame(events: Sequence[Event]) -> pd.DataFrame:
    """One row per event: what happened, on which worker, at which retry, redelivered or not, why."""
    import pandas as pd

    columns = ["event", "worker", "retries", "redelivered", "error"]
    frame = pd.DataFrame([{name: event.get(name) for name in columns} for event in events], columns=columns)
    return frame.fillna("")


def plot_runs(
    journals: Mapping[str, Sequence[Event]], *, marks: Mapping[str, Mapping[str, float]] | None = None
) -> Figure:
    """One line per journal (label → events): a bar per run, coloured by how it ended.

    ``marks`` adds labelled vertical ticks per journal, in seconds after its first start (e.g. the
    moment a worker was killed). A lost run is drawn up to its mark or to the next run, and an arrow
    spans the wait until the next run.
    """
    import matplotlib.pyplot as plt

    marks = marks or {}
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.9 * len(journals)))
    for row, (label, events) in enumerate(journals.items()):
        found = runs(events)
        for index, run in enumerate(found):
            following = found[index + 1].start if index + 1 < len(found) else run.start + 0.5
            end = run.end if run.end is not None else min([following, *marks.get(label, {}).values()])
            ax.barh(row, max(end - run.start, 0.05), left=run.start, color=COLOURS[run.outcome], height=0.5)
            text = run.outcome + (" (redelivered)" if run.redelivered else "")
            ax.text(run.start, row + 0.3, text, fontsize=8, va="top")
            if index + 1 < len(found) and following - end > 0.5:  # the wait before the next run
                arrow = {"arrowstyle": "->", "color": "0.4"}
                ax.annotate("", xy=(following, row), xytext=(end, row), arrowprops=arrow)
                wait = f"{following - end:.1f} s"
                ax.text((end + following) / 2, row - 0.05, wait, ha="center", fontsize=8)
        for name, at in marks.get(label, {}).items():
            ax.plot([at, at], [row - 0.3, row + 0.3], color="black", linewidth=2)
            ax.text(at, row - 0.32, name, fontsize=8, ha="center", va="bottom")
    ax.set_yticks(range(len(journals)), list(journals))
    ax.set_ylim(len(journals) - 0.3, -0.8)
    ax.set_xlabel("seconds after the task first started")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    plt.close(fig)
    return fig
