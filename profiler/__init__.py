"""See every SQL statement the Django ORM runs, find N+1 queries and wasted eager loads, fix them.

>>> import profiler
>>> with profiler.capture() as queries:
...     titles = [e.blog.name for e in Entry.objects.all()]
>>> len(queries), queries.n_plus_one()
"""

from typing import Any

from .assertions import assert_max_queries, assert_no_n_plus_one
from .capture import Capture, capture
from .compare import Comparison, compare
from .eager import UnusedEagerLoad
from .errors import ProfilerError
from .nplusone import Finding
from .records import Frame, Query
from .snapshot import SnapshotError, SnapshotMismatch, snapshot


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext profiler``: register the ``%queries`` / ``%%queries`` magics."""
    from .ipython import load_ipython_extension as load

    load(ipython)


__all__ = [
    "Capture",
    "Comparison",
    "Finding",
    "Frame",
    "ProfilerError",
    "Query",
    "SnapshotError",
    "SnapshotMismatch",
    "UnusedEagerLoad",
    "assert_max_queries",
    "assert_no_n_plus_one",
    "capture",
    "compare",
    "load_ipython_extension",
    "snapshot",
]
