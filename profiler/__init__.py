"""See every SQL statement the Django ORM runs, find N+1 queries and wasted eager loads, fix them.

    >>> import profiler
    >>> with profiler.capture() as queries:
    ...     titles = [e.blog.name for e in Entry.objects.all()]
    >>> len(queries), queries.n_plus_one()
"""

from .capture import Capture, ProfilerError, capture
from .records import Frame, Query

__all__ = ["Capture", "Frame", "ProfilerError", "Query", "capture"]
