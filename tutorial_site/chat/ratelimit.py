"""A token bucket: ``rate`` actions per second on average, bursts of ``burst``."""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    """Starts full; each :meth:`take` spends a token; tokens come back at ``rate`` per second."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError(f"A token bucket needs rate > 0 and burst >= 1, got rate={rate}, burst={burst}.")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._stamp = clock()

    def take(self) -> bool:
        """Spend one token if there is one; False (and nothing spent) when the bucket is empty."""
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens < 1 - 1e-9:  # 20 refills of 0.05 s at 20/s make 0.999...: one token
            return False
        self._tokens = max(0.0, self._tokens - 1)
        return True
