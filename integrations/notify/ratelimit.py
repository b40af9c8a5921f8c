"""A token bucket per target."""

from __future__ import annotations

from collections.abc import Callable


class TokenBucket:
    """``rate`` tokens per ``per`` seconds, holding at most ``burst``; time comes from ``now``."""

    def __init__(self, rate: float, per: float, burst: int, now: Callable[[], float]) -> None:
        self._fill_per_second = rate / per
        self._burst = float(burst)
        self._tokens = float(burst)
        self._now = now
        self._stamp = now()

    def _refill(self) -> None:
        now = self._now()
        if now > self._stamp:
            self._tokens = min(
                self._burst, self._tokens + (now - self._stamp) * self._fill_per_second
            )
        self._stamp = now

    def take(self) -> float:
        """Take a token and return 0, or return the seconds until one is available."""
        self._refill()
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / self._fill_per_second
