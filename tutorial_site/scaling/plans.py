"""Query plans, timed: ``EXPLAIN ANALYZE`` run several times through :meth:`profiler.Capture.explain`."""

import re
import statistics
from dataclasses import dataclass

from profiler import Capture, Query

_EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")
_NODE = re.compile(r"^\s*(?:->\s*)?([A-Z][A-Za-z ]+?)(?: using| on|  \(|\s*\()")


def execution_ms(plan: str) -> float:
    """The ``Execution Time`` of an ``EXPLAIN ANALYZE`` text, in milliseconds."""
    match = _EXECUTION.search(plan)
    if match is None:
        raise ValueError("No 'Execution Time' in this plan: it is not EXPLAIN ANALYZE output.")
    return float(match.group(1))


def plan_nodes(plan: str) -> list[str]:
    """The node types of a PostgreSQL plan, top down (``Seq Scan``, ``Bitmap Heap Scan``...)."""
    nodes = []
    for line in plan.splitlines():
        match = _NODE.match(line)
        if match and "Time:" not in line:
            nodes.append(match.group(1).strip())
    return nodes


@dataclass(frozen=True)
class TimedPlan:
    """A plan (the text of the first run) and the execution time of every run, in milliseconds."""

    label: str
    plan: str
    times_ms: tuple[float, ...]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def nodes(self) -> list[str]:
        return plan_nodes(self.plan)

    def __str__(self) -> str:
        runs = len(self.times_ms)
        return f"{self.label}: {' → '.join(self.nodes)}, median {self.median_ms:.3f} ms over {runs} runs"


def time_plan(label: str, captured: Capture, query: Query | int, *, repeat: int = 10) -> TimedPlan:
    """``EXPLAIN ANALYZE`` of one captured statement, ``repeat`` times (PostgreSQL only)."""
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat}")
    plans = [captured.explain(query, analyze=True) for _ in range(repeat)]
    return TimedPlan(label, plans[0], tuple(execution_ms(plan) for plan in plans))
