"""Hit vs miss, measured: the time and the SQL statements of a cached call when the cache is empty
and when it holds the value.

    timing = time_cache("stats", cached_blog_stats, clear=lambda: cache.delete(STATS_KEY))
    timing.miss_queries, timing.hit_queries       # 1, 0
    timing.median_ms("miss"), timing.median_ms("hit")
"""

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import profiler


def queries(count: int) -> str:
    """``"1 query"``, ``"0 queries"``."""
    return f"{count} query" if count == 1 else f"{count} queries"


_RENDERED_AT = re.compile(r'data-rendered-at="([^"]+)"')


def rendered_at(response: Any) -> str:
    """The render time a lab page shows (``data-rendered-at``): the same one means a cached copy."""
    match = _RENDERED_AT.search(response.content.decode())
    if match is None:
        raise ValueError(f"This response shows no render time (status {response.status_code}).")
    return match.group(1)


@dataclass(frozen=True)
class CacheTiming:
    """Seconds per call, cache emptied before each call (miss) or already filled (hit)."""

    label: str
    miss: tuple[float, ...]
    hit: tuple[float, ...]
    miss_queries: int
    hit_queries: int

    def median_ms(self, which: str) -> float:
        """The median time of ``which`` (``"miss"`` or ``"hit"``) calls, in milliseconds."""
        if which not in ("miss", "hit"):
            raise ValueError(f"which is 'miss' or 'hit', not {which!r}")
        times: tuple[float, ...] = getattr(self, which)
        return statistics.median(times) * 1000

    @property
    def speedup(self) -> float:
        """How many times faster a hit is than a miss (medians)."""
        return self.median_ms("miss") / self.median_ms("hit")

    def __str__(self) -> str:
        return (
            f"{self.label}: miss {self.median_ms('miss'):.2f} ms, {queries(self.miss_queries)}; "
            f"hit {self.median_ms('hit'):.2f} ms, {queries(self.hit_queries)} ({self.speedup:.0f}x faster)"
        )


def _statements(call: Callable[[], Any]) -> int:
    with profiler.capture(stacks=False) as captured:
        call()
    return len(captured)


def time_cache(
    label: str, call: Callable[[], Any], *, clear: Callable[[], Any], repeat: int = 30
) -> CacheTiming:
    """Time ``call`` ``repeat`` times after ``clear()`` (misses), then ``repeat`` times warm (hits).

    The query counts come from one more miss and one more hit, under :func:`profiler.capture`.
    """
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat}")
    misses, hits = [], []
    for _ in range(repeat):
        clear()
        start = time.perf_counter()
        call()
        misses.append(time.perf_counter() - start)
    call()  # the cache now holds the value
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        hits.append(time.perf_counter() - start)
    clear()
    miss_queries = _statements(call)
    hit_queries = _statements(call)
    return CacheTiming(label, tuple(misses), tuple(hits), miss_queries, hit_queries)
