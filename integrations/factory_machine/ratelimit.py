"""A token bucket per device: readings cost one token each, refilled at a steady rate."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Buckets of ``burst`` tokens refilled at ``rate`` tokens per second, one per key."""

    def __init__(self, rate: float, burst: int) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str, cost: int, now: float) -> float:
        """Take ``cost`` tokens and return 0, or take none and return the seconds to wait.

        A cost above ``burst`` can never be met; the wait returned is then the time to
        refill a whole bucket, and the caller should split the request.
        """
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.rate)
        bucket.updated = now
        if cost <= bucket.tokens:
            bucket.tokens -= cost
            return 0.0
        missing = min(float(cost), float(self.burst)) - bucket.tokens
        return missing / self.rate

    def forget(self, key: str) -> None:
        """Drop a key's bucket (a revoked device)."""
        self._buckets.pop(key, None)
