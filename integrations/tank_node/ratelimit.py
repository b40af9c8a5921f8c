"""Token bucket: a node may send ``burst`` frames at once and ``rate`` frames/s on average."""

from __future__ import annotations


class TokenBucket:
    """Refills ``rate`` tokens per second up to ``burst``; each frame takes one."""

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = float(burst)
        self._tokens = float(burst)
        self._at = now

    def take(self, now: float) -> bool:
        """Take one token at time ``now``; False when the bucket is empty."""
        elapsed = max(now - self._at, 0.0)
        self._at = max(now, self._at)
        self._tokens = min(self.burst, self._tokens + elapsed * self.rate)
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True
